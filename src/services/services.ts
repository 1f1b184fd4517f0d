import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { userModelsDir } from '../config/paths.js';
import { loadSettings } from '../config/settings.js';
import { ModelRegistry } from '../inference/registry.js';
import { createJobQueue } from '../jobs/index.js';
import { claimQueuePrefix } from '../jobs/prefix-claim.js';
import type { JobQueue } from '../jobs/ports.js';
import type { Logger } from '../logger.js';
import { SoundCloud } from '../integrations/soundcloud/index.js';
import { Renderer } from '../render/renderer.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/ports.js';
import type { CompositionRecord } from '../store/records.js';
import { ApiKeyService, RateLimiter } from './api-key.service.js';
import { CLEANUP_INTERVAL_MS, cleanUp } from './cleanup.js';
import { recoverOrphanCompositions } from './composition-recovery.js';
import { CompositionService, compositionTopic } from './composition.service.js';
import { EventBus } from './event-bus.js';
import { JobRunner } from './job-runner.js';
import { Metrics } from './metrics.js';
import { RenderGate } from './render-gate.js';
import { ShareService } from './share.service.js';
import { TrainingService, type TrainingEvent } from './training.service.js';

/** Everything the entry points (GraphQL, CLI, worker, bot) call: built once from the config. */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly models: ModelRegistry;
  readonly queue: JobQueue;
  readonly keys: ApiKeyService;
  readonly rateLimiter: RateLimiter;
  readonly compositions: CompositionService;
  readonly training: TrainingService;
  readonly shares: ShareService;
  readonly compositionEvents: EventBus<CompositionRecord>;
  readonly trainingEvents: EventBus<TrainingEvent>;
  readonly metrics: Metrics;
  readonly log: Logger;
  fileUrl(fileId: string, filename: string): string;
  /** An absolute URL of this server for a path such as `/training-jobs/<id>/chart.svg`. */
  url(path: string): string;
  /** Where this server answers, for file URLs when PUBLIC_URL is unset (known once it listens). */
  setBaseUrl(url: string): void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Run jobs in this process (the server on the in-process queue, or a worker). */
  readonly runJobs: boolean;
  /**
   * Tests: the SoundCloud and Discord settings parsed from this environment (with the same schema)
   * instead of the config's.
   */
  readonly env?: NodeJS.ProcessEnv;
}

export async function createServices(config: Config, log: Logger, options: ServiceOptions): Promise<Services> {
  const store = await createStore(config);
  if (config.redisUrl && store.kind === 'embedded') {
    await claimQueuePrefix({ redisUrl: config.redisUrl, prefix: config.queuePrefix, dataDir: config.dataDir, log }).catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
  }
  // Shipped models, then the ones users trained on this server; folders that appear later (a model
  // trained with `continuo train`) or change are picked up without a restart.
  const models = await ModelRegistry.load(config.modelsDir, userModelsDir(config.dataDir));
  models.rescanEvery();
  const queue = createJobQueue({ redisUrl: config.redisUrl, prefix: config.queuePrefix, log: log.child({ module: 'jobs' }) });
  const compositionEvents = new EventBus<CompositionRecord>();
  const trainingEvents = new EventBus<TrainingEvent>();
  const metrics = new Metrics(queue);
  const compositions = new CompositionService(store, models, queue, compositionEvents, config.quota, new Renderer(config.render), log.child({ module: 'compositions' }), {
    gate: new RenderGate(),
    counted: (format) => metrics.rendersOnDemand.inc({ format }),
  });
  const training = new TrainingService(
    store, models, queue,
    { trainingData: join(config.dataDir, 'training-data'), runs: join(config.dataDir, 'runs'), models: userModelsDir(config.dataDir) },
    config.render.fontDirs,
    log.child({ module: 'training' }),
  );

  const integrations = options.env ? loadSettings(options.env, config.dataDir) : config;
  let base = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const fileUrl = (fileId: string, filename: string) => `${base}/files/${encodeURIComponent(fileId)}/${encodeURIComponent(filename)}`;
  const shares = new ShareService(
    store, queue, compositions, models,
    integrations.soundcloud && new SoundCloud(integrations.soundcloud),
    integrations.discord, fileUrl, log.child({ module: 'shares' }),
  );

  // Job events reach this process from wherever the job runs (in-process, or a BullMQ worker).
  const unsubscribe = queue.onEvent((event) => {
    void (async () => {
      const job = await store.jobs.get(event.jobId);
      if (!job) return;
      if (event.type === 'train') {
        const progress = (event.detail as { training?: TrainingEvent['progress'] } | undefined)?.training;
        trainingEvents.publish(`training:${job.id}`, { job: { ...job, status: event.status, progress: event.progress }, progress });
        if (event.status === 'done' && typeof event.result?.modelId === 'string') {
          await models.add(join(userModelsDir(config.dataDir), event.result.modelId)).catch((err: unknown) => log.error({ err }, 'could not load a trained model'));
        }
      }
      if (event.type === 'compose' && queue.kind === 'bullmq') {
        const record = await store.compositions.get(String(job.payload.compositionId));
        if (record) compositionEvents.publish(compositionTopic(record.id), record);
      }
    })().catch((err: unknown) => log.error({ err }, 'job event could not be passed on'));
  });

  let cleanupTimer: NodeJS.Timeout | undefined;
  if (options.runJobs) {
    const runner = new JobRunner(queue, store.jobs, log.child({ module: 'jobs' }));
    runner.register<{ compositionId: string }>('compose', async (job) => {
      const end = metrics.composeSeconds.startTimer();
      try {
        const result = await compositions.run(job);
        await shares.publishComposed(job.data.compositionId).catch((err: unknown) => log.error({ err, composition: job.data.compositionId }, 'automated publishing failed'));
        return result;
      } finally {
        const record = await store.compositions.get(job.data.compositionId);
        end({ model: record?.modelId ?? 'unknown' });
      }
    });
    runner.register('train', (job) => training.run(job), 1);
    runner.register<{ shareId: string }>('share', (job) => shares.run(job));
    await recoverOrphanCompositions(store, queue, log.child({ module: 'jobs' }));
    await runner.recover();
    // Where jobs run, what crashes and time leave behind is cleaned up: now, then daily.
    const policy = { jobRetentionDays: config.jobRetentionDays, quotaPeriodDays: config.quota.periodDays };
    const clean = () => cleanUp(store, policy, log.child({ module: 'cleanup' })).catch((err: unknown) => log.warn({ err }, 'clean-up failed'));
    await clean();
    cleanupTimer = setInterval(() => void clean(), CLEANUP_INTERVAL_MS);
    cleanupTimer.unref();
  }


  return {
    config, store, models, queue, compositions, training, shares, compositionEvents, trainingEvents, metrics, log,
    keys: new ApiKeyService(store.apiKeys, config.quota.compositions),
    rateLimiter: new RateLimiter(config.rateLimitPerMinute),
    fileUrl,
    url: (path) => `${base}${path}`,
    setBaseUrl: (url) => {
      if (!config.publicUrl) base = url.replace(/\/$/, '');
    },
    async close() {
      clearInterval(cleanupTimer);
      unsubscribe();
      await queue.close();
      models.dispose();
      await store.close();
    },
  };
}

import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { userModelsDir } from '../config/paths.js';
import { loadSettings } from '../config/settings.js';
import { createInference, type Inference } from '../inference/inference.js';
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
import { CompositionService } from './composition.service.js';
import { EventBus } from './event-bus.js';
import { routeJobEvents } from './job-event-routes.js';
import { registerJobHandlers } from './job-handlers.js';
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
  /** Where compositions are made and melodies read: the inference threads, or the event loop. */
  readonly inference: Inference;
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
  if (config.redisUrl) {
    await claimQueuePrefix({ redisUrl: config.redisUrl, prefix: config.queuePrefix, store, log }).catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
  }
  // Shipped models, then the ones users trained on this server; folders that appear later (a model
  // trained with `continuo train`) or change are picked up without a restart.
  const models = await ModelRegistry.load(config.modelsDir, userModelsDir(config.dataDir));
  models.rescanEvery();
  const inference = createInference(models, config.inference, { runJobs: options.runJobs, log: log.child({ module: 'inference' }) });
  const queue = createJobQueue({ redisUrl: config.redisUrl, prefix: config.queuePrefix, log: log.child({ module: 'jobs' }) });
  const compositionEvents = new EventBus<CompositionRecord>();
  const trainingEvents = new EventBus<TrainingEvent>();
  const metrics = new Metrics(queue);
  // One renderer (and one sound bank in memory) for compositions' audio and training samples'.
  const renderer = new Renderer(config.render);
  const compositions = new CompositionService(store, models, inference, queue, compositionEvents, config.quota, renderer, log.child({ module: 'compositions' }), {
    gate: new RenderGate(),
    counted: (format) => metrics.rendersOnDemand.inc({ format }),
  });
  const training = new TrainingService(
    store, models, queue,
    {
      trainingData: join(config.dataDir, 'training-data'), trainingSets: join(config.dataDir, 'training-sets'),
      runs: join(config.dataDir, 'runs'), models: userModelsDir(config.dataDir),
    },
    renderer,
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

  const unsubscribe = routeJobEvents({
    queue, store, models, userModelsDir: userModelsDir(config.dataDir), compositionEvents, trainingEvents, log: log.child({ module: 'jobs' }),
  });

  let cleanupTimer: NodeJS.Timeout | undefined;
  if (options.runJobs) {
    const runner = new JobRunner(queue, store.jobs, log.child({ module: 'jobs' }));
    registerJobHandlers(runner, { compositions, shares, training, store, metrics, inference, log: log.child({ module: 'jobs' }) });
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
    config, store, models, inference, queue, compositions, training, shares, compositionEvents, trainingEvents, metrics, log,
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
      await inference.close();
      models.dispose();
      await store.close();
    },
  };
}

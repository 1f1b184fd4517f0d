import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { JobContext, JobQueue } from '../jobs/ports.js';
import type { Store } from '../store/ports.js';
import type { ApiKeyRecord, JobRecord } from '../store/records.js';
import { DEFAULT_HYPER_PARAMETERS, validateHyperParameters, type HyperParameters } from '../training/hyper-parameters.js';
import { trainInWorker } from '../training/train-in-worker.js';
import type { TrainingProgress } from '../training/trainer.js';
import { svgToPng } from '../render/svg-raster.js';
import { trainingChartSvg } from '../render/training-chart.js';
import { checkDatasetKind, trainingDataPath, withoutServerPaths } from './training-data-path.js';

export interface TrainRequest {
  /** A data set under the server's training-data folder, e.g. `jsb:<file>`, `midi:<folder>?melody=…&tracks=…`, `quartets:<folder>`. */
  readonly dataset: string;
  readonly modelId: string;
  readonly name?: string;
  readonly genre?: string;
  readonly description?: string;
  readonly hyperParameters?: Partial<HyperParameters>;
  /** End the run when the similarity index stops rising. */
  readonly stopWhenConverged?: boolean;
}

export const trainingTopic = (jobId: string) => `training:${jobId}`;

export interface TrainingEvent {
  readonly job: JobRecord;
  readonly progress?: TrainingProgress;
}

/**
 * Users' training runs as jobs: data sets come only from the server's training-data folder (never
 * arbitrary paths), the model lands in the data folder's models/ and joins the registry when done.
 */
export class TrainingService {
  constructor(
    private readonly store: Store,
    private readonly models: ModelRegistry,
    private readonly queue: JobQueue,
    private readonly dirs: { trainingData: string; runs: string; models: string },
    /** Font folders for the PNG charts (CONTINUO_FONT_DIR). */
    private readonly fontDirs: readonly string[],
    private readonly log: Logger,
  ) {}

  private async datasetSpec(dataset: string): Promise<string> {
    const [kind, ...rest] = dataset.split(':');
    checkDatasetKind(kind);
    const location = rest.join(':');
    const [path, query] = location.split('?');
    const full = await trainingDataPath(this.dirs.trainingData, path);
    // A path in the options (jsb's scores=) is held to the same folder.
    const params = new URLSearchParams(query ?? '');
    const scores = params.get('scores');
    if (scores !== null) params.set('scores', await trainingDataPath(this.dirs.trainingData, scores));
    const options = params.toString();
    return `${kind}:${full}${options ? `?${options}` : ''}`;
  }

  async request(owner: ApiKeyRecord, req: TrainRequest): Promise<JobRecord> {
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(req.modelId)) {
      throw new InvalidInputError(`modelId '${req.modelId}' must be lower-case letters, digits and dashes (up to 41)`, { field: 'modelId' });
    }
    if (this.models.ids().includes(req.modelId)) throw new InvalidInputError(`a model '${req.modelId}' exists already; choose another id`, { field: 'modelId' });
    const hyper = { ...DEFAULT_HYPER_PARAMETERS, ...req.hyperParameters };
    const problems = validateHyperParameters(hyper);
    if (problems.length) throw new InvalidInputError(problems.join('; '), { field: 'hyperParameters' });
    const dataset = await this.datasetSpec(req.dataset);
    const job = await this.store.jobs.create({
      type: 'train', ownerId: owner.id, status: 'queued', progress: 0, attempts: 0,
      payload: { dataset, modelId: req.modelId, name: req.name ?? req.modelId, genre: req.genre ?? 'custom', description: req.description ?? '', hyper, ...(req.stopWhenConverged ? { stopWhenConverged: true } : {}) },
    });
    await this.queue.enqueue('train', job.id, job.payload, { attempts: 1 });
    return job;
  }

  async get(owner: ApiKeyRecord, id: string): Promise<JobRecord> {
    const job = await this.store.jobs.get(id);
    // Another key's job is NOT_FOUND too: FORBIDDEN would tell the caller that the id exists.
    if (!job || job.type !== 'train' || job.ownerId !== owner.id) throw new NotFoundError('training job', id);
    return job;
  }

  async cancel(owner: ApiKeyRecord, id: string): Promise<JobRecord> {
    const job = await this.get(owner, id);
    if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') {
      throw new InvalidInputError(`training job '${id}' has already ${job.status === 'done' ? 'finished' : job.status}; only queued or running jobs can be cancelled`);
    }
    await this.queue.cancel('train', id);
    return (await this.store.jobs.update(id, { status: 'cancelled' })) ?? job;
  }

  /**
   * The training job: trains in a worker thread (this process keeps answering) with progress events;
   * a cancelled run keeps its checkpoint. A finished model is evaluated on the test split and joins
   * the registry.
   */
  async run(job: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
    try {
      return await this.train(job);
    } catch (error) {
      throw withoutServerPaths(error, { 'training-data': this.dirs.trainingData, runs: this.dirs.runs, models: this.dirs.models });
    }
  }

  private async train(job: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const p = job.data as { dataset: string; modelId: string; name: string; genre: string; description: string; hyper: HyperParameters; stopWhenConverged?: boolean };
    const modelDir = join(this.dirs.models, p.modelId);
    const { card, stopped } = await trainInWorker(
      {
        dataset: p.dataset,
        identity: { id: p.modelId, name: p.name, genre: p.genre, description: p.description },
        hyper: p.hyper,
        pitchLow: 28,
        pitchCount: 64,
        tempo: 100,
        runDir: join(this.dirs.runs, job.jobId),
        modelDir,
        resume: true,
        ...(p.stopWhenConverged ? { stopWhenConverged: true } : {}),
        fontDirs: this.fontDirs,
      },
      {
        signal: job.signal,
        onProgress: (progress) => {
          void job.updateProgress(progress.iteration / progress.iterations, { training: progress });
        },
      },
    );
    if (stopped || job.signal.aborted) return { cancelledAt: card.training.iterations };
    await this.models.add(modelDir);
    this.log.info({ model: p.modelId, iterations: card.training.iterations }, 'trained model added');
    return { modelId: p.modelId, iterations: card.training.iterations };
  }

  private async history(jobId: string): Promise<TrainingProgress[]> {
    const file = join(this.dirs.runs, jobId, 'history.json');
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as TrainingProgress[]) : [];
  }

  /** Losses and metrics of a training run so far, as a picture (made anew on each request). */
  async chart(owner: ApiKeyRecord, id: string, format: 'svg' | 'png'): Promise<{ data: Uint8Array; contentType: string }> {
    const job = await this.get(owner, id);
    const history = await this.history(job.id);
    if (history.length === 0) throw new InvalidInputError(`training job '${id}' has no finished iteration yet; ask again in a moment`);
    const svg = await trainingChartSvg(history, { title: `${String(job.payload.modelId)}: training` });
    return format === 'svg' ? { data: new TextEncoder().encode(svg), contentType: 'image/svg+xml' } : { data: (await svgToPng(svg, { fontDirs: this.fontDirs })).data, contentType: 'image/png' };
  }
}

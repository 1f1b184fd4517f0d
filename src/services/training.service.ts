import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContinuoError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModelCard } from '../inference/model-card.js';
import type { ModelRegistry } from '../inference/registry.js';
import { abortWhy } from '../jobs/job-failure.js';
import type { JobContext, JobQueue } from '../jobs/ports.js';
import type { Renderer } from '../render/renderer.js';
import type { Store } from '../store/ports.js';
import type { ApiKeyRecord, JobRecord } from '../store/records.js';
import { DEFAULT_HYPER_PARAMETERS, validateHyperParameters, type HyperParameters } from '../training/hyper-parameters.js';
import { trainInWorker } from '../training/train-in-worker.js';
import type { TrainingProgress } from '../training/trainer.js';
import { svgToPng } from '../render/svg-raster.js';
import { trainingChartSvg } from '../render/training-chart.js';
import { modelsVisibleTo } from './model-visibility.js';
import { checkDatasetKind, trainingDataPath, withoutServerPaths } from './training-data-path.js';
import { TrainingSamples } from './training-samples.js';
import { TrainingSetService, type TrackMapping } from './training-set.service.js';

export interface TrainRequest {
  /** A data set under the server's training-data folder, e.g. `jsb:<file>`, `midi:<folder>?melody=…&tracks=…`, `quartets:<folder>`. */
  readonly dataset?: string;
  /** Or one of the caller's training sets, with the roles of its tracks. */
  readonly trainingSet?: { readonly name: string; readonly mapping: TrackMapping };
  readonly modelId: string;
  readonly name?: string;
  readonly genre?: string;
  readonly description?: string;
  readonly hyperParameters?: Partial<HyperParameters>;
  /** End the run when the similarity index stops rising. */
  readonly stopWhenConverged?: boolean;
  /** Iterations between evaluations (default 25), sample compositions (100) and checkpoints (25). */
  readonly every?: { readonly evaluate?: number; readonly sample?: number; readonly checkpoint?: number };
}

/** The pitch rows of models trained through the API: MIDI 28 (E1) to 91 (G6). */
export const API_MODEL_ROWS = { pitchLow: 28, pitchCount: 64 } as const;

/** What a training job's payload holds. */
interface TrainPayload {
  /** A data-set spec, absent for a training set (copied into the run's folder). */
  readonly dataset?: string;
  readonly trainingSet?: { readonly name: string; readonly mapping: TrackMapping };
  readonly modelId: string;
  readonly name: string;
  readonly genre: string;
  readonly description: string;
  readonly hyper: HyperParameters;
  readonly stopWhenConverged?: boolean;
  readonly every?: TrainRequest['every'];
  /** The key the model will belong to. */
  readonly owner?: string;
}

/** The copy of a training set that a run trains on, in its folder. */
const SET_COPY = 'training-set';

function checkEvery(every: TrainRequest['every']): void {
  for (const [k, v] of Object.entries(every ?? {})) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 1_000_000)) {
      throw new InvalidInputError(`${k}Every must be a whole number from 1 to 1000000, got ${v}`, { field: `${k}Every` });
    }
  }
}

export const trainingTopic = (jobId: string) => `training:${jobId}`;

export interface TrainingEvent {
  readonly job: JobRecord;
  readonly progress?: TrainingProgress;
}

/**
 * Users' training runs as jobs: data sets come only from the server's training-data folder (never
 * arbitrary paths) or from the caller's own training sets; the model lands in the data folder's
 * models/, belongs to the caller's key (until published) and joins the registry when done. A run
 * keeps its sample compositions as it goes, and one that a restart interrupts resumes from its last
 * checkpoint.
 */
export class TrainingService {
  /** The callers' uploaded training data. */
  readonly sets: TrainingSetService;

  constructor(
    private readonly store: Store,
    private readonly models: ModelRegistry,
    private readonly queue: JobQueue,
    private readonly dirs: { trainingData: string; trainingSets: string; runs: string; models: string },
    /** Renders the sample compositions' audio. */
    private readonly renderer: Renderer,
    /** Font folders for the PNG charts (CONTINUO_FONT_DIR). */
    private readonly fontDirs: readonly string[],
    private readonly log: Logger,
  ) {
    this.sets = new TrainingSetService(dirs.trainingSets, API_MODEL_ROWS);
  }

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
    checkEvery(req.every);
    if ((req.dataset === undefined) === (req.trainingSet === undefined)) {
      throw new InvalidInputError('give either dataset (a data set in the training-data folder) or trainingSet with its mapping (one you uploaded), not both', { field: 'dataset' });
    }
    const dataset = req.dataset === undefined ? undefined : await this.datasetSpec(req.dataset);
    if (req.trainingSet) await this.checkTrainingSet(owner, req.trainingSet.name, req.trainingSet.mapping);
    const payload: TrainPayload = {
      ...(dataset ? { dataset } : {}),
      ...(req.trainingSet ? { trainingSet: { name: req.trainingSet.name, mapping: { melody: req.trainingSet.mapping.melody, accompaniment: [...req.trainingSet.mapping.accompaniment] } } } : {}),
      modelId: req.modelId, name: req.name ?? req.modelId, genre: req.genre ?? 'custom', description: req.description ?? '', hyper,
      ...(req.stopWhenConverged ? { stopWhenConverged: true } : {}),
      ...(req.every && Object.values(req.every).some((v) => v !== undefined) ? { every: req.every } : {}),
      owner: owner.id,
    };
    const job = await this.store.jobs.create({ type: 'train', ownerId: owner.id, status: 'queued', progress: 0, attempts: 0, payload: { ...payload } });
    if (req.trainingSet) {
      try {
        await this.sets.copyTo(owner, req.trainingSet.name, join(this.dirs.runs, job.id, SET_COPY));
      } catch (error) {
        const e = error instanceof ContinuoError ? error : new ContinuoError('UNAVAILABLE', 'the training set could not be copied for the run; try again');
        await this.store.jobs.update(job.id, { status: 'cancelled', error: { code: e.code, message: e.message } });
        throw e;
      }
    }
    await this.queue.enqueue('train', job.id, job.payload, { attempts: 1 });
    return job;
  }

  /** Refuses, before a job is made, a set and mapping that would give training nothing to learn from. */
  private async checkTrainingSet(owner: ApiKeyRecord, name: string, mapping: TrackMapping): Promise<void> {
    const preview = await this.sets.preview(owner, name, mapping);
    if (preview.windows.train > 0) return;
    const reasons = new Map<string, number>();
    for (const f of preview.files) if (f.skipped) reasons.set(f.skipped, (reasons.get(f.skipped) ?? 0) + 1);
    const why = reasons.size
      ? [...reasons].map(([reason, n]) => `${n} ${n === 1 ? 'file' : 'files'} ${reason}`).join(', ')
      : `no 2-bar stretch of the training files has a melody for half of it with every note within MIDI ${API_MODEL_ROWS.pitchLow}–${API_MODEL_ROWS.pitchLow + API_MODEL_ROWS.pitchCount - 1}`;
    throw new InvalidInputError(`training set '${name}' gives no training window with this mapping: ${why}; see trainingSetPreview`, { field: 'mapping' });
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
    const p = job.data as unknown as TrainPayload;
    const modelDir = join(this.dirs.models, p.modelId);
    const runDir = join(this.dirs.runs, job.jobId);
    const dataset = p.dataset ?? this.setSpec(join(runDir, SET_COPY), p.trainingSet!);
    const samples = new TrainingSamples({
      store: this.store, renderer: this.renderer, jobId: job.jobId, dir: join(runDir, 'samples'), title: p.name,
      log: this.log.child({ job: job.jobId }), alreadyKept: (await this.store.jobs.get(job.jobId))?.samples,
    });
    // history.json is written with every checkpoint: a run that has one goes on from there.
    const checkpointed = (await this.history(job.jobId).catch(() => [])).at(-1)?.iteration;
    if (checkpointed !== undefined) this.log.info({ job: job.jobId, iteration: checkpointed }, 'training resumes from its last checkpoint');
    let result: Awaited<ReturnType<typeof trainInWorker>>;
    try {
      result = await trainInWorker(
        {
          dataset,
          identity: { id: p.modelId, name: p.name, genre: p.genre, description: p.description, ...(p.owner ? { owner: p.owner } : {}) },
          hyper: p.hyper,
          ...API_MODEL_ROWS,
          tempo: 100,
          runDir,
          modelDir,
          // A run a restart interrupted goes on from its last checkpoint.
          resume: true,
          ...(p.stopWhenConverged ? { stopWhenConverged: true } : {}),
          ...(p.every?.evaluate ? { evalEvery: p.every.evaluate } : {}),
          ...(p.every?.sample ? { sampleEvery: p.every.sample } : {}),
          ...(p.every?.checkpoint ? { checkpointEvery: p.every.checkpoint } : {}),
          fontDirs: this.fontDirs,
        },
        {
          signal: job.signal,
          onProgress: (progress) => {
            void job.updateProgress(progress.iteration / progress.iterations, { training: progress });
            void samples.keepBefore(progress.iteration);
          },
        },
      );
    } finally {
      // At shutdown the job is handed back at once; samples not kept yet wait in the run's folder.
      if (abortWhy(job.signal) === 'shutdown') samples.stop();
      await samples.keepBefore(Infinity);
    }
    const { card, stopped } = result;
    // Handed back at shutdown (checkpoint written): thrown, so that the queue runs it again and it resumes.
    if (abortWhy(job.signal) === 'shutdown') throw job.signal.reason;
    if (stopped || job.signal.aborted) return { cancelledAt: card.training.iterations };
    await this.models.add(modelDir);
    this.log.info({ model: p.modelId, iterations: card.training.iterations }, 'trained model added');
    return { modelId: p.modelId, iterations: card.training.iterations };
  }

  /** The `midi:` data-set spec of a training set's copy. */
  private setSpec(dir: string, set: { readonly name: string; readonly mapping: TrackMapping }): string {
    const options = new URLSearchParams({ melody: set.mapping.melody, tracks: set.mapping.accompaniment.join(','), name: `training set '${set.name}'` });
    return `midi:${dir}?${options.toString()}`;
  }

  /**
   * Shares one of the caller's models with every key, or (published false) takes it back. The card in
   * the model's folder says so; other servers see the change at their next rescan.
   */
  async publish(owner: ApiKeyRecord, modelId: string, published: boolean): Promise<ModelCard> {
    const model = modelsVisibleTo(this.models, owner.id).get(modelId);
    if (model.card.owner === undefined) throw new ForbiddenError(`model '${modelId}' came with the server or was trained on its command line: every key can use it already`);
    if (model.card.owner !== owner.id) throw new ForbiddenError(`model '${modelId}' belongs to another key; only its owner can publish it or take it back`);
    if ((model.card.published ?? false) === published) return model.card;
    const file = join(model.dir, 'card.json');
    const raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    if (published) raw.published = true;
    else delete raw.published;
    // Written beside and renamed: a rescan elsewhere reads the old card or the new, never half of one.
    await writeFile(`${file}.tmp`, `${JSON.stringify(raw, null, 2)}\n`);
    await rename(`${file}.tmp`, file);
    const reloaded = await this.models.add(model.dir);
    this.log.info({ model: modelId, published }, published ? 'model published' : 'model taken back');
    return reloaded.card;
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

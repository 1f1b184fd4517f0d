import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelCard } from '../inference/model-card.js';
import { writeTrainingCharts } from '../render/training-chart-files.js';
import { loadTrainingData } from './datasets/index.js';
import { calibrateAndEvaluate } from './evaluate.js';
import { trainModel, type TrainModelOptions } from './train-model.js';
import type { TrainingProgress } from './trainer.js';

/** Everything a training run needs, as plain data (it crosses into a worker thread). */
export type ModelFolderJob = Pick<
  TrainModelOptions,
  | 'identity' | 'hyper' | 'pitchLow' | 'pitchCount' | 'tempo' | 'swing' | 'runDir' | 'modelDir' | 'resume' | 'timeBudgetMs' | 'stopWhenConverged' | 'conditionOnChords'
  | 'harmonicRhythm' | 'evalEvery' | 'sampleEvery' | 'checkpointEvery' | 'threads'
> & {
  /** A data-set spec for `loadTrainingData`. */
  readonly dataset: string;
  /** Font folders for the PNG training chart (CONTINUO_FONT_DIR). */
  readonly fontDirs?: readonly string[];
};

export interface ModelFolderResult {
  readonly card: ModelCard;
  /** Stopped before the end: the checkpoint is kept, no model folder is written. */
  readonly stopped: boolean;
}

/**
 * Loads the data, trains (or resumes), and for a finished run completes the model folder: training
 * charts, decoding thresholds calibrated on the validation split, and metrics on the test split.
 */
export async function trainModelFolder(
  job: ModelFolderJob,
  o: Pick<TrainModelOptions, 'signal' | 'onProgress' | 'onStart' | 'evalEvery' | 'sampleEvery' | 'checkpointEvery'> = {},
): Promise<ModelFolderResult> {
  const data = await loadTrainingData(job.dataset);
  const card = await trainModel({ ...job, ...o, data });
  if (o.signal?.aborted) return { card, stopped: true };
  const history = JSON.parse(await readFile(join(job.modelDir, 'history.json'), 'utf8')) as TrainingProgress[];
  await writeTrainingCharts(job.modelDir, history, card, job.fontDirs);
  const evaluation = await calibrateAndEvaluate(job.modelDir, data);
  return { card: evaluation ? { ...card, metrics: evaluation } : card, stopped: false };
}

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { windowMetrics, type MetricSummary } from '../music/metrics.js';
import { accompanyWindows } from '../inference/accompany.js';
import { loadModel, type LoadedModel } from '../inference/registry.js';
import { measuredWindows, type Piece } from './dataset.js';
import { realOrGenerated, type RealOrGenerated } from './real-or-generated.js';

export interface Evaluation {
  /** What was measured: data set, split, window count. */
  readonly evaluatedOn: string;
  /** Metrics of the model's accompaniment of the held-out melodies (melody track = the real one). */
  readonly generated: MetricSummary;
  /** The same metrics of the real held-out music. */
  readonly real: MetricSummary;
  /** A classifier trained to tell the two apart, measured on windows it did not see (0.5 = it cannot). */
  readonly realOrGenerated?: RealOrGenerated;
}

export const EVALUATION_SEED = 20260101;

/**
 * Generated vs real metrics on every bar-aligned window of held-out pieces (window = the model's
 * length, hop = one window), with a fixed seed so that the numbers are reproducible.
 */
export async function evaluateModel(model: LoadedModel, pieces: readonly Piece[], label: string, o: { classifier?: boolean } = {}): Promise<Evaluation> {
  const { card } = model;
  const steps = card.network.steps;
  const real = measuredWindows(pieces, steps, card.pitchLow, card.pitchCount);
  const generated = await accompanyWindows(
    { generator: model.generator, spec: card.network, pitchLow: card.pitchLow, threshold: card.threshold, tracks: card.tracks },
    real,
    EVALUATION_SEED,
  );
  return {
    evaluatedOn: `${label}: ${pieces.length} pieces, ${real.length} windows of ${card.barsPerWindow} bars`,
    generated: windowMetrics(generated, card.barsPerWindow, card.stepsPerBar),
    real: windowMetrics(real, card.barsPerWindow, card.stepsPerBar),
    ...(o.classifier === false || real.length < 10
      ? {}
      : { realOrGenerated: await realOrGenerated(real, generated, { steps, pitchLow: card.pitchLow, pitchCount: card.pitchCount, seed: EVALUATION_SEED }) }),
  };
}

/** Stores an evaluation as the metrics of the card in a model folder. */
export async function writeCardMetrics(dir: string, evaluation: Evaluation): Promise<void> {
  const file = join(dir, 'card.json');
  const card = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, `${JSON.stringify({ ...card, metrics: evaluation }, null, 2)}\n`);
}

/**
 * Evaluates a freshly written model folder on held-out pieces and stores the result on its card.
 * Undefined (and the card left as it is) when the pieces give no window to measure.
 */
export async function evaluateModelFolder(dir: string, pieces: readonly Piece[], label: string): Promise<Evaluation | undefined> {
  const model = await loadModel(dir);
  try {
    if (measuredWindows(pieces, model.card.network.steps, model.card.pitchLow, model.card.pitchCount).length === 0) return undefined;
    const evaluation = await evaluateModel(model, pieces, label);
    await writeCardMetrics(dir, evaluation);
    return evaluation;
  } finally {
    model.generator.dispose();
  }
}

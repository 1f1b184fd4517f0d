import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { windowMetrics, type MetricSummary, type TrackMetrics } from '../music/metrics.js';
import { accompanyWindows } from '../inference/accompany.js';
import { disposeGenerator } from '../inference/generator-graph.js';
import type { ModelCard } from '../inference/model-card.js';
import { loadModel, type LoadedModel } from '../inference/registry.js';
import { calibrateThresholds, withThresholds } from './calibrate.js';
import { measuredWindows, normaliseKey, type Piece } from './dataset.js';
import { calibrateFoldBands, withFoldBands } from './fold-bands.js';
import { listeningEvaluation } from './listening-evaluation.js';
import { realOrGenerated, type RealOrGenerated } from './real-or-generated.js';
import { withWindowBars, type TrainingData } from './train-model.js';

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

/** One track of an evaluation, by name. A melody track is the model's input, copied: it has no generated side. */
export interface NamedTrackMetrics {
  readonly name: string;
  readonly role: 'melody' | 'accompaniment';
  readonly real: TrackMetrics;
  readonly generated?: TrackMetrics;
}

/** An evaluation as people read it (`continuo eval --json`): tracks and track pairs by name, real and generated side by side. */
export interface NamedEvaluation {
  readonly evaluatedOn: string;
  readonly windows: number;
  readonly tracks: readonly NamedTrackMetrics[];
  readonly tonalDistance: readonly { readonly between: readonly [string, string]; readonly real: number; readonly generated: number }[];
  readonly realOrGenerated?: RealOrGenerated;
}

/** Names an evaluation's tracks from the card (the stored form indexes them in the card's order). */
export function namedEvaluation(card: Pick<ModelCard, 'tracks'>, evaluation: Evaluation): NamedEvaluation {
  const { generated, real } = evaluation;
  const name = (k: number) => card.tracks[k]?.name ?? `track ${k + 1}`;
  return {
    evaluatedOn: evaluation.evaluatedOn,
    windows: real.pieces,
    tracks: real.tracks.map((metrics, k) => {
      const role = card.tracks[k]?.role ?? 'accompaniment';
      return { name: name(k), role, real: metrics, ...(role === 'melody' || !generated.tracks[k] ? {} : { generated: generated.tracks[k] }) };
    }),
    tonalDistance: real.tonalDistance.map(({ a, b, distance }, i) => ({
      between: [name(a), name(b)] as const,
      real: distance,
      generated: generated.tonalDistance[i]?.distance ?? Number.NaN,
    })),
    ...(evaluation.realOrGenerated ? { realOrGenerated: evaluation.realOrGenerated } : {}),
  };
}

/**
 * Generated vs real metrics on every bar-aligned window of held-out pieces (window = the model's
 * length, hop = one window), with a fixed seed so that the numbers are reproducible.
 */
export async function evaluateModel(model: LoadedModel, pieces: readonly Piece[], label: string, o: { classifier?: boolean } = {}): Promise<Evaluation> {
  const { card } = model;
  const steps = card.network.steps;
  const real = measuredWindows(modelView(card, pieces), steps, card.pitchLow, card.pitchCount);
  const generated = await accompanyWindows({ generator: model.generator, card }, real, EVALUATION_SEED);
  const realTracks = real.map((w) => w.tracks);
  return {
    evaluatedOn: `${label}: ${pieces.length} pieces, ${real.length} windows of ${card.barsPerWindow} bars`,
    generated: windowMetrics(generated, card.barsPerWindow, card.stepsPerBar),
    real: windowMetrics(realTracks, card.barsPerWindow, card.stepsPerBar),
    ...(o.classifier === false || real.length < 10
      ? {}
      : { realOrGenerated: await realOrGenerated(realTracks, generated, { steps, pitchLow: card.pitchLow, pitchCount: card.pitchCount, seed: EVALUATION_SEED }) }),
  };
}

/** Pieces as the model saw its training music: moved to C major / A minor for key-normalised models. */
export function modelView(card: ModelCard, pieces: readonly Piece[]): Piece[] {
  return card.conditioning?.key === 'normalised' ? pieces.map((p) => normaliseKey(p).piece) : [...pieces];
}

/** Rewrites a model folder's card.json through `change`. */
export async function updateCard(dir: string, change: (card: ModelCard) => ModelCard): Promise<ModelCard> {
  const file = join(dir, 'card.json');
  const card = change(JSON.parse(await readFile(file, 'utf8')) as ModelCard);
  await writeFile(file, `${JSON.stringify(card, null, 2)}\n`);
  return card;
}

/**
 * Completes a freshly written model folder: decoding thresholds (and, for a chord-conditioned model,
 * its parts' fold bands) calibrated on the validation pieces, then metrics on the test pieces, both
 * stored on its card. Either step is left out when its pieces give no window to measure; the
 * evaluation (if any) is returned.
 */
export async function calibrateAndEvaluate(dir: string, data: TrainingData): Promise<Evaluation | undefined> {
  let model = await loadModel(dir);
  try {
    const fits = (pieces: readonly Piece[]) => measuredWindows(pieces, model.card.network.steps, model.card.pitchLow, model.card.pitchCount).length > 0;
    if (fits(data.valid)) {
      const thresholds = await calibrateThresholds(model, modelView(model.card, data.valid));
      const bands = await calibrateFoldBands({ ...model, card: withThresholds(model.card, thresholds) }, withWindowBars(data).train, data.valid);
      model = { ...model, card: await updateCard(dir, (card) => withFoldBands(withThresholds(card, thresholds), bands)) };
    }
    if (!fits(data.test)) return undefined;
    const label = `${data.name}, test split`;
    const evaluation = await evaluateModel(model, data.test, label);
    const listening = await listeningEvaluation(model, data.test, label);
    await updateCard(dir, (card) => ({ ...card, metrics: { ...evaluation, listening } }));
    return evaluation;
  } finally {
    disposeGenerator(model.generator);
  }
}

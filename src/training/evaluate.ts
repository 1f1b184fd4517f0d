import { pieceMetrics, summarize, type MetricSummary } from '../music/metrics.js';
import type { Note } from '../music/melody.js';
import { accompanyWindows } from '../inference/accompany.js';
import type { LoadedModel } from '../inference/registry.js';
import { windowNotes, windowsOf, type Piece } from './dataset.js';

export interface Evaluation {
  /** What was measured: data set, split, window count. */
  readonly evaluatedOn: string;
  /** Metrics of the model's accompaniment of the held-out melodies (melody track = the real one). */
  readonly generated: MetricSummary;
  /** The same metrics of the real held-out music. */
  readonly real: MetricSummary;
}

export const EVALUATION_SEED = 20260101;

function metricsOf(windows: readonly (readonly (readonly Note[])[])[], bars: number, stepsPerBar: number): MetricSummary {
  return summarize(windows.map((w) => pieceMetrics(w, bars, stepsPerBar, { keyTrack: 0 })));
}

/**
 * Generated vs real metrics on every bar-aligned window of held-out pieces (window = the model's
 * length, hop = one window), with a fixed seed so that the numbers are reproducible.
 */
export async function evaluateModel(model: LoadedModel, pieces: readonly Piece[], label: string): Promise<Evaluation> {
  const { card } = model;
  const steps = card.network.steps;
  const refs = windowsOf(pieces, { steps, hop: steps, maxMelodyRest: 0.5, pitchLow: card.pitchLow, pitchCount: card.pitchCount });
  const real = refs.map((r) => windowNotes(pieces[r.piece], r.start, steps));
  const generated = await accompanyWindows(
    { generator: model.generator, spec: card.network, pitchLow: card.pitchLow, threshold: card.threshold, tracks: card.tracks },
    real,
    EVALUATION_SEED,
  );
  return {
    evaluatedOn: `${label}: ${pieces.length} pieces, ${real.length} windows of ${card.barsPerWindow} bars`,
    generated: metricsOf(generated, card.barsPerWindow, card.stepsPerBar),
    real: metricsOf(real, card.barsPerWindow, card.stepsPerBar),
  };
}

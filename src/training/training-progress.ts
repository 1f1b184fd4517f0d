import type { MetricSummary } from '../music/metrics.js';

/** One training iteration as reported to the CLI, the API and the charts. */
export interface TrainingProgress {
  readonly iteration: number;
  readonly iterations: number;
  readonly criticLoss: number;
  readonly generatorLoss: number;
  /** E[D(real)] − E[D(fake)]: the critic's estimate of the Wasserstein distance. */
  readonly wasserstein: number;
  readonly gradientPenalty: number;
  /** Mean absolute difference of generated and real tracks (the reconstruction term), when trained with one. */
  readonly reconstruction?: number;
  readonly elapsedMs: number;
  readonly etaMs: number;
  /** Present on evaluation iterations: metrics of generated output on the evaluation melodies. */
  readonly metrics?: MetricSummary;
}

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
  /**
   * Present on evaluation iterations: the similarity index (0…1, src/music/similarity.ts) of the
   * generated accompaniment's metric profile to the real one of the same melodies.
   */
  readonly similarity?: number;
  /** On the last iteration of a run ended by `stopWhenConverged`: the similarity index stopped rising. */
  readonly converged?: boolean;
}

/** Training settings. The defaults are DeepComposer's GAN lab's (DESIGN.md §3) unless noted. */
export interface HyperParameters {
  readonly iterations: number;
  /** Critic steps per generator step. */
  readonly updateRatio: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  /** Weight of the WGAN-GP gradient penalty. */
  readonly gradientPenalty: number;
  /** Network size: filters of the first block (DeepComposer: 64). */
  readonly filters: number;
  /** Largest random transposition of a training window, in semitones. */
  readonly transpose: number;
  /**
   * Weight of an L1 term between generated and real tracks in the generator's loss (pix2pix, Isola et
   * al. 2017): it makes the generator write confident notes where the music is clear. 0 = pure WGAN-GP.
   */
  readonly reconstruction?: number;
  /**
   * How the reconstruction term measures the distance: `l1` (pix2pix), or `bce`, the cross-entropy of
   * the roll read as note probabilities, whose optimum is a cell's probability rather than its median —
   * so a part the melody does not determine (a walking bass) keeps its preferences instead of silence.
   */
  readonly reconstructionLoss?: 'l1' | 'bce';
}

export const DEFAULT_HYPER_PARAMETERS: HyperParameters = {
  iterations: 1000,
  updateRatio: 5,
  batchSize: 64,
  learningRate: 1e-3,
  beta1: 0.5,
  beta2: 0.9,
  gradientPenalty: 10,
  // 16 (not DeepComposer's 64): a quarter of the filters trains ≈12× faster per iteration on the wasm
  // CPU backend, so a run of the reference's 1000 iterations fits in about two hours here.
  filters: 16,
  transpose: 5,
  reconstruction: 0,
};

export function validateHyperParameters(h: HyperParameters): string[] {
  const problems: string[] = [];
  const positiveInt = (k: 'iterations' | 'updateRatio' | 'batchSize' | 'filters', max: number) => {
    const v = h[k];
    if (!Number.isInteger(v) || v < 1 || v > max) problems.push(`${k} must be a whole number from 1 to ${max}, got ${v}`);
  };
  positiveInt('iterations', 1_000_000);
  positiveInt('updateRatio', 100);
  positiveInt('batchSize', 1024);
  positiveInt('filters', 256);
  if (!(h.learningRate > 0 && h.learningRate < 1)) problems.push(`learningRate must be between 0 and 1, got ${h.learningRate}`);
  for (const k of ['beta1', 'beta2'] as const) if (!(h[k] >= 0 && h[k] < 1)) problems.push(`${k} must be in [0, 1), got ${h[k]}`);
  if (!(h.gradientPenalty >= 0)) problems.push(`gradientPenalty must be ≥ 0, got ${h.gradientPenalty}`);
  if (!Number.isInteger(h.transpose) || h.transpose < 0 || h.transpose > 11) problems.push(`transpose must be 0–11 semitones, got ${h.transpose}`);
  if (h.reconstruction !== undefined && !(h.reconstruction >= 0 && h.reconstruction <= 10_000)) problems.push(`reconstruction must be from 0 to 10000, got ${h.reconstruction}`);
  if (h.reconstructionLoss !== undefined && h.reconstructionLoss !== 'l1' && h.reconstructionLoss !== 'bce') problems.push(`reconstructionLoss must be l1 or bce, got ${String(h.reconstructionLoss)}`);
  return problems;
}

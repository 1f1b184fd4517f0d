import type { BackendChoice } from '../inference/backend.js';
import type { NetworkSpec } from '../inference/networks.js';
import type { CriticLossOptions, GeneratorLossOptions } from './gan-gradients.js';

/** What a gradient thread is started with (`workerData`). */
export interface GradientThreadData {
  readonly spec: NetworkSpec;
  readonly backend: BackendChoice;
  readonly logLevel: string;
  /** Shared memory of the batch-normalisation exchange (thread-exchange.ts), this thread's rank and the thread count. */
  readonly exchange: SharedArrayBuffer;
  readonly rank: number;
  readonly size: number;
  readonly critic: CriticLossOptions;
  readonly generator: GeneratorLossOptions;
}

/** A thread's part of a batch, window after window (NHWC); `eps` for the critic's steps. */
export interface PartArrays {
  readonly count: number;
  readonly condition: Float32Array;
  readonly real: Float32Array;
  readonly noise: Float32Array;
  readonly eps?: Float32Array;
  readonly weight: number;
}

/** Trainable weights, in the order of the network's `trainableWeights`. */
export type WeightArrays = readonly Float32Array[];

/** The networks' current weights, for those updated since the thread last had them. */
export interface WeightUpdates {
  readonly critic?: WeightArrays;
  readonly generator?: WeightArrays;
}

export type ToGradientThread =
  /** This thread's parts of the coming critic steps' batches: generate its windows for them. */
  | { readonly type: 'prepare'; readonly parts: readonly PartArrays[]; readonly weights: WeightUpdates }
  /** The gradients of its part of prepared critic step `index`. */
  | { readonly type: 'critic'; readonly index: number; readonly weights: WeightUpdates }
  | { readonly type: 'generator'; readonly part: PartArrays; readonly weights: WeightUpdates };

export type FromGradientThread =
  | { readonly type: 'ready' }
  | { readonly type: 'prepared' }
  | {
    readonly type: 'gradients';
    readonly gradients: Float32Array[];
    readonly loss: number;
    readonly wasserstein?: number;
    readonly penalty?: number;
    readonly reconstruction?: number;
  }
  | { readonly type: 'error'; readonly message: string };

import { availableParallelism } from 'node:os';

/** Fewest windows per thread worth a thread of its own. */
const WINDOWS_PER_THREAD = 16;

/**
 * How many threads compute a training step's gradients by default: one per CPU core, with at least 16
 * windows of the batch each (below that, a thread's share of the work is too small for what it costs
 * to hand it out). One on the TensorFlow backend, which spreads its kernels over the cores itself.
 */
export function defaultTrainingThreads(batchSize: number, backend: string | undefined): number {
  if (backend === 'tensorflow') return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.floor(batchSize / WINDOWS_PER_THREAD)));
}

export function validateTrainingThreads(threads: number): string | undefined {
  return Number.isInteger(threads) && threads >= 1 && threads <= 64 ? undefined : `threads must be a whole number from 1 to 64, got ${threads}`;
}

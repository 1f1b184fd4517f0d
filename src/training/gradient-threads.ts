import * as tf from '@tensorflow/tfjs';
import type { Worker } from 'node:worker_threads';
import type { BackendChoice } from '../inference/backend.js';
import type { NetworkSpec } from '../inference/networks.js';
import { logger } from '../logger.js';
import { startWorker } from '../worker-thread.js';
import {
  criticGradients, generateForCritic, generatorGradients,
  type CriticLossOptions, type CriticPart, type GanNetworks, type GeneratorLossOptions, type GeneratorPart, type PartGradients,
} from './gan-gradients.js';
import type { FromGradientThread, GradientThreadData, PartArrays, ToGradientThread, WeightArrays, WeightUpdates } from './gradient-messages.js';
import { ThreadExchange, ThreadExchangeError } from './thread-exchange.js';
import { syncedMoments } from './synced-moments.js';

/** A whole batch, window after window (NHWC); `eps` for the critic's gradient penalty. */
export interface BatchArrays {
  readonly count: number;
  readonly condition: Float32Array;
  readonly real: Float32Array;
  readonly noise: Float32Array;
  readonly eps?: Float32Array;
}

export type Network = 'critic' | 'generator';

/**
 * Gradients of whole batches for the trainer's networks, however they are computed. An iteration
 * prepares its critic steps (their batches, and the generator's windows for all of them in one pass:
 * the generator does not change while the critic learns), takes their gradients one by one, then the
 * generator's. `whileWaiting` runs while this thread waits for others (to draw the next batch).
 */
export interface GradientSource {
  prepareCritic(batches: readonly BatchArrays[]): Promise<void>;
  /** Gradients of prepared critic step `index` (in the order of the critic's trainable weights; the caller disposes them). */
  critic(index: number, whileWaiting?: () => void): Promise<PartGradients>;
  generator(batch: BatchArrays, whileWaiting?: () => void): Promise<PartGradients>;
  /** Tells the source that the trainer has updated a network's weights. */
  updated(network: Network): void;
  dispose(): void;
}

export interface GradientOptions {
  readonly spec: NetworkSpec;
  readonly critic: CriticLossOptions;
  readonly generator: GeneratorLossOptions;
}

function tensor(spec: NetworkSpec, values: Float32Array, count: number, what: 'condition' | 'tracks' | 'noise' | 'eps'): tf.Tensor4D {
  const shape: Record<typeof what, [number, number, number]> = {
    condition: [spec.steps, spec.pitches, spec.conditionChannels ?? 1],
    tracks: [spec.steps, spec.pitches, spec.tracks],
    noise: [spec.steps / 16, spec.pitches / 16, spec.noiseChannels],
    eps: [1, 1, 1],
  };
  return tf.tensor4d(values, [count, ...shape[what]]);
}

function generatorPart(spec: NetworkSpec, part: PartArrays): GeneratorPart {
  return {
    condition: tensor(spec, part.condition, part.count, 'condition'),
    real: tensor(spec, part.real, part.count, 'tracks'),
    noise: tensor(spec, part.noise, part.count, 'noise'),
    weight: part.weight,
  };
}

/** Joins arrays end to end. */
function joined(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/**
 * One thread's parts of the coming critic steps, with the generator's windows for them (kept as
 * tensors until the next preparation).
 */
export class PreparedCritic {
  private parts: CriticPart[] = [];

  prepare(nets: GanNetworks, spec: NetworkSpec, parts: readonly PartArrays[]): void {
    this.dispose();
    const count = parts[0].count;
    const fakes = tf.tidy(() => {
      const condition = tensor(spec, joined(parts.map((p) => p.condition)), count * parts.length, 'condition');
      const noise = tensor(spec, joined(parts.map((p) => p.noise)), count * parts.length, 'noise');
      return tf.split(generateForCritic(nets, condition, noise, parts.length), parts.length) as tf.Tensor4D[];
    });
    this.parts = parts.map((p, i) => {
      if (!p.eps) throw new RangeError('a critic step needs interpolation factors (eps)');
      return {
        condition: tensor(spec, p.condition, count, 'condition'),
        real: tensor(spec, p.real, count, 'tracks'),
        fake: fakes[i],
        eps: tensor(spec, p.eps, count, 'eps'),
        weight: p.weight,
      };
    });
  }

  part(index: number): CriticPart {
    const part = this.parts[index];
    if (!part) throw new RangeError(`critic step ${index} was not prepared`);
    return part;
  }

  dispose(): void {
    tf.dispose(this.parts.flatMap((p) => [p.condition, p.real, p.fake, p.eps]));
    this.parts = [];
  }
}

/** The generator's step on a thread's part of its batch. */
export function generatorStep(nets: GanNetworks, o: GradientOptions, part: PartArrays): PartGradients {
  const tensors = generatorPart(o.spec, part);
  try {
    return generatorGradients(nets, tensors, o.generator);
  } finally {
    tf.dispose([tensors.condition, tensors.real, tensors.noise]);
  }
}

/** One thread, the whole batch: the trainer's own networks, batch statistics of the batch. */
export class LocalGradients implements GradientSource {
  private readonly prepared = new PreparedCritic();

  constructor(private readonly nets: GanNetworks, private readonly o: GradientOptions) {}

  prepareCritic(batches: readonly BatchArrays[]): Promise<void> {
    this.prepared.prepare(this.nets, this.o.spec, batches.map((b) => ({ ...b, weight: 1 })));
    return Promise.resolve();
  }

  critic(index: number): Promise<PartGradients> {
    return Promise.resolve(criticGradients(this.nets, this.prepared.part(index), this.o.critic));
  }

  generator(batch: BatchArrays): Promise<PartGradients> {
    return Promise.resolve(generatorStep(this.nets, this.o, { ...batch, weight: 1 }));
  }

  updated(): void {}

  dispose(): void {
    this.prepared.dispose();
  }
}

/** Splits a batch into `count` parts of consecutive windows, as even as can be. */
export function splitBatch(batch: BatchArrays, count: number): PartArrays[] {
  const sizes = Array.from({ length: count }, (_, t) => Math.floor(batch.count / count) + (t < batch.count % count ? 1 : 0));
  const per = (a: Float32Array) => a.length / batch.count;
  let start = 0;
  return sizes.map((n) => {
    const cut = (a: Float32Array) => a.slice(start * per(a), (start + n) * per(a));
    const part: PartArrays = {
      count: n, condition: cut(batch.condition), real: cut(batch.real), noise: cut(batch.noise),
      ...(batch.eps ? { eps: cut(batch.eps) } : {}), weight: n / batch.count,
    };
    start += n;
    return part;
  });
}

/** The buffers of a part's arrays, to move rather than copy them to a thread. */
function buffers(part: PartArrays): ArrayBuffer[] {
  return [part.condition, part.real, part.noise, ...(part.eps ? [part.eps] : [])].map((a) => a.buffer as ArrayBuffer);
}

type GradientsReply = Extract<FromGradientThread, { type: 'gradients' }>;

/** A task without the weights, which are read once for every worker. */
type Task = ToGradientThread extends infer M ? (M extends unknown ? Omit<M, 'weights'> : never) : never;

interface Pending {
  resolve(message: FromGradientThread): void;
}

/**
 * Data parallelism over threads: each computes the gradients of its part of the batch, and their sum
 * is the gradient of the whole batch. This thread takes the first part with the trainer's networks;
 * each worker thread holds replicas on a wasm backend of its own, sent the weights the trainer has
 * updated since. Batch normalisation takes its statistics over all parts (synced-moments.ts), so the
 * result is the one-thread result up to float rounding.
 */
export class ThreadedGradients implements GradientSource {
  private readonly stale = new Set<Network>(['critic', 'generator']);
  private readonly pending = new Map<Worker, Pending>();
  private readonly prepared = new PreparedCritic();
  private failure: Error | undefined;

  private constructor(
    private readonly nets: GanNetworks,
    private readonly o: GradientOptions,
    private readonly exchange: ThreadExchange,
    private readonly workers: readonly Worker[],
  ) {
    for (const worker of workers) {
      worker.on('message', (message: FromGradientThread) => this.receive(worker, message));
      worker.on('error', (error) => this.stop(worker, error));
      worker.on('exit', (code) => this.stop(worker, new Error(`a gradient thread stopped (exit code ${code})`)));
    }
  }

  /** Starts `threads − 1` worker threads beside this one and waits until they are ready. */
  static async start(nets: Omit<GanNetworks, 'moments'>, o: GradientOptions & { threads: number; backend: BackendChoice; groups: number }): Promise<ThreadedGradients> {
    // The widest batch normalisation has 8 × filters channels: a count, means and squares per group.
    const capacity = Math.max(1, o.groups) * (2 * 8 * o.spec.filters + 1);
    const buffer = ThreadExchange.allocate(o.threads, capacity);
    const workers = Array.from({ length: o.threads - 1 }, (_, i) => {
      const data: GradientThreadData = {
        spec: o.spec, backend: o.backend, logLevel: logger.level, exchange: buffer, rank: i + 1, size: o.threads, critic: o.critic, generator: o.generator,
      };
      return startWorker(import.meta.url, './gradient.worker', { workerData: data });
    });
    const exchange = new ThreadExchange(buffer, 0, o.threads);
    const threads = new ThreadedGradients({ ...nets, moments: syncedMoments(exchange) }, o, exchange, workers);
    try {
      await Promise.all(workers.map((w) => threads.next(w)));
    } catch (error) {
      threads.dispose();
      throw error;
    }
    return threads;
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  async prepareCritic(batches: readonly BatchArrays[]): Promise<void> {
    const parts = batches.map((b) => splitBatch(b, this.threads));
    await this.run(
      (i) => {
        const mine = parts.map((p) => p[i + 1]);
        return [{ type: 'prepare', parts: mine }, mine.flatMap(buffers)];
      },
      () => this.prepared.prepare(this.nets, this.o.spec, parts.map((p) => p[0])),
    );
  }

  critic(index: number, whileWaiting?: () => void): Promise<PartGradients> {
    return this.gradients(() => [{ type: 'critic', index }, []], () => criticGradients(this.nets, this.prepared.part(index), this.o.critic), whileWaiting);
  }

  generator(batch: BatchArrays, whileWaiting?: () => void): Promise<PartGradients> {
    const parts = splitBatch(batch, this.threads);
    return this.gradients((i) => [{ type: 'generator', part: parts[i + 1] }, buffers(parts[i + 1])], () => generatorStep(this.nets, this.o, parts[0]), whileWaiting);
  }

  updated(network: Network): void {
    this.stale.add(network);
  }

  dispose(): void {
    this.prepared.dispose();
    for (const worker of this.workers) void worker.terminate();
  }

  /** Posts each worker its task, does this thread's part, and waits for the workers' replies. */
  private async run<T>(
    task: (worker: number) => [Task, ArrayBuffer[]],
    own: () => T,
    o: { whileWaiting?: () => void; discard?: (own: T) => void } = {},
  ): Promise<{ own: T; others: FromGradientThread[] }> {
    if (this.failure) throw this.failure;
    const weights = this.weightsToSend();
    const replies = this.workers.map((worker, i) => {
      const [message, transfer] = task(i);
      const reply = this.next(worker);
      worker.postMessage({ ...message, weights } as ToGradientThread, transfer);
      return reply;
    });
    let mine: T;
    try {
      mine = own();
    } catch (error) {
      this.exchange.fail();
      // A worker's error explains a failed wait better than the wait itself.
      const settled = error instanceof ThreadExchangeError ? await Promise.allSettled(replies) : [];
      const cause = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      throw this.fail(cause ? (cause.reason as Error) : (error as Error));
    }
    try {
      o.whileWaiting?.();
      return { own: mine, others: await Promise.all(replies) };
    } catch (error) {
      o.discard?.(mine);
      throw error;
    }
  }

  private async gradients(task: (worker: number) => [Task, ArrayBuffer[]], own: () => PartGradients, whileWaiting?: () => void): Promise<PartGradients> {
    const { own: mine, others } = await this.run(task, own, { whileWaiting, discard: (g) => tf.dispose(g.gradients) });
    const replies = others as GradientsReply[];
    try {
      return tf.tidy(() => {
        const gradients = mine.gradients.map((g, i) => replies.reduce((sum, r) => tf.add(sum, tf.tensor(r.gradients[i], g.shape)), g as tf.Tensor));
        const total = (key: 'loss' | 'wasserstein' | 'penalty' | 'reconstruction') =>
          mine[key] === undefined ? undefined : replies.reduce((sum, r) => sum + (r[key] ?? 0), mine[key] as number);
        return {
          gradients,
          loss: total('loss') as number,
          ...(mine.wasserstein !== undefined ? { wasserstein: total('wasserstein') } : {}),
          ...(mine.penalty !== undefined ? { penalty: total('penalty') } : {}),
          ...(mine.reconstruction !== undefined ? { reconstruction: total('reconstruction') } : {}),
        };
      });
    } finally {
      tf.dispose(mine.gradients);
    }
  }

  private weightsToSend(): WeightUpdates {
    const read = (model: tf.LayersModel): WeightArrays => model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
    const weights = {
      ...(this.stale.has('critic') ? { critic: read(this.nets.critic) } : {}),
      ...(this.stale.has('generator') ? { generator: read(this.nets.generator) } : {}),
    };
    this.stale.clear();
    return weights;
  }

  /** The worker's next message: its readiness, or its reply to the task just posted. */
  private next(worker: Worker): Promise<FromGradientThread> {
    return new Promise((resolve, reject) => {
      this.pending.set(worker, {
        resolve: (message) => (message.type === 'error' ? reject(this.fail(new Error(`gradient thread: ${message.message}`))) : resolve(message)),
      });
    });
  }

  private receive(worker: Worker, message: FromGradientThread): void {
    const pending = this.pending.get(worker);
    this.pending.delete(worker);
    pending?.resolve(message);
  }

  private stop(worker: Worker, error: Error): void {
    if (this.failure) return;
    this.exchange.fail();
    this.fail(error);
    this.receive(worker, { type: 'error', message: error.message });
  }

  private fail(error: Error): Error {
    this.failure ??= error;
    return this.failure;
  }
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { arrangementToMidi } from '../music/midi.js';
import { windowMetrics, type MetricSummary } from '../music/metrics.js';
import { hasConverged, similarityIndex } from '../music/similarity.js';
import type { Note, TimeSignature } from '../music/melody.js';
import { accompanyWindows, type MeasuredWindow } from '../inference/accompany.js';
import { currentBackend, type BackendChoice } from '../inference/backend.js';
import { disposeGenerator } from '../inference/generator-graph.js';
import { buildCritic, buildGenerator, sampleNoise, type NetworkSpec } from '../inference/networks.js';
import { WindowCodec, type CodecCard } from '../inference/window-codec.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { windowChords, windowNotes, type Piece, type WindowRef } from './dataset.js';
import type { PartGradients } from './gan-gradients.js';
import { LocalGradients, ThreadedGradients, type BatchArrays, type GradientSource, type Network } from './gradient-threads.js';
import type { HyperParameters } from './hyper-parameters.js';
import type { TrainingProgress } from './training-progress.js';

export type { TrainingProgress } from './training-progress.js';

export interface TrainerOptions {
  readonly hyper: HyperParameters;
  /** The network, tracks and conditioning of the model being trained (what its card will say). */
  readonly card: CodecCard;
  readonly stepsPerBar: number;
  readonly timeSignature: TimeSignature;
  readonly tempo: number;
  readonly pieces: readonly Piece[];
  readonly windows: readonly WindowRef[];
  /** Fixed windows whose melodies are accompanied at every evaluation (and written as samples). */
  readonly evalWindows: readonly MeasuredWindow[];
  readonly outDir: string;
  readonly evalEvery: number;
  readonly sampleEvery: number;
  readonly checkpointEvery: number;
  /** Wall-clock limit of this run: the iteration that passes it is the last (evaluated, checkpointed). */
  readonly timeBudgetMs?: number;
  /** End the run when the similarity index stops rising (src/music/similarity.ts `hasConverged`). */
  readonly stopWhenConverged?: boolean;
  readonly onProgress?: (p: TrainingProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * Threads that compute each step's gradients, each on part of the batch (gradient-threads.ts); the
   * result is the same as one thread's up to float rounding. Default 1: this thread alone.
   */
  readonly threads?: number;
}

interface State {
  iteration: number;
  /** Training time of earlier runs of this folder (resume adds to it). */
  elapsedMs: number;
  history: TrainingProgress[];
}

const CHECKPOINT = 'checkpoint';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * WGAN-GP (Gulrajani et al. 2017) with an update ratio, as in DeepComposer's GAN lab: per iteration,
 * `updateRatio` critic steps on real vs generated windows with the gradient penalty on random
 * interpolates, then one generator step. Each step's gradients come from this thread, or from
 * `threads` threads that share its batch (gradient-threads.ts); this thread keeps the networks and
 * the optimizers. Checkpoints make a stopped run resumable.
 */
export class GanTrainer {
  private generator!: tf.LayersModel;
  private critic!: tf.LayersModel;
  private readonly criticOptimizer: tf.AdamOptimizer;
  private readonly generatorOptimizer: tf.AdamOptimizer;
  private state: State = { iteration: 0, elapsedMs: 0, history: [] };
  private gradients: GradientSource | undefined;
  /** Batches drawn ahead while other threads finished a step. */
  private drawn: { critic?: BatchArrays[]; generator?: BatchArrays } = {};

  private readonly codec: WindowCodec;
  private readonly spec: NetworkSpec;

  constructor(private readonly o: TrainerOptions) {
    const { learningRate, beta1, beta2 } = o.hyper;
    this.codec = new WindowCodec(o.card);
    this.spec = o.card.network;
    this.criticOptimizer = tf.train.adam(learningRate, beta1, beta2);
    this.generatorOptimizer = tf.train.adam(learningRate, beta1, beta2);
  }

  get iteration(): number {
    return this.state.iteration;
  }

  get history(): readonly TrainingProgress[] {
    return this.state.history;
  }

  get elapsedMs(): number {
    return this.state.elapsedMs;
  }

  get generatorModel(): tf.LayersModel {
    return this.generator;
  }

  /**
   * Builds fresh networks, or, with `resume` and a checkpoint in the output folder, loads it; starts the
   * gradient threads.
   */
  async init(resume: boolean): Promise<boolean> {
    const dir = join(this.o.outDir, CHECKPOINT);
    const resumed = resume && hasCheckpoint(dir);
    if (resumed) {
      const loaded = await loadCheckpoint<State>(dir, { generator: this.generatorOptimizer, critic: this.criticOptimizer });
      this.generator = loaded.generator;
      this.critic = loaded.critic;
      this.state = loaded.state;
    } else {
      this.generator = buildGenerator(this.spec);
      this.critic = buildCritic(this.spec);
    }
    const { hyper } = this.o;
    const losses = {
      spec: this.spec,
      critic: { gradientPenalty: hyper.gradientPenalty },
      generator: { reconstruction: hyper.reconstruction ?? 0, reconstructionLoss: hyper.reconstructionLoss ?? 'l1' },
    };
    const nets = { generator: this.generator, critic: this.critic };
    const threads = Math.min(this.o.threads ?? 1, hyper.batchSize);
    this.gradients = threads > 1
      ? await ThreadedGradients.start(nets, { ...losses, threads, groups: hyper.updateRatio, backend: (currentBackend()?.name ?? 'auto') as BackendChoice })
      : new LocalGradients(nets, losses);
    return resumed;
  }

  /**
   * A random batch of training windows: conditions (melody, chords), the real tracks and the
   * generator's noise, and for the critic the gradient penalty's interpolation factors.
   */
  private batch(network: Network): BatchArrays {
    const { hyper, pieces, windows } = this.o;
    const { spec, codec } = this;
    const pitchLow = this.o.card.pitchLow;
    const n = hyper.batchSize;
    const condition = codec.conditionBuffer(n);
    const real = codec.tracksBuffer(n);
    for (let i = 0; i < n; i++) {
      const w = windows[Math.floor(Math.random() * windows.length)];
      const down = Math.max(-hyper.transpose, pitchLow - w.low);
      const up = Math.min(hyper.transpose, pitchLow + spec.pitches - 1 - w.high);
      const shift = down + Math.floor(Math.random() * (up - down + 1));
      const tracks = windowNotes(pieces[w.piece], w.start, spec.steps, shift);
      codec.writeCondition({ melody: tracks[0], chords: windowChords(pieces[w.piece], w.start, spec.steps, shift) }, i, condition);
      codec.writeTracks(tracks, i, real);
    }
    const values = (t: tf.Tensor) => {
      try {
        return t.dataSync() as Float32Array;
      } finally {
        t.dispose();
      }
    };
    return {
      count: n, condition, real,
      noise: values(sampleNoise(spec, n)),
      ...(network === 'critic' ? { eps: values(tf.randomUniform([n, 1, 1, 1])) } : {}),
    };
  }

  private criticBatches(): BatchArrays[] {
    const batches = this.drawn.critic ?? Array.from({ length: this.o.hyper.updateRatio }, () => this.batch('critic'));
    this.drawn.critic = undefined;
    return batches;
  }

  private generatorBatch(): BatchArrays {
    const batch = this.drawn.generator ?? this.batch('generator');
    this.drawn.generator = undefined;
    return batch;
  }

  /** A step of a network: the gradients of its batch, applied by its optimizer. */
  private async step(network: Network, gradients: Promise<PartGradients>): Promise<Omit<PartGradients, 'gradients'>> {
    const { gradients: values, ...losses } = await gradients;
    const model = network === 'critic' ? this.critic : this.generator;
    const optimizer = network === 'critic' ? this.criticOptimizer : this.generatorOptimizer;
    const named = model.trainableWeights.map((w, i) => ({ name: (w.read() as tf.Variable).name, tensor: values[i] }));
    try {
      optimizer.applyGradients(named);
    } finally {
      tf.dispose(values);
    }
    this.gradients?.updated(network);
    return losses;
  }

  /**
   * One iteration: the critic's steps (their batches prepared together, the generator's windows for
   * all of them in one pass), then the generator's. While other threads finish a step, the batches
   * of the next are drawn.
   */
  private async iterate(): Promise<{ critic: Omit<PartGradients, 'gradients'>; generator: Omit<PartGradients, 'gradients'> }> {
    const source = this.gradients;
    if (!source) throw new Error('GanTrainer.init must run before training');
    await source.prepareCritic(this.criticBatches());
    let critic: Omit<PartGradients, 'gradients'> = { loss: 0 };
    // Each step is a second of synchronous maths: let the event loop breathe in between, so that a
    // server training in-process still answers (and a cancel is seen).
    for (let k = 0; k < this.o.hyper.updateRatio; k++) {
      critic = await this.step('critic', source.critic(k, () => {
        this.drawn.generator ??= this.batch('generator');
      }));
      await yieldToEventLoop();
    }
    const generator = await this.step('generator', source.generator(this.generatorBatch(), () => {
      this.drawn.critic ??= Array.from({ length: this.o.hyper.updateRatio }, () => this.batch('critic'));
    }));
    await yieldToEventLoop();
    return { critic, generator };
  }

  /** Accompaniment of the evaluation melodies by the current generator (melody track kept). */
  generateEval(seed = 1234): Promise<Note[][][]> {
    // Uncalibrated: every track decodes at the card's plain threshold (0).
    const card: CodecCard = { ...this.o.card, tracks: this.o.card.tracks.map(({ threshold: _t, sustain: _s, ...t }) => t), threshold: 0 };
    return accompanyWindows({ generator: this.generator, card }, this.o.evalWindows, seed);
  }

  async evaluate(): Promise<{ metrics: MetricSummary; similarity: number }> {
    const bars = this.spec.steps / this.o.stepsPerBar;
    const pieces = await this.generateEval();
    const parts = this.o.card.tracks.flatMap((t, k) => (t.role === 'accompaniment' ? [k] : []));
    const real = this.o.evalWindows.map((w) => w.tracks);
    return { metrics: windowMetrics(pieces, bars, this.o.stepsPerBar), similarity: similarityIndex(real, pieces, parts, this.spec.steps, this.o.stepsPerBar) };
  }

  private async writeSamples(iteration: number): Promise<void> {
    const pieces = await this.generateEval();
    const dir = join(this.o.outDir, 'samples');
    await mkdir(dir, { recursive: true });
    const count = Math.min(4, pieces.length);
    for (let i = 0; i < count; i++) {
      const midi = arrangementToMidi({
        tracks: this.o.card.tracks.map((t, k) => ({ ...t, notes: pieces[i][k] })),
        tempo: this.o.tempo,
        timeSignature: this.o.timeSignature,
        steps: this.spec.steps,
      });
      await writeFile(join(dir, `iter-${String(iteration).padStart(6, '0')}-${i}.mid`), midi);
    }
  }

  async checkpoint(): Promise<void> {
    await saveCheckpoint(join(this.o.outDir, CHECKPOINT), {
      generator: this.generator, critic: this.critic,
      generatorOptimizer: this.generatorOptimizer, criticOptimizer: this.criticOptimizer,
      state: this.state,
    });
    await writeFile(join(this.o.outDir, 'history.json'), JSON.stringify(this.state.history, null, 1));
  }

  /**
   * Trains up to the configured iteration count (from where a resumed run left off), or up to `until`
   * iterations of it (a benchmark takes turns between trainers).
   */
  async run(until = this.o.hyper.iterations): Promise<void> {
    const { hyper, evalEvery, sampleEvery, checkpointEvery, signal } = this.o;
    const startedAt = Date.now() - this.state.elapsedMs;
    const firstIteration = this.state.iteration;
    const runStart = Date.now();
    while (this.state.iteration < Math.min(until, hyper.iterations)) {
      if (signal?.aborted) break;
      const iteration = this.state.iteration + 1;
      const { critic, generator } = await this.iterate();
      this.state.iteration = iteration;
      this.state.elapsedMs = Date.now() - startedAt;
      const perIteration = (Date.now() - runStart) / (iteration - firstIteration);
      const outOfTime = this.o.timeBudgetMs !== undefined && Date.now() - runStart >= this.o.timeBudgetMs;
      const last = iteration === hyper.iterations || outOfTime;
      const evaluation = iteration % evalEvery === 0 || last ? await this.evaluate() : undefined;
      const converged = evaluation !== undefined && this.o.stopWhenConverged === true
        && hasConverged([...this.state.history.flatMap((p) => (p.similarity !== undefined ? [p.similarity] : [])), evaluation.similarity]);
      const progress: TrainingProgress = {
        iteration,
        iterations: hyper.iterations,
        criticLoss: critic.loss,
        generatorLoss: generator.loss,
        ...(generator.reconstruction !== undefined ? { reconstruction: generator.reconstruction } : {}),
        wasserstein: critic.wasserstein ?? 0,
        gradientPenalty: critic.penalty ?? 0,
        elapsedMs: this.state.elapsedMs,
        etaMs: perIteration * (hyper.iterations - iteration),
        ...(evaluation ? { metrics: evaluation.metrics, similarity: evaluation.similarity } : {}),
        ...(converged ? { converged: true } : {}),
      };
      this.state.history.push(progress);
      this.o.onProgress?.(progress);
      if (iteration % sampleEvery === 0) await this.writeSamples(iteration);
      if (iteration % checkpointEvery === 0) await this.checkpoint();
      if (outOfTime || converged) break;
    }
    await this.checkpoint();
  }

  dispose(): void {
    this.gradients?.dispose();
    if (this.generator) disposeGenerator(this.generator);
    this.critic?.dispose();
    this.criticOptimizer.dispose();
    this.generatorOptimizer.dispose();
  }
}

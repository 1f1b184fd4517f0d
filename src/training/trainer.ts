import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { arrangementToMidi } from '../music/midi.js';
import { windowMetrics, type MetricSummary } from '../music/metrics.js';
import { hasConverged, similarityIndex } from '../music/similarity.js';
import type { Note, TimeSignature } from '../music/melody.js';
import { accompanyWindows, type MeasuredWindow } from '../inference/accompany.js';
import { buildCritic, buildGenerator, sampleNoise, type NetworkSpec } from '../inference/networks.js';
import { WindowCodec, type CodecCard } from '../inference/window-codec.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { windowChords, windowNotes, type Piece, type WindowRef } from './dataset.js';
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
}

interface State {
  iteration: number;
  /** Training time of earlier runs of this folder (resume adds to it). */
  elapsedMs: number;
  history: TrainingProgress[];
}

const CHECKPOINT = 'checkpoint';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Cross-entropy of generated rolls (tanh, −1…1, read as note probabilities) against real ones (−1/+1). */
function rollCrossEntropy(fake: tf.Tensor, real: tf.Tensor): tf.Tensor {
  const p = tf.clipByValue(tf.div(tf.add(fake, 1), 2), 1e-6, 1 - 1e-6);
  const t = tf.div(tf.add(real, 1), 2);
  return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p))))));
}

/**
 * WGAN-GP (Gulrajani et al. 2017) with an update ratio, as in DeepComposer's GAN lab: per iteration,
 * `updateRatio` critic steps on real vs generated windows with the gradient penalty on random
 * interpolates, then one generator step. Checkpoints make a stopped run resumable.
 */
export class GanTrainer {
  private generator!: tf.LayersModel;
  private critic!: tf.LayersModel;
  private readonly criticOptimizer: tf.AdamOptimizer;
  private readonly generatorOptimizer: tf.AdamOptimizer;
  private state: State = { iteration: 0, elapsedMs: 0, history: [] };

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

  /** Builds fresh networks, or, with `resume` and a checkpoint in the output folder, loads it. */
  async init(resume: boolean): Promise<boolean> {
    const dir = join(this.o.outDir, CHECKPOINT);
    if (resume && hasCheckpoint(dir)) {
      const loaded = await loadCheckpoint<State>(dir, { generator: this.generatorOptimizer, critic: this.criticOptimizer });
      this.generator = loaded.generator;
      this.critic = loaded.critic;
      this.state = loaded.state;
      return true;
    }
    this.generator = buildGenerator(this.spec);
    this.critic = buildCritic(this.spec);
    return false;
  }

  /** A random batch of training windows: conditions (melody, chords) and the real tracks. */
  private batch(): { condition: tf.Tensor4D; real: tf.Tensor4D } {
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
    return {
      condition: tf.tensor4d(condition, [n, spec.steps, spec.pitches, codec.conditionChannels]),
      real: tf.tensor4d(real, [n, spec.steps, spec.pitches, spec.tracks]),
    };
  }

  private criticStep(): { loss: number; wasserstein: number; penalty: number } {
    const { hyper } = this.o;
    const { spec } = this;
    const n = hyper.batchSize;
    const weights = this.critic.trainableWeights.map((w) => w.read() as tf.Variable);
    let parts: tf.Tensor[] = [];
    const loss = tf.tidy(() => {
      const { condition, real } = this.batch();
      const fake = this.generator.apply([condition, sampleNoise(spec, n)], { training: true }) as tf.Tensor4D;
      const score = (tracks: tf.Tensor): tf.Tensor => this.critic.apply(tf.concat([condition, tracks], 3)) as tf.Tensor;
      return this.criticOptimizer.minimize(
        () => {
          const wasserstein = tf.sub(tf.mean(score(real)), tf.mean(score(fake)));
          const eps = tf.randomUniform([n, 1, 1, 1]);
          const interpolated = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
          const gradient = tf.grad((x: tf.Tensor) => tf.sum(score(x)))(interpolated);
          const norm = tf.sqrt(tf.add(tf.sum(tf.square(gradient), [1, 2, 3]), 1e-12));
          const penalty = tf.mean(tf.square(tf.sub(norm, 1)));
          parts = [tf.keep(wasserstein), tf.keep(penalty)];
          return tf.add(tf.neg(wasserstein), tf.mul(penalty, hyper.gradientPenalty)) as tf.Scalar;
        },
        true,
        weights,
      ) as tf.Scalar;
    });
    const [wasserstein, penalty] = parts.map((t) => t.dataSync()[0]);
    const value = loss.dataSync()[0];
    tf.dispose([...parts, loss]);
    return { loss: value, wasserstein, penalty };
  }

  private generatorStep(): { loss: number; reconstruction?: number } {
    const { hyper } = this.o;
    const { spec } = this;
    const weight = hyper.reconstruction ?? 0;
    const weights = this.generator.trainableWeights.map((w) => w.read() as tf.Variable);
    let l1: tf.Tensor | undefined;
    const loss = tf.tidy(() => {
      const { condition, real } = this.batch();
      return this.generatorOptimizer.minimize(
        () => {
          const fake = this.generator.apply([condition, sampleNoise(spec, hyper.batchSize)], { training: true }) as tf.Tensor;
          const adversarial = tf.neg(tf.mean(this.critic.apply(tf.concat([condition, fake], 3)) as tf.Tensor));
          if (weight === 0) return adversarial as tf.Scalar;
          const distance = hyper.reconstructionLoss === 'bce' ? rollCrossEntropy(fake, real) : tf.mean(tf.abs(tf.sub(fake, real)));
          l1 = tf.keep(distance);
          return tf.add(adversarial, tf.mul(distance, weight)) as tf.Scalar;
        },
        true,
        weights,
      ) as tf.Scalar;
    });
    const value = loss.dataSync()[0];
    const reconstruction = l1 ? l1.dataSync()[0] : undefined;
    tf.dispose([loss, ...(l1 ? [l1] : [])]);
    return { loss: value, ...(reconstruction !== undefined ? { reconstruction } : {}) };
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

  /** Trains up to the configured iteration count (from where a resumed run left off). */
  async run(): Promise<void> {
    const { hyper, evalEvery, sampleEvery, checkpointEvery, signal } = this.o;
    const startedAt = Date.now() - this.state.elapsedMs;
    const firstIteration = this.state.iteration;
    const runStart = Date.now();
    while (this.state.iteration < hyper.iterations) {
      if (signal?.aborted) break;
      const iteration = this.state.iteration + 1;
      let critic = { loss: 0, wasserstein: 0, penalty: 0 };
      // Each step is seconds of synchronous maths: let the event loop breathe in between, so that a
      // server training in-process still answers (and a cancel is seen).
      for (let k = 0; k < hyper.updateRatio; k++) {
        critic = this.criticStep();
        await yieldToEventLoop();
      }
      const generator = this.generatorStep();
      await yieldToEventLoop();
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
        wasserstein: critic.wasserstein,
        gradientPenalty: critic.penalty,
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
    this.generator?.dispose();
    this.critic?.dispose();
    this.criticOptimizer.dispose();
    this.generatorOptimizer.dispose();
  }
}

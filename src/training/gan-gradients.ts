import * as tf from '@tensorflow/tfjs';
import { generatorTrainingPass, localMoments, type BatchMoments } from './generator-pass.js';

/**
 * The gradients of one WGAN-GP step on (part of) a batch, for the trainer and for the threads that
 * share a batch with it. A part's loss is its mean over its windows times `weight` (its share of the
 * batch), so that the parts' gradients add up to the whole batch's.
 */
export interface GanNetworks {
  readonly generator: tf.LayersModel;
  readonly critic: tf.LayersModel;
  /** Batch statistics of the generator's batch normalisation (across threads when they share a batch). */
  readonly moments?: BatchMoments;
}

/** Windows of a batch for the generator's step, NHWC: conditions, real tracks and noise. */
export interface GeneratorPart {
  readonly condition: tf.Tensor4D;
  readonly real: tf.Tensor4D;
  readonly noise: tf.Tensor4D;
  readonly weight: number;
}

/** Windows of a batch for the critic's step: conditions, real and generated tracks, interpolation factors. */
export interface CriticPart {
  readonly condition: tf.Tensor4D;
  readonly real: tf.Tensor4D;
  readonly fake: tf.Tensor4D;
  /** Per window, where between real (1) and generated (0) the gradient penalty is taken: [n, 1, 1, 1]. */
  readonly eps: tf.Tensor4D;
  readonly weight: number;
}

export interface CriticLossOptions {
  /** Weight of the gradient penalty. */
  readonly gradientPenalty: number;
}

export interface GeneratorLossOptions {
  /** Weight of the reconstruction term (0: none). */
  readonly reconstruction: number;
  readonly reconstructionLoss: 'l1' | 'bce';
}

/** Gradients in the order of the network's trainable weights, and the part's (weighted) losses. */
export interface PartGradients {
  readonly gradients: tf.Tensor[];
  readonly loss: number;
  readonly wasserstein?: number;
  readonly penalty?: number;
  readonly reconstruction?: number;
}

/** Cross-entropy of generated rolls (tanh, −1…1, read as note probabilities) against real ones (−1/+1). */
function rollCrossEntropy(fake: tf.Tensor, real: tf.Tensor): tf.Tensor {
  const p = tf.clipByValue(tf.div(tf.add(fake, 1), 2), 1e-6, 1 - 1e-6);
  const t = tf.div(tf.add(real, 1), 2);
  return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p))))));
}

function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Reads and disposes scalars kept out of a tidy. */
function take(kept: Record<string, tf.Tensor | undefined>): Record<string, number | undefined> {
  const values: Record<string, number | undefined> = {};
  for (const [key, t] of Object.entries(kept)) {
    values[key] = t ? t.dataSync()[0] : undefined;
    t?.dispose();
  }
  return values;
}

/**
 * The generator's windows for the batches of the coming critic steps, in one pass (the generator does
 * not change while the critic learns): `groups` batches of equal size one after the other, each
 * normalised as a batch of its own.
 */
export function generateForCritic(nets: GanNetworks, condition: tf.Tensor4D, noise: tf.Tensor4D, groups: number): tf.Tensor4D {
  return tf.tidy(() => generatorTrainingPass(nets.generator, condition, noise, nets.moments ?? localMoments, groups));
}

/**
 * The critic's step: Wasserstein estimate on real vs generated windows, and the gradient penalty
 * (Gulrajani et al. 2017) on interpolates between them.
 */
export function criticGradients(nets: GanNetworks, part: CriticPart, o: CriticLossOptions): PartGradients {
  const { eps, fake } = part;
  const variables = variablesOf(nets.critic);
  const kept: Record<string, tf.Tensor | undefined> = {};
  const gradients = tf.tidy(() => {
    const score = (tracks: tf.Tensor): tf.Tensor => nets.critic.apply(tf.concat([part.condition, tracks], 3)) as tf.Tensor;
    const { value, grads } = tf.variableGrads(() => {
      const wasserstein = tf.sub(tf.mean(score(part.real)), tf.mean(score(fake)));
      const interpolated = tf.add(tf.mul(eps, part.real), tf.mul(tf.sub(1, eps), fake));
      const gradient = tf.grad((x: tf.Tensor) => tf.sum(score(x)))(interpolated);
      const norm = tf.sqrt(tf.add(tf.sum(tf.square(gradient), [1, 2, 3]), 1e-12));
      const penalty = tf.mean(tf.square(tf.sub(norm, 1)));
      kept.wasserstein = tf.keep(tf.mul(wasserstein, part.weight));
      kept.penalty = tf.keep(tf.mul(penalty, part.weight));
      return tf.mul(tf.add(tf.neg(wasserstein), tf.mul(penalty, o.gradientPenalty)), part.weight) as tf.Scalar;
    }, variables);
    kept.loss = tf.keep(value);
    return variables.map((v) => grads[v.name]);
  });
  const { loss, wasserstein, penalty } = take(kept);
  return { gradients, loss: loss as number, wasserstein, penalty };
}

/** The generator's step: fool the critic, plus the reconstruction term when weighted. */
export function generatorGradients(nets: GanNetworks, part: GeneratorPart, o: GeneratorLossOptions): PartGradients {
  const variables = variablesOf(nets.generator);
  const kept: Record<string, tf.Tensor | undefined> = {};
  const gradients = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const fake = generatorTrainingPass(nets.generator, part.condition, part.noise, nets.moments ?? localMoments);
      const adversarial = tf.neg(tf.mean(nets.critic.apply(tf.concat([part.condition, fake], 3)) as tf.Tensor));
      if (o.reconstruction === 0) return tf.mul(adversarial, part.weight) as tf.Scalar;
      const distance = o.reconstructionLoss === 'bce' ? rollCrossEntropy(fake, part.real) : tf.mean(tf.abs(tf.sub(fake, part.real)));
      kept.reconstruction = tf.keep(tf.mul(distance, part.weight));
      return tf.mul(tf.add(adversarial, tf.mul(distance, o.reconstruction)), part.weight) as tf.Scalar;
    }, variables);
    kept.loss = tf.keep(value);
    return variables.map((v) => grads[v.name]);
  });
  const { loss, reconstruction } = take(kept);
  return { gradients, loss: loss as number, ...(reconstruction !== undefined ? { reconstruction } : {}) };
}

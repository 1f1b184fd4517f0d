import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadLayersModel, loadNamedTensors, saveLayersModel, saveNamedTensors } from '../inference/model-files.js';

/** What a resumable training run keeps: both networks, both optimizers' moments, and its own state. */
export interface CheckpointContent<State> {
  readonly generator: tf.LayersModel;
  readonly critic: tf.LayersModel;
  readonly generatorOptimizer: tf.Optimizer;
  readonly criticOptimizer: tf.Optimizer;
  readonly state: State;
}

const STATE = 'state.json';

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, STATE));
}

/** Writes a checkpoint folder whole: a run stopped mid-write leaves the previous one intact. */
export async function saveCheckpoint<State>(dir: string, c: CheckpointContent<State>): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await saveLayersModel(c.generator, tmp, 'generator');
  await saveLayersModel(c.critic, tmp, 'critic');
  await saveNamedTensors(await c.generatorOptimizer.getWeights(), join(tmp, 'optimizer-generator'));
  await saveNamedTensors(await c.criticOptimizer.getWeights(), join(tmp, 'optimizer-critic'));
  await writeFile(join(tmp, STATE), JSON.stringify(c.state));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

/** Loads both networks and the state, and restores the optimizers' moments in place. */
export async function loadCheckpoint<State>(
  dir: string,
  optimizers: { generator: tf.Optimizer; critic: tf.Optimizer },
): Promise<{ generator: tf.LayersModel; critic: tf.LayersModel; state: State }> {
  const generator = await loadLayersModel(dir, 'generator');
  const critic = await loadLayersModel(dir, 'critic');
  const state = JSON.parse(await readFile(join(dir, STATE), 'utf8')) as State;
  await optimizers.generator.setWeights(await loadNamedTensors(join(dir, 'optimizer-generator')));
  await optimizers.critic.setWeights(await loadNamedTensors(join(dir, 'optimizer-critic')));
  return { generator, critic, state };
}

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { logger } from '../logger.js';
import { registerMissingKernels } from './kernels/index.js';
import type { BackendChoice } from '../config/machine-settings.js';
import { UnavailableError } from '../errors.js';

export type { BackendChoice };

export interface BackendInfo {
  /** TF.js backend name: `tensorflow` (tfjs-node-gpu), `wasm` or `cpu`. */
  readonly name: string;
  /** Why this one: what was tried and what failed. */
  readonly notes: readonly string[];
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';

/**
 * Why the GPU backend is not used. Its package is an optional dependency, present only where its
 * install could download libtensorflow: its absence is the usual case, and reads as information.
 */
export function tensorflowNote(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ERR_MODULE_NOT_FOUND' && String(message).includes(GPU_PACKAGE)) {
    return `the optional GPU package ${GPU_PACKAGE} is not installed (it is only for NVIDIA GPUs)`;
  }
  return `tensorflow (tfjs-node-gpu) unavailable: ${String(message ?? error).split('\n')[0]}`;
}

async function tryTensorflow(notes: string[]): Promise<boolean> {
  try {
    const moduleName = GPU_PACKAGE;
    await import(moduleName);
    if (!(await tf.setBackend('tensorflow'))) throw new UnavailableError('backend did not initialise');
    tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'same').dataSync());
    return true;
  } catch (error) {
    notes.push(tensorflowNote(error));
    return false;
  }
}

async function trySet(name: 'wasm' | 'cpu', notes: string[]): Promise<boolean> {
  try {
    if (await tf.setBackend(name)) return true;
    notes.push(`${name} did not initialise`);
  } catch (error) {
    notes.push(`${name} failed: ${(error as Error).message.split('\n')[0]}`);
  }
  return false;
}

async function choose(choice: BackendChoice): Promise<BackendInfo> {
  tf.env().set('PROD', true);
  registerMissingKernels();
  const notes: string[] = [];
  const order: ('tensorflow' | 'wasm' | 'cpu')[] =
    choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : choice === 'tensorflow' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  for (const name of order) {
    const ok = name === 'tensorflow' ? await tryTensorflow(notes) : await trySet(name, notes);
    if (ok) {
      await tf.ready();
      if (choice !== 'auto' && name !== choice) notes.push(`asked for ${choice}, fell back to ${name}`);
      return { name: tf.getBackend(), notes };
    }
  }
  throw new UnavailableError(`no TF.js backend could start: ${notes.join('; ')}`, { notes });
}

/**
 * Chooses the TF.js backend once per process: tfjs-node-gpu if installed and working, else wasm, else
 * cpu; a choice other than auto (CONTINUO_BACKEND, from the configuration) overrides. Once one is
 * chosen, a later `auto` (a model load) keeps it. Logs and returns the choice.
 */
export function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (current && (choice === 'auto' || current.name === choice)) return Promise.resolve(current);
  pending ??= choose(choice).then((info) => {
    current = info;
    pending = undefined;
    logger.child({ module: 'inference' }).info({ backend: info.name, notes: info.notes }, 'TF.js backend chosen');
    return info;
  });
  return pending;
}

export function currentBackend(): BackendInfo | undefined {
  return current;
}

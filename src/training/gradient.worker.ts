/**
 * Entry of a gradient thread: holds replicas of the generator and critic on a wasm backend of its own
 * and computes the gradients of its part of each batch (gan-gradients.ts), normalising batches with the
 * other threads (synced-moments.ts). Messages: see gradient-messages.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../inference/backend.js';
import { buildCritic, buildGenerator } from '../inference/networks.js';
import { logger } from '../logger.js';
import { criticGradients } from './gan-gradients.js';
import type { FromGradientThread, GradientThreadData, ToGradientThread, WeightArrays } from './gradient-messages.js';
import { generatorStep, PreparedCritic } from './gradient-threads.js';
import { ThreadExchange } from './thread-exchange.js';
import { syncedMoments } from './synced-moments.js';

if (!parentPort) throw new Error('gradient.worker runs as a worker thread');
const port = parentPort;
const data = workerData as GradientThreadData;
logger.level = data.logLevel;
const reply = (message: FromGradientThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const exchange = new ThreadExchange(data.exchange, data.rank, data.size);
try {
  await initBackend(data.backend);
} catch (error) {
  exchange.fail();
  reply({ type: 'error', message: (error as Error).message });
  throw error;
}
const nets = { generator: buildGenerator(data.spec), critic: buildCritic(data.spec), moments: syncedMoments(exchange) };
const { spec } = data;

function assign(model: tf.LayersModel, weights: WeightArrays | undefined): void {
  if (!weights) return;
  model.trainableWeights.forEach((w, i) => {
    const value = tf.tensor(weights[i], w.read().shape);
    w.write(value);
    value.dispose();
  });
}

/** The array itself when it is its buffer's only content (so that sending can move the buffer), else a copy. */
function ownBuffer(a: Float32Array): Float32Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

const prepared = new PreparedCritic();
const options = { spec, critic: data.critic, generator: data.generator };

port.on('message', (message: ToGradientThread) => {
  try {
    assign(nets.critic, message.weights.critic);
    assign(nets.generator, message.weights.generator);
    if (message.type === 'prepare') {
      prepared.prepare(nets, spec, message.parts);
      reply({ type: 'prepared' });
      return;
    }
    const result = message.type === 'critic' ? criticGradients(nets, prepared.part(message.index), data.critic) : generatorStep(nets, options, message.part);
    const gradients = result.gradients.map((g) => ownBuffer(g.dataSync() as Float32Array));
    tf.dispose(result.gradients);
    const { gradients: _, ...losses } = result;
    reply({ type: 'gradients', gradients, ...losses }, gradients.map((g) => g.buffer as ArrayBuffer));
  } catch (error) {
    exchange.fail();
    reply({ type: 'error', message: (error as Error).message });
  }
});
reply({ type: 'ready' });

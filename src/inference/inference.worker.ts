/**
 * Entry of an inference thread: loads the process's models with a TF.js backend of its own, then
 * composes batches and reads melodies as the pool asks (see inference-pool.ts), one message after
 * another, so that a model reload never swaps a network under a composition.
 */
import * as tf from '@tensorflow/tfjs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { logger } from '../logger.js';
import { melodyFromInput } from '../music/melody-input.js';
import type { Melody } from '../music/melody.js';
import { initBackend } from './backend.js';
import { composeTogether } from './compose.js';
import { withMidi, type ComposedMidi } from './composed-midi.js';
import { ModelRegistry } from './registry.js';
import { outcomeOf, toThreadError, type FromThread, type Outcome, type ThreadData, type ToThread } from './thread-messages.js';

if (!parentPort) throw new Error('inference.worker runs as a worker thread');
const port = parentPort;
const { backend, logLevel, modelDirs } = workerData as ThreadData;
// A thread has a logger of its own: it logs at the level of the process that started it.
logger.level = logLevel;
const log = logger.child({ module: 'inference-thread' });
const send = (message: FromThread) => port.postMessage(message);
/** How far below the event loop's priority (in nice steps) an inference thread runs. */
const THREAD_NICE = 10;

// Below the event loop: when the cores are busy, a request is answered before the next batch is
// composed. On Linux a nice value is the calling thread's alone (elsewhere it is the whole process's).
if (process.platform === 'linux') setPriority(Math.min(19, getPriority() + THREAD_NICE));
await initBackend(backend);
const models = await ModelRegistry.load();

async function load(dir: string): Promise<void> {
  try {
    await models.add(dir);
  } catch (err) {
    // The process loaded it; the thread composes with the copy it had, or says the model is missing.
    log.warn({ err, dir }, 'a model folder could not be loaded in an inference thread');
  }
}

async function handle(message: ToThread): Promise<void> {
  switch (message.type) {
    case 'load':
      return load(message.dir);
    case 'compose': {
      let results: Outcome<ComposedMidi>[];
      try {
        const settled = await composeTogether(models.get(message.modelId), message.requests);
        // The MIDI files are written here too: the event loop only stores them.
        results = settled.map((s) => outcomeOf(s.status === 'fulfilled' ? { status: 'fulfilled', value: withMidi(s.value) } : s));
      } catch (error) {
        results = message.requests.map(() => ({ ok: false as const, error: toThreadError(error) }));
      }
      const files = results.flatMap((r) => (r.ok ? r.value.midi.map((m) => m.buffer as ArrayBuffer) : []));
      return port.postMessage({ type: 'composed', id: message.id, results } satisfies FromThread, files);
    }
    case 'melody': {
      let result: Outcome<Melody>;
      try {
        result = { ok: true, value: melodyFromInput(message.input, message.limits) };
      } catch (error) {
        result = { ok: false, error: toThreadError(error) };
      }
      return send({ type: 'melody', id: message.id, result });
    }
    case 'tensors':
      return send({ type: 'tensors', id: message.id, count: tf.memory().numTensors });
  }
}

let turn = (async () => {
  for (const dir of modelDirs) await load(dir);
  send({ type: 'ready' });
})();
port.on('message', (message: ToThread) => {
  turn = turn.then(() => handle(message)).catch((err: unknown) => log.error({ err }, 'an inference thread could not answer'));
});

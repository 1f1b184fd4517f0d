/**
 * Entry of a training worker thread: trains a model folder from `workerData` and reports progress, so
 * that the process that asked (an API server, a queue worker) keeps answering while the maths runs.
 * Messages in: `{ type: 'abort' }`. Out: `progress`, then `done` or `error`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ContinuoError } from '../errors.js';
import { initBackend, type BackendChoice } from '../inference/backend.js';
import { logger } from '../logger.js';
import { trainModelFolder, type ModelFolderJob } from './train-model-folder.js';

if (!parentPort) throw new Error('train-worker runs as a worker thread');
const port = parentPort;
const controller = new AbortController();
port.on('message', (message: { type?: string }) => {
  if (message?.type === 'abort') controller.abort();
});

const { job, backend, logLevel } = workerData as { job: ModelFolderJob; backend: BackendChoice; logLevel: string };
// A thread has a logger of its own: it logs at the level of the process that started it.
logger.level = logLevel;
try {
  await initBackend(backend);
  const result = await trainModelFolder(job, { signal: controller.signal, onProgress: (progress) => port.postMessage({ type: 'progress', progress }) });
  port.postMessage({ type: 'done', result });
} catch (error) {
  const coded = error instanceof ContinuoError ? { code: error.code, details: error.details } : {};
  port.postMessage({ type: 'error', message: (error as Error).message, ...coded });
} finally {
  port.close();
}

import { ContinuoError, type ErrorCode } from '../errors.js';
import { currentBackend, type BackendChoice } from '../inference/backend.js';
import { logger } from '../logger.js';
import { startWorker } from '../worker-thread.js';
import type { ModelFolderJob, ModelFolderResult } from './train-model-folder.js';
import type { TrainingProgress } from './trainer.js';

type WorkerMessage =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'done'; result: ModelFolderResult }
  | { type: 'error'; message: string; code?: ErrorCode; details?: Record<string, unknown> };

/**
 * Runs `trainModelFolder` in a worker thread with the same TF.js backend as this process. Progress
 * arrives through `onProgress`; aborting the signal stops the run at the next step (the checkpoint is
 * kept). Errors keep their code.
 */
export function trainInWorker(
  job: ModelFolderJob,
  o: { signal?: AbortSignal; onProgress?: (p: TrainingProgress) => void } = {},
): Promise<ModelFolderResult> {
  const worker = startWorker(import.meta.url, './train-worker', { workerData: { job, backend: (currentBackend()?.name ?? 'auto') as BackendChoice, logLevel: logger.level } });
  const abort = () => worker.postMessage({ type: 'abort' });
  if (o.signal?.aborted) abort();
  o.signal?.addEventListener('abort', abort, { once: true });
  return new Promise<ModelFolderResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') o.onProgress?.(m.progress);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(m.code ? new ContinuoError(m.code, m.message, m.details) : new Error(m.message));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      o.signal?.removeEventListener('abort', abort);
      if (!settled) reject(new Error(`the training worker stopped (exit code ${code}) before it finished`));
    });
  });
}

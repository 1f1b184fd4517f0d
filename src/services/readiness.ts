import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentBackend } from '../inference/backend.js';
import type { Services } from './services.js';

export interface Readiness {
  readonly ready: boolean;
  readonly store: boolean;
  readonly models: number;
  readonly backend?: string;
  /** Worker threads composing (0: on the event loop). */
  readonly inferenceThreads: number;
  /** Whether files can be written to the data folder (results, trained models, the embedded store). */
  readonly dataFolder: boolean;
  /** Whether the job queue answers (Redis with BullMQ; always true in-process). */
  readonly queue: boolean;
  /** What is not ready, in words an operator can act on (no server paths). */
  readonly reasons: readonly string[];
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code ?? 'an error';

/** Writes and removes a small file in the data folder: a read-only disk or folder fails here first. */
export async function dataFolderWritable(dataDir: string): Promise<string | null> {
  const probe = join(dataDir, `.ready-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return null;
  } catch (error) {
    return `the data folder (DATA_DIR) cannot be written (${errno(error)}); make it writable for the server's user, or point DATA_DIR at a writable disk`;
  }
}

/** What /readyz answers: ready when the store, the data folder and the queue work and a model is loaded. */
export async function readiness(services: Services): Promise<Readiness> {
  const [store, folder, queue] = await Promise.all([
    services.store.ping().catch(() => false),
    dataFolderWritable(services.config.dataDir),
    services.queue.ping ? services.queue.ping().catch(() => false) : Promise.resolve(true),
  ]);
  const models = services.models.ids().length;
  const reasons: string[] = [];
  if (!store) reasons.push('the store does not answer or cannot write');
  if (folder) reasons.push(folder);
  if (!queue) reasons.push('the job queue (Redis at REDIS_URL) does not answer; start Redis or fix REDIS_URL');
  if (models === 0) reasons.push('no model is loaded; check CONTINUO_MODELS_DIR');
  return { ready: reasons.length === 0, store, models, backend: currentBackend()?.name, inferenceThreads: services.inference.threads, dataFolder: folder === null, queue, reasons };
}

import type { Logger } from '../logger.js';
import type { JobQueue } from './ports.js';

/** True if `promise` settles within `ms`; never rejects and leaves no timer behind to hold the process. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes on SIGTERM or SIGINT (what an orchestrator sends before it kills a container): for a queue,
 * workers stop taking jobs and running ones finish or go back to the queue; for a whole process, its
 * server, bot and services. Then `onClosed` runs (by default the process exits). A second signal
 * exits at once. Returns a function that removes the handlers.
 */
export function closeOnSignals(
  queue: Pick<JobQueue, 'close'>,
  log: Logger,
  onClosed: () => void = () => process.exit(0),
): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting without waiting for jobs');
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, 'shutting down');
    queue.close().then(onClosed, (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

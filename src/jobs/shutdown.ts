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

/** Longest a shutdown may take: running jobs get 20 s and 5 s more to stop once aborted (see the queues). */
export const SHUTDOWN_TIMEOUT_MS = 40_000;

/**
 * Closes on SIGTERM or SIGINT (what an orchestrator sends before it kills a container): for a queue,
 * workers stop taking jobs and running ones finish or go back to the queue; for a whole process, its
 * server, bot and services. Then `onClosed` runs (by default the process exits 0). A second signal,
 * or a close that takes longer than `timeoutMs`, exits 1 at once. Returns a function that removes the
 * handlers. Nothing else in the process may handle these signals (Apollo's own handlers are off).
 */
export function closeOnSignals(
  queue: Pick<JobQueue, 'close'>,
  log: Logger,
  onClosed: () => void = () => process.exit(0),
  timeoutMs = SHUTDOWN_TIMEOUT_MS,
): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting without waiting for jobs');
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, 'shutting down');
    let failed = false;
    const closed = queue.close().catch((err: unknown) => {
      failed = true;
      log.error({ err }, 'shutdown failed');
    });
    void settlesWithin(closed, timeoutMs).then((settled) => {
      if (!settled) log.error({ timeoutMs }, 'shutdown did not finish in time; exiting without waiting');
      if (!settled || failed) process.exit(1);
      onClosed();
    });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

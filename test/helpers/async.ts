import type { JobContext } from '../../src/jobs/ports.js';

/** Polls until `check` holds; the timeout only bounds a failure. */
export async function until(check: () => boolean, what: string, timeoutMs = 3000, everyMs = 5): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and the function that resolves it. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves when the job's signal fires, then throws its reason (what a well-behaved handler does). */
export function untilAborted(job: JobContext): Promise<never> {
  return new Promise((_, reject) => {
    if (job.signal.aborted) reject(job.signal.reason);
    job.signal.addEventListener('abort', () => reject(job.signal.reason), { once: true });
  });
}

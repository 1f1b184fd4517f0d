import type { Logger } from '../logger.js';
import type { JobEvent } from './ports.js';

/** The listeners of `onEvent`; one throwing listener must not stop the others or the job runner. */
export class JobEventListeners {
  private readonly listeners = new Set<(event: JobEvent) => void>();

  constructor(private readonly log: Logger) {}

  get size(): number {
    return this.listeners.size;
  }

  add(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: error, jobId: event.jobId, status: event.status }, 'job event listener failed');
      }
    }
  }
}

import { EventEmitter, on } from 'node:events';

const DONE = { value: undefined, done: true } as const;

/**
 * In-process publish/subscribe for GraphQL subscriptions. Topics are strings such as
 * `composition:<id>`; subscribers get an async iterator that ends when their signal aborts.
 */
export class EventBus<T = unknown> {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(topic: string, payload: T): void {
    this.emitter.emit(topic, payload);
  }

  /**
   * Listens from this call on, not from the first `next()`: a caller can subscribe, then read the
   * current state, and miss no event in between (they wait in the iterator). `return()` stops
   * listening even before the first `next()`.
   */
  subscribe(topic: string, signal?: AbortSignal): AsyncIterableIterator<T> {
    if (signal?.aborted) return (async function* () {})();
    const events = on(this.emitter, topic, { signal });
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        try {
          const next = await events.next();
          return next.done ? DONE : { value: next.value[0] as T, done: false };
        } catch (error) {
          if ((error as Error).name === 'AbortError') return DONE;
          throw error;
        }
      },
      async return() {
        await events.return?.();
        return DONE;
      },
    };
  }

  listenerCount(topic: string): number {
    return this.emitter.listenerCount(topic);
  }
}

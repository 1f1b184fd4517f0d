import { EventEmitter, on } from 'node:events';

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

  async *subscribe(topic: string, signal?: AbortSignal): AsyncGenerator<T> {
    try {
      for await (const [payload] of on(this.emitter, topic, { signal })) yield payload as T;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }

  listenerCount(topic: string): number {
    return this.emitter.listenerCount(topic);
  }
}

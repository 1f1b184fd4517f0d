import type { CompositionRecord } from '../store/records.js';
import type { EventBus } from './event-bus.js';

const finished = (record: CompositionRecord): boolean => record.status === 'done' || record.status === 'failed';

/**
 * A composition now, then at each change of its status, until it is done or failed: what the
 * `compositionUpdated` subscription sends.
 *
 * It listens before it reads, so that a change between the read and the first event is not lost.
 * And it sends a record only when its status differs from the last one sent: a store answers a read
 * with a change it is still writing, whose event then comes too (RUNNING twice), and BullMQ's
 * progress events publish the same RUNNING record again.
 */
export async function* compositionUpdates(
  read: () => Promise<CompositionRecord>,
  events: EventBus<CompositionRecord>,
  topic: string,
  signal?: AbortSignal,
): AsyncGenerator<CompositionRecord> {
  const changes = events.subscribe(topic, signal);
  try {
    let last = await read();
    yield last;
    if (finished(last)) return;
    for await (const record of changes) {
      // Older than what was sent (an event that waited while the read ran): nothing new.
      if (record.status === last.status || record.updatedAt < last.updatedAt) continue;
      last = record;
      yield record;
      if (finished(record)) return;
    }
  } finally {
    await changes.return?.();
  }
}

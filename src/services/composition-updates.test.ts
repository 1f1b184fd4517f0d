import { describe, expect, it } from 'vitest';
import type { CompositionRecord } from '../store/records.js';
import { compositionUpdates } from './composition-updates.js';
import { EventBus } from './event-bus.js';

const TOPIC = 'composition:c1';
const CREATED = '2026-01-01T00:00:00.000Z';

function record(status: CompositionRecord['status'], second: number): CompositionRecord {
  const at = `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
  return {
    id: 'c1', ownerId: 'k1', status, modelId: 'tiny', seed: 1, variations: 1, keepMelody: true, tempo: 100,
    input: { kind: 'sample', summary: 'twinkle' }, melody: {}, bars: 4, formats: ['midi'], files: [], createdAt: CREATED, updatedAt: at,
  };
}
async function statuses(updates: AsyncGenerator<CompositionRecord>): Promise<string[]> {
  const seen: string[] = [];
  for await (const update of updates) seen.push(update.status);
  return seen;
}

describe('compositionUpdated', () => {
  it('sends RUNNING once when the read already saw the change whose event comes after it', async () => {
    // The store answers the read with RUNNING while it still writes that change; its event follows.
    const bus = new EventBus<CompositionRecord>();
    const updates = compositionUpdates(async () => record('running', 1), bus, TOPIC);
    const first = await updates.next();
    const rest = statuses(updates);
    bus.publish(TOPIC, record('running', 1));
    bus.publish(TOPIC, record('done', 2));
    expect([first.value?.status, ...(await rest)]).toEqual(['running', 'done']);
  });

  it('sends RUNNING once when progress publishes the same record again (BullMQ)', async () => {
    const bus = new EventBus<CompositionRecord>();
    const updates = compositionUpdates(async () => record('queued', 0), bus, TOPIC);
    await updates.next();
    const rest = statuses(updates);
    for (const [status, second] of [['running', 1], ['running', 2], ['running', 3], ['done', 4]] as const) bus.publish(TOPIC, record(status, second));
    expect(await rest).toEqual(['running', 'done']);
  });

  it('misses no change made while the first read is in flight', async () => {
    const bus = new EventBus<CompositionRecord>();
    const updates = compositionUpdates(async () => {
      bus.publish(TOPIC, record('running', 1)); // the job starts between the listening and the answer
      return record('queued', 0);
    }, bus, TOPIC);
    const first = await updates.next();
    const rest = statuses(updates);
    bus.publish(TOPIC, record('done', 2));
    expect([first.value?.status, ...(await rest)]).toEqual(['queued', 'running', 'done']);
  });

  it('drops an event older than the record it read, and stops listening when it ends', async () => {
    const bus = new EventBus<CompositionRecord>();
    const updates = compositionUpdates(async () => {
      bus.publish(TOPIC, record('queued', 0));
      return record('running', 1);
    }, bus, TOPIC);
    const first = await updates.next();
    const rest = statuses(updates);
    bus.publish(TOPIC, record('failed', 2));
    expect([first.value?.status, ...(await rest)]).toEqual(['running', 'failed']);
    expect(bus.listenerCount(TOPIC)).toBe(0);
  });

  it('stops listening when the client leaves before any change', async () => {
    const bus = new EventBus<CompositionRecord>();
    const updates = compositionUpdates(async () => record('queued', 0), bus, TOPIC);
    await updates.next();
    expect(bus.listenerCount(TOPIC)).toBe(1);
    await updates.return(undefined);
    expect(bus.listenerCount(TOPIC)).toBe(0);
  });
});

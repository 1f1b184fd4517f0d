import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '../inference/registry.js';
import type { JobEvent, JobQueue } from '../jobs/ports.js';
import { logger } from '../logger.js';
import { createEmbeddedStore } from '../store/index.js';
import type { Store } from '../store/ports.js';
import type { CompositionRecord } from '../store/records.js';
import { compositionTopic } from './composition.service.js';
import { EventBus } from './event-bus.js';
import { routeJobEvents } from './job-event-routes.js';
import type { TrainingEvent } from './training.service.js';

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const started = Date.now(); !(await check()); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() - started > 3000) throw new Error(`timed out waiting for ${what}`);
  }
}

/** A queue that only delivers the events a test sends. */
function eventQueue(kind: JobQueue['kind']): JobQueue & { send(event: JobEvent): void } {
  const listeners: ((event: JobEvent) => void)[] = [];
  return {
    kind,
    process: () => undefined,
    enqueue: async () => undefined,
    cancel: async () => false,
    onEvent: (listener) => {
      listeners.push(listener);
      return () => undefined;
    },
    depth: async () => ({ compose: 0, train: 0, share: 0 }),
    close: async () => undefined,
    send: (event) => listeners.forEach((listener) => listener(event)),
  };
}

describe('routeJobEvents', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-routes-'));
    store = await createEmbeddedStore(dir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function running() {
    const composition = await store.compositions.create({
      ownerId: 'k1', status: 'running', modelId: 'tiny', seed: 1, variations: 1, keepMelody: true, tempo: 100,
      input: { kind: 'sample', summary: 'twinkle' }, melody: {}, bars: 4, formats: ['midi'], files: [],
    });
    const job = await store.jobs.create({ type: 'compose', ownerId: 'k1', status: 'running', progress: 0.5, payload: { compositionId: composition.id }, attempts: 2 });
    return { composition, job };
  }

  function route(kind: JobQueue['kind']) {
    const queue = eventQueue(kind);
    const compositionEvents = new EventBus<CompositionRecord>();
    const models = {} as ModelRegistry;
    routeJobEvents({ queue, store, models, userModelsDir: dir, compositionEvents, trainingEvents: new EventBus<TrainingEvent>(), log: logger });
    return { queue, compositionEvents };
  }

  it('settles the records of a job that BullMQ failed on its own (a worker that died once too often)', async () => {
    const { composition, job } = await running();
    const { queue, compositionEvents } = route('bullmq');
    const updates = compositionEvents.subscribe(compositionTopic(composition.id));
    queue.send({ jobId: job.id, type: 'compose', status: 'failed', progress: 0.5, error: { code: 'INTERNAL', message: 'job stalled more than allowable limit' } });
    await eventually(async () => (await store.jobs.get(job.id))?.status === 'failed', 'the job record to fail');
    expect((await store.jobs.get(job.id))?.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/worker running this job stopped/) });
    expect(await store.compositions.get(composition.id)).toMatchObject({ status: 'failed', error: { code: 'UNAVAILABLE' } });
    expect((await updates.next()).value).toMatchObject({ id: composition.id, status: 'failed' });
    await updates.return?.();
  });

  it('leaves alone a job its handler settled, and the in-process queue, whose handlers always do', async () => {
    const { composition, job } = await running();
    await store.jobs.update(job.id, { status: 'failed', error: { code: 'BAD_USER_INPUT', message: 'the melody is empty' } });
    const bullmq = route('bullmq');
    bullmq.queue.send({ jobId: job.id, type: 'compose', status: 'failed', progress: 0.5, error: { code: 'BAD_USER_INPUT', message: 'the melody is empty' } });
    const other = await running();
    route('in-process').queue.send({ jobId: other.job.id, type: 'compose', status: 'failed', progress: 0.5 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.jobs.get(job.id))?.error?.code).toBe('BAD_USER_INPUT');
    expect((await store.compositions.get(composition.id))?.status).toBe('running');
    expect((await store.jobs.get(other.job.id))?.status).toBe('running');
    expect((await store.compositions.get(other.composition.id))?.status).toBe('running');
  });
});

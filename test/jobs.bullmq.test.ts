import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../src/errors.js';
import { BullMQJobQueue, queueName, type BullMQQueueOptions } from '../src/jobs/bullmq-queue.js';
import { JobAbortedError } from '../src/jobs/job-failure.js';
import { JOB_TYPES } from '../src/jobs/job-types.js';
import type { JobContext, JobEvent } from '../src/jobs/ports.js';
import { redisAnswers } from './helpers/redis.js';
import { deferred, pause, until as untilDone, untilAborted } from './helpers/async.js';

/** Redis round trips are slower than in-process: a longer bound and poll. */
const until = (check: () => boolean, what: string, timeoutMs = 10_000) => untilDone(check, what, timeoutMs, 10);

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER_SCRIPT = fileURLToPath(new URL('./helpers/jobs-worker.ts', import.meta.url));

const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp) process.stderr.write(`\n  !! BullMQ job queue tests SKIPPED: Redis at ${REDIS_URL} did not answer PING (start redis-server or set REDIS_URL)\n\n`);

/** Per test: its own key prefix, the queues it opened, the worker processes it started. */
let prefix: string;
let opened: BullMQJobQueue[] = [];
let children: ChildProcess[] = [];

function open(options: Partial<BullMQQueueOptions> = {}): BullMQJobQueue {
  const queue = new BullMQJobQueue({
    redisUrl: REDIS_URL,
    prefix,
    backoffMs: 10,
    lockDurationMs: 1000,
    stalledIntervalMs: 500,
    cancelPollMs: 200,
    shutdownGraceMs: 2000,
    ...options,
  });
  opened.push(queue);
  return queue;
}

/** A queue used as the API process uses it: enqueue, cancel, depth and events, no handlers. */
function observer() {
  const queue = open();
  const events: JobEvent[] = [];
  queue.onEvent((event) => events.push(event));
  const of = (jobId: string) => events.filter((e) => e.jobId === jobId);
  return {
    queue,
    events,
    of,
    statuses: (jobId: string) => of(jobId).map((e) => e.status),
    finished: (jobId: string) => () => of(jobId).some((e) => ['done', 'failed', 'cancelled'].includes(e.status)),
  };
}

interface WorkerMessage {
  kind: string;
  jobId?: string;
  attempt?: number;
  why?: string;
}

/** test/helpers/jobs-worker.ts in a child process: a worker elsewhere, as in production. */
function startWorkerProcess(env: Record<string, string> = {}) {
  const child = fork(WORKER_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, REDIS_URL, JOBS_PREFIX: prefix, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const messages: WorkerMessage[] = [];
  child.on('message', (message) => messages.push(message as WorkerMessage));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, messages, exited, saw: (kind: string) => () => messages.some((m) => m.kind === kind) };
}

async function cleanUp(): Promise<void> {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(opened.map((queue) => queue.close()));
  opened = [];
  children = [];
  for (const type of JOB_TYPES) {
    const queue = new Queue(queueName(type), { connection: { url: REDIS_URL }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  // Cancel flags live beside the queues; obliterate does not know them.
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}

describe.skipIf(!redisUp)(`BullMQ job queue (Redis at ${REDIS_URL})`, () => {
  // A fresh prefix per test keeps tests apart even when one leaves jobs behind.
  beforeEach(() => {
    prefix = `continuo-test-${randomUUID().slice(0, 8)}`;
  });
  afterEach(cleanUp);

  it('runs a job; every process sees running, progress with detail, and done with the result', async () => {
    const api = observer();
    const worker = open();
    const seen: JobContext[] = [];
    worker.process('compose', async (job) => {
      seen.push(job);
      await job.updateProgress(0.5, { stage: 'decode', bars: 8 });
      return { compositionId: job.data.compositionId, files: 2 };
    });
    await api.queue.enqueue('compose', 'job-1', { compositionId: 'c1' });
    await until(api.finished('job-1'), 'job-1 to finish');
    expect(seen[0]).toMatchObject({ jobId: 'job-1', type: 'compose', data: { compositionId: 'c1' }, attempt: 1 });
    expect(api.of('job-1')).toEqual([
      { jobId: 'job-1', type: 'compose', status: 'running', progress: 0 },
      { jobId: 'job-1', type: 'compose', status: 'running', progress: 0.5, detail: { stage: 'decode', bars: 8 } },
      { jobId: 'job-1', type: 'compose', status: 'done', progress: 1, result: { compositionId: 'c1', files: 2 } },
    ]);
  });

  it('takes jobs first in, first out, at most `concurrency` at once per worker', async () => {
    const api = observer();
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const id of ids) await api.queue.enqueue('share', id, {});
    expect(await api.queue.depth()).toEqual({ compose: 0, share: 5, train: 0 });
    const started: string[] = [];
    let running = 0;
    let most = 0;
    open().process('share', async (job) => {
      started.push(job.jobId);
      running += 1;
      most = Math.max(most, running);
      await pause(100);
      running -= 1;
    });
    await until(() => ids.every((id) => api.finished(id)()), 'all shares');
    expect(started).toEqual(ids);
    expect(most).toBe(2);
  });

  it('fails BAD_USER_INPUT and NOT_FOUND at once; retries other errors up to `attempts` (3 by default)', async () => {
    const api = observer();
    const runs: Record<string, number[]> = {};
    open().process('compose', async (job) => {
      (runs[job.jobId] ??= []).push(job.attempt);
      if (job.jobId === 'bad-input') throw new InvalidInputError('bar 3: unknown note "H4"', { bar: 3 });
      if (job.jobId === 'not-found') throw new NotFoundError('model', 'nope');
      if (job.jobId === 'flaky' && job.attempt === 3) return { ok: true };
      throw new Error('soundfont server hiccup');
    });
    await api.queue.enqueue('compose', 'bad-input', {}, { attempts: 3 });
    await api.queue.enqueue('compose', 'not-found', {});
    await api.queue.enqueue('compose', 'flaky', {});
    await api.queue.enqueue('compose', 'broken', {}, { attempts: 2 });
    const ids = ['bad-input', 'not-found', 'flaky', 'broken'];
    await until(() => ids.every((id) => api.finished(id)()), 'all four');
    expect(runs).toEqual({ 'bad-input': [1], 'not-found': [1], flaky: [1, 2, 3], broken: [1, 2] });
    expect(api.of('bad-input').at(-1)).toMatchObject({ status: 'failed', error: { code: 'BAD_USER_INPUT', message: 'bar 3: unknown note "H4"' } });
    expect(api.of('not-found').at(-1)).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND', message: "model 'nope' does not exist" } });
    expect(api.statuses('flaky')).toEqual(['running', 'running', 'running', 'done']);
    expect(api.statuses('broken')).toEqual(['running', 'running', 'failed']);
    // A bug's own words stay in the server's log: the failure says what failed, not how.
    expect(api.of('broken').at(-1)?.error).toEqual({ code: 'INTERNAL', message: 'composing failed on the server (the cause is in its log); try again' });
  });

  it('cancels a waiting job: it is removed and never runs', async () => {
    const api = observer();
    await api.queue.enqueue('share', 'w1', {});
    await api.queue.enqueue('share', 'w2', {});
    expect(await api.queue.cancel('share', 'w1')).toBe(true);
    await until(api.finished('w1'), 'w1 to be reported cancelled');
    expect(api.of('w1')).toEqual([{ jobId: 'w1', type: 'share', status: 'cancelled', progress: 0 }]);
    expect(await api.queue.depth()).toMatchObject({ share: 1 });
    const ran: string[] = [];
    open().process('share', async (job) => {
      ran.push(job.jobId);
    });
    await until(api.finished('w2'), 'w2 to run');
    expect(ran).toEqual(['w2']);
    expect(await api.queue.cancel('share', 'w1')).toBe(false);
    expect(await api.queue.cancel('share', 'w2')).toBe(false); // finished
    expect(await api.queue.cancel('share', 'never-heard-of')).toBe(false);
  });

  it('cancels an active job through its signal, without retrying it', async () => {
    const api = observer();
    const reasons: unknown[] = [];
    open().process('train', async (job) => {
      await job.updateProgress(0.3);
      try {
        return await untilAborted(job);
      } catch (error) {
        reasons.push(error);
        throw error;
      }
    });
    await api.queue.enqueue('train', 'long', {}, { attempts: 3 });
    await until(() => api.of('long').some((e) => e.progress === 0.3), 'long to report progress');
    expect(await api.queue.cancel('train', 'long')).toBe(true);
    await until(api.finished('long'), 'long to be cancelled');
    expect(api.of('long').at(-1)).toEqual({ jobId: 'long', type: 'train', status: 'cancelled', progress: 0.3 });
    expect(reasons).toHaveLength(1);
    expect((reasons[0] as JobAbortedError).why).toBe('cancelled');
    await pause(100);
    expect(api.statuses('long')).toEqual(['running', 'running', 'cancelled']);
    expect(await api.queue.cancel('train', 'long')).toBe(false);
  });

  it('cancels an active job in another worker process (pub/sub message → worker.cancelJob)', async () => {
    const api = observer();
    // A poll this slow cannot be what stops the job within the test: the message must.
    const worker = startWorkerProcess({ CANCEL_POLL_MS: '60000' });
    await until(worker.saw('ready'), 'the worker process to start');
    await api.queue.enqueue('share', 'remote', {});
    await until(() => api.of('remote').some((e) => e.detail?.stage === 'child'), 'progress from the other process');
    const asked = Date.now();
    expect(await api.queue.cancel('share', 'remote')).toBe(true);
    await until(api.finished('remote'), 'remote to be cancelled', 5000);
    expect(Date.now() - asked).toBeLessThan(3000);
    expect(worker.messages.find((m) => m.kind === 'aborted')).toMatchObject({ jobId: 'remote', why: 'cancelled' });
    expect(api.of('remote').at(-1)).toMatchObject({ status: 'cancelled', progress: 0.5 });
  });

  it('stops a running job whose cancel message was missed, by polling its cancel flag', async () => {
    const api = observer();
    const reasons: unknown[] = [];
    open({ cancelPollMs: 100 }).process('share', async (job) => {
      try {
        return await untilAborted(job);
      } catch (error) {
        reasons.push(error);
        throw error;
      }
    });
    await api.queue.enqueue('share', 'missed', {});
    await until(() => api.statuses('missed').includes('running'), 'missed to start');
    // What cancel() writes before it publishes; here nothing is published.
    const redis = new Redis(REDIS_URL);
    await redis.set(`${prefix}:continuo:cancel:share:missed`, '1', 'EX', 60);
    await redis.quit();
    await until(api.finished('missed'), 'missed to be cancelled', 3000);
    expect((reasons[0] as JobAbortedError).why).toBe('cancelled');
    expect(api.statuses('missed').at(-1)).toBe('cancelled');
  });

  it('runs a job enqueued twice only once', async () => {
    const api = observer();
    await api.queue.enqueue('share', 'dup', { n: 1 });
    await api.queue.enqueue('share', 'dup', { n: 2 });
    expect(await api.queue.depth()).toMatchObject({ share: 1 });
    const runs: unknown[] = [];
    open().process('share', async (job) => {
      runs.push(job.data.n);
    });
    await until(api.finished('dup'), 'dup to finish');
    await api.queue.enqueue('share', 'dup', { n: 3 });
    await pause(300);
    expect(runs).toEqual([1]);
    expect(api.statuses('dup')).toEqual(['running', 'done']);
  });

  it('counts waiting, delayed and active jobs per type, all four types', async () => {
    const api = observer();
    expect(await api.queue.depth()).toEqual({ compose: 0, share: 0, train: 0 });
    await api.queue.enqueue('compose', 'c1', {});
    await api.queue.enqueue('compose', 'c2', {});
    await api.queue.enqueue('compose', 'c3', {});
    await api.queue.enqueue('train', 't1', {});
    expect(await api.queue.depth()).toEqual({ compose: 3, share: 0, train: 1 });
    const gate = deferred();
    open().process('compose', () => gate.promise.then(() => undefined), { concurrency: 1 });
    await until(() => api.statuses('c1').includes('running'), 'c1 to start');
    expect(await api.queue.depth()).toEqual({ compose: 3, share: 0, train: 1 });
    gate.resolve();
    await until(() => ['c1', 'c2', 'c3'].every((id) => api.finished(id)()), 'compose jobs');
    expect(await api.queue.depth()).toEqual({ compose: 0, share: 0, train: 1 });
  });

  it('loses no job when its worker process is killed: another worker takes it over as stalled', async () => {
    const api = observer();
    const doomed = startWorkerProcess();
    await until(doomed.saw('ready'), 'the worker process to start');
    await api.queue.enqueue('share', 'crash', { song: 'x' });
    await until(() => api.of('crash').some((e) => e.detail?.stage === 'child'), 'the job to run in the worker process');
    expect(doomed.messages.find((m) => m.kind === 'started')).toMatchObject({ jobId: 'crash', attempt: 1 });
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = Date.now();

    const runs: number[] = [];
    open().process('share', async (job) => {
      runs.push(job.attempt);
      return { by: 'rescuer', attempt: job.attempt, song: job.data.song };
    });
    await until(api.finished('crash'), 'the job to be taken over', 10_000);
    const tookMs = Date.now() - killedAt;
    expect(api.of('crash').at(-1)).toMatchObject({ status: 'done', result: { by: 'rescuer', attempt: 2, song: 'x' } });
    expect(runs).toEqual([2]);
    // lock (1 s) lapses, then a stalled check (every 0.5 s) moves it back: a few seconds at most.
    expect(tookMs).toBeLessThan(5000);
  });

  it('reports a killed worker’s job failed once it has stalled more than maxStalledCount times', async () => {
    const api = observer();
    const doomed = startWorkerProcess();
    await until(doomed.saw('ready'), 'the worker process to start');
    await api.queue.enqueue('share', 'crash-again', {});
    await until(() => api.of('crash-again').some((e) => e.detail?.stage === 'child'), 'the job to run in the worker process');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const runs: number[] = [];
    open({ maxStalledCount: 0 }).process('share', async (job) => {
      runs.push(job.attempt);
    });
    await until(api.finished('crash-again'), 'the job to be reported failed', 10_000);
    expect(api.of('crash-again').at(-1)).toMatchObject({ status: 'failed', error: { code: 'INTERNAL', message: expect.stringMatching(/stalled/) } });
    expect(runs).toEqual([]);
  });

  it('on SIGTERM a worker process hands its running job back and exits; another worker runs it', async () => {
    const api = observer();
    const leaving = startWorkerProcess({ SHUTDOWN_GRACE_MS: '200' });
    await until(leaving.saw('ready'), 'the worker process to start');
    await api.queue.enqueue('share', 'deploy', {});
    await until(() => api.of('deploy').some((e) => e.detail?.stage === 'child'), 'the job to run in the worker process');
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toEqual({ code: 0, signal: null });
    expect(leaving.messages.find((m) => m.kind === 'aborted')).toMatchObject({ jobId: 'deploy', why: 'shutdown' });
    expect(await api.queue.depth()).toMatchObject({ share: 1 });
    const runs: number[] = [];
    open().process('share', async (job) => {
      runs.push(job.attempt);
      return { attempt: job.attempt };
    });
    await until(api.finished('deploy'), 'the job to run again');
    expect(api.statuses('deploy')).not.toContain('failed');
    expect(api.of('deploy').at(-1)).toMatchObject({ status: 'done', result: { attempt: 2 } });
    expect(runs).toEqual([2]);
  });

  it('close() waits for a running job to finish, then closes workers, events and connections', async () => {
    const api = observer();
    const worker = open();
    worker.process('share', async (job) => {
      await pause(300);
      return { shared: job.jobId };
    });
    await api.queue.enqueue('share', 'last', {});
    await until(() => api.statuses('last').includes('running'), 'last to start');
    await worker.close();
    await until(api.finished('last'), 'the done event');
    expect(api.of('last').at(-1)).toMatchObject({ status: 'done', result: { shared: 'last' } });
    await expect(worker.enqueue('share', 'late', {})).rejects.toThrow(/closed/);
    await worker.close(); // twice is fine
  });

  it('close() hands a job that keeps a checkpoint back at once, without waiting for the grace period', async () => {
    const api = observer();
    const worker = open({ shutdownGraceMs: 10_000 });
    const reasons: unknown[] = [];
    worker.process(
      'train',
      async (job) => {
        try {
          return await untilAborted(job);
        } catch (error) {
          reasons.push(error);
          throw error;
        }
      },
      { stopAtShutdown: true },
    );
    await api.queue.enqueue('train', 'resumable', {});
    await until(() => api.statuses('resumable').includes('running'), 'resumable to start');
    const closing = Date.now();
    await worker.close();
    expect(Date.now() - closing).toBeLessThan(5000);
    expect((reasons[0] as JobAbortedError).why).toBe('shutdown');
    expect(api.statuses('resumable')).not.toContain('failed');
  });
});

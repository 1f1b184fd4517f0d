import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../src/errors.js';
import { InProcessJobQueue } from '../src/jobs/in-process-queue.js';
import { JobAbortedError } from '../src/jobs/job-failure.js';
import type { JobContext, JobEvent } from '../src/jobs/ports.js';
import { deferred, until, untilAborted } from './helpers/async.js';

let queue: InProcessJobQueue;
let events: JobEvent[];

function open(options: ConstructorParameters<typeof InProcessJobQueue>[0] = {}): InProcessJobQueue {
  queue = new InProcessJobQueue({ backoffMs: 5, shutdownGraceMs: 2000, ...options });
  events = [];
  queue.onEvent((event) => events.push(event));
  return queue;
}

const of = (jobId: string) => events.filter((e) => e.jobId === jobId);
const statuses = (jobId: string) => of(jobId).map((e) => e.status);
const finished = (jobId: string) => () => of(jobId).some((e) => ['done', 'failed', 'cancelled'].includes(e.status));

afterEach(async () => {
  await queue?.close();
});

describe('in-process job queue', () => {
  it('runs a job and reports running, then done with its result', async () => {
    open();
    const seen: JobContext[] = [];
    queue.process('compose', async (job) => {
      seen.push(job);
      return { compositionId: job.data.compositionId, files: 2 };
    });
    await queue.enqueue('compose', 'job-1', { compositionId: 'c1' });
    await until(finished('job-1'), 'job-1 to finish');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ jobId: 'job-1', type: 'compose', data: { compositionId: 'c1' }, attempt: 1 });
    expect(of('job-1')).toEqual([
      { jobId: 'job-1', type: 'compose', status: 'running', progress: 0 },
      { jobId: 'job-1', type: 'compose', status: 'done', progress: 1, result: { compositionId: 'c1', files: 2 } },
    ]);
  });

  it('passes progress with its detail on to subscribers, clamped to 0…1', async () => {
    open();
    queue.process('train', async (job) => {
      await job.updateProgress(0.25, { iteration: 25, criticLoss: -1.5 });
      await job.updateProgress(0.5);
      await job.updateProgress(7);
    });
    await queue.enqueue('train', 'job-p', {});
    await until(finished('job-p'), 'job-p to finish');
    expect(of('job-p').map(({ status, progress, detail }) => ({ status, progress, detail }))).toEqual([
      { status: 'running', progress: 0, detail: undefined },
      { status: 'running', progress: 0.25, detail: { iteration: 25, criticLoss: -1.5 } },
      { status: 'running', progress: 0.5, detail: undefined },
      { status: 'running', progress: 1, detail: undefined },
      { status: 'done', progress: 1, detail: undefined },
    ]);
  });

  it('gives the handler a copy of the data', async () => {
    open();
    const data = { melody: { notes: [60, 62] } };
    queue.process('compose', async (job) => {
      (job.data.melody as { notes: number[] }).notes.push(64);
      return { same: job.data === data };
    });
    await queue.enqueue('compose', 'job-copy', data);
    await until(finished('job-copy'), 'job-copy');
    expect(data.melody.notes).toEqual([60, 62]);
    expect(of('job-copy').at(-1)?.result).toEqual({ same: false });
  });

  it('runs jobs of a type first in, first out, at most `concurrency` at once (2 by default, 1 for train)', async () => {
    open();
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    let running = 0;
    let most = 0;
    const handler = async (job: JobContext) => {
      started.push(job.jobId);
      running += 1;
      most = Math.max(most, running);
      const gate = deferred();
      gates.set(job.jobId, gate);
      await gate.promise;
      running -= 1;
    };
    queue.process('share', handler);
    queue.process('train', handler);
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r5']) await queue.enqueue('share', id, {});
    await queue.enqueue('train', 't1', {});
    await queue.enqueue('train', 't2', {});
    await until(() => started.length === 3, 'two shares and one training to start');
    expect(started).toEqual(['r1', 'r2', 't1']);
    expect(await queue.depth()).toEqual({ compose: 0, share: 5, train: 2 });
    gates.get('r2')!.resolve();
    await until(() => started.includes('r3'), 'r3 to start');
    gates.get('r1')!.resolve();
    gates.get('t1')!.resolve();
    await until(() => started.length === 6, 'r4 and t2 to start');
    for (const id of ['r3', 'r4', 't2']) gates.get(id)!.resolve();
    await until(() => started.length === 7, 'r5 to start');
    for (const gate of gates.values()) gate.resolve();
    await until(() => ['r1', 'r2', 'r3', 'r4', 'r5', 't1', 't2'].every((id) => finished(id)()), 'all jobs');
    expect(started).toEqual(['r1', 'r2', 't1', 'r3', 'r4', 't2', 'r5']);
    expect(most).toBe(3); // two shares plus one training
  });

  it('honours a concurrency given to process(), and keeps jobs enqueued before any handler', async () => {
    open();
    for (const id of ['s1', 's2', 's3']) await queue.enqueue('share', id, {});
    expect(await queue.depth()).toMatchObject({ share: 3 });
    let running = 0;
    let most = 0;
    queue.process(
      'share',
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      },
      { concurrency: 3 },
    );
    await until(() => ['s1', 's2', 's3'].every((id) => finished(id)()), 'all shares');
    expect(most).toBe(3);
    expect(() => queue.process('share', async () => undefined)).toThrow(/already registered/);
  });

  it('fails at once on BAD_USER_INPUT and NOT_FOUND, whatever the attempts', async () => {
    open();
    const runs: Record<string, number[]> = {};
    queue.process('compose', async (job) => {
      (runs[job.jobId] ??= []).push(job.attempt);
      if (job.data.kind === 'input') throw new InvalidInputError('bar 3: unknown note "H4"', { bar: 3 });
      throw new NotFoundError('model', 'nope');
    });
    await queue.enqueue('compose', 'bad-input', { kind: 'input' }, { attempts: 3 });
    await queue.enqueue('compose', 'not-found', { kind: 'missing' }, { attempts: 3 });
    await until(() => finished('bad-input')() && finished('not-found')(), 'both to fail');
    expect(runs).toEqual({ 'bad-input': [1], 'not-found': [1] });
    expect(of('bad-input').at(-1)).toMatchObject({ status: 'failed', error: { code: 'BAD_USER_INPUT', message: 'bar 3: unknown note "H4"' } });
    expect(of('not-found').at(-1)).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND', message: "model 'nope' does not exist" } });
  });

  it('retries other errors up to `attempts` (1 by default), then reports them as UNAVAILABLE or a masked INTERNAL', async () => {
    open();
    const runs: Record<string, number[]> = {};
    queue.process('share', async (job) => {
      (runs[job.jobId] ??= []).push(job.attempt);
      if (job.jobId === 'flaky' && job.attempt === 3) return { ok: true };
      if (job.jobId === 'bug') throw new TypeError("Cannot read properties of undefined (reading 'forEach') at /srv/continuo/dist/x.js");
      throw Object.assign(new Error('soundfont server hiccup'), { code: 'ECONNRESET' });
    });
    await queue.enqueue('share', 'flaky', {}, { attempts: 3 });
    await queue.enqueue('share', 'broken', {}, { attempts: 2 });
    await queue.enqueue('share', 'once', {});
    await queue.enqueue('share', 'bug', {});
    await until(() => ['flaky', 'broken', 'once', 'bug'].every((id) => finished(id)()), 'all four');
    expect(runs).toEqual({ flaky: [1, 2, 3], broken: [1, 2], once: [1], bug: [1] });
    expect(statuses('flaky')).toEqual(['running', 'running', 'running', 'done']);
    // A dropped connection is the network's fault: UNAVAILABLE, with the cause and what to check.
    expect(of('broken').at(-1)).toMatchObject({ status: 'failed', error: { code: 'UNAVAILABLE', message: expect.stringMatching(/the connection was dropped \(ECONNRESET\); an operator should check/) } });
    expect(statuses('once')).toEqual(['running', 'failed']);
    // Anything else is a bug: INTERNAL, saying what failed but none of the server's internals.
    const bug = of('bug').at(-1)?.error;
    expect(bug).toEqual({ code: 'INTERNAL', message: 'publishing failed on the server (the cause is in its log); try again' });
  });

  it('cancels a queued job: it never runs', async () => {
    open();
    const gate = deferred();
    const ran: string[] = [];
    queue.process('train', async (job) => {
      ran.push(job.jobId);
      await gate.promise;
    });
    await queue.enqueue('train', 'first', {});
    await queue.enqueue('train', 'second', {});
    await until(() => ran.length === 1, 'first to start');
    expect(await queue.cancel('train', 'second')).toBe(true);
    expect(statuses('second')).toEqual(['cancelled']);
    expect(await queue.depth()).toMatchObject({ train: 1 });
    gate.resolve();
    await until(finished('first'), 'first to finish');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toEqual(['first']);
    expect(await queue.cancel('train', 'second')).toBe(false);
    expect(await queue.cancel('train', 'first')).toBe(false);
    expect(await queue.cancel('train', 'never-heard-of')).toBe(false);
  });

  it('cancels a running job through its signal, without retrying it', async () => {
    open();
    const reasons: unknown[] = [];
    queue.process('train', async (job) => {
      await job.updateProgress(0.3);
      try {
        return await untilAborted(job);
      } catch (error) {
        reasons.push(error);
        throw error;
      }
    });
    await queue.enqueue('train', 'long', {}, { attempts: 3 });
    await until(() => of('long').some((e) => e.progress === 0.3), 'long to report progress');
    expect(await queue.cancel('train', 'long')).toBe(true);
    await until(finished('long'), 'long to stop');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(JobAbortedError);
    expect((reasons[0] as JobAbortedError).why).toBe('cancelled');
    expect(of('long').at(-1)).toEqual({ jobId: 'long', type: 'train', status: 'cancelled', progress: 0.3 });
    expect(statuses('long').filter((s) => s === 'running')).toHaveLength(2); // start + one progress: no second try
  });

  it('reports cancelled even if the handler finishes after the cancel', async () => {
    open();
    const gate = deferred();
    queue.process('share', async () => {
      await gate.promise;
      return { late: true };
    });
    await queue.enqueue('share', 'stubborn', {});
    await until(() => statuses('stubborn').includes('running'), 'stubborn to start');
    await queue.cancel('share', 'stubborn');
    gate.resolve();
    await until(finished('stubborn'), 'stubborn to settle');
    expect(statuses('stubborn')).toEqual(['running', 'cancelled']);
  });

  it('runs a job enqueued twice only once (queued, running, or finished)', async () => {
    open();
    const gate = deferred();
    let runs = 0;
    queue.process('share', async () => {
      runs += 1;
      await gate.promise;
    });
    await queue.enqueue('share', 'dup', {});
    await queue.enqueue('share', 'dup', {});
    await until(() => runs === 1, 'dup to start');
    await queue.enqueue('share', 'dup', {});
    expect(await queue.depth()).toMatchObject({ share: 1 });
    gate.resolve();
    await until(finished('dup'), 'dup to finish');
    await queue.enqueue('share', 'dup', {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toBe(1);
    expect(statuses('dup')).toEqual(['running', 'done']);
  });

  it('counts waiting and running jobs per type, all four types', async () => {
    open();
    expect(await queue.depth()).toEqual({ compose: 0, share: 0, train: 0 });
    const gate = deferred();
    queue.process('compose', () => gate.promise.then(() => undefined), { concurrency: 1 });
    await queue.enqueue('compose', 'c1', {});
    await queue.enqueue('compose', 'c2', {});
    await queue.enqueue('share', 'r1', {});
    expect(await queue.depth()).toEqual({ compose: 2, share: 1, train: 0 });
    gate.resolve();
    await until(() => finished('c1')() && finished('c2')(), 'compose jobs');
    expect(await queue.depth()).toEqual({ compose: 0, share: 1, train: 0 });
  });

  it('keeps going when a listener throws', async () => {
    open();
    queue.onEvent(() => {
      throw new Error('listener bug');
    });
    queue.process('compose', async () => ({ ok: 1 }));
    await queue.enqueue('compose', 'x', {});
    await until(finished('x'), 'x');
    expect(statuses('x')).toEqual(['running', 'done']);
  });

  it('close() lets a running job finish, drops queued ones, and refuses new work', async () => {
    open();
    const ran: string[] = [];
    queue.process(
      'share',
      async (job) => {
        ran.push(job.jobId);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { shared: job.jobId };
      },
      { concurrency: 1 },
    );
    await queue.enqueue('share', 'a', {});
    await queue.enqueue('share', 'b', {});
    await until(() => ran.length === 1, 'a to start');
    await queue.close();
    expect(ran).toEqual(['a']);
    expect(of('a').at(-1)).toMatchObject({ status: 'done', result: { shared: 'a' } });
    expect(of('b')).toEqual([]);
    await expect(queue.enqueue('share', 'c', {})).rejects.toThrow(/closed/);
    await queue.close(); // twice is fine
  });

  it('close() aborts a job that outlasts the grace period, as a shutdown, without a failure event', async () => {
    open({ shutdownGraceMs: 50 });
    const reasons: unknown[] = [];
    queue.process('train', async (job) => {
      try {
        return await untilAborted(job);
      } catch (error) {
        reasons.push(error);
        throw error;
      }
    });
    await queue.enqueue('train', 'endless', {}, { attempts: 3 });
    await until(() => statuses('endless').includes('running'), 'endless to start');
    const started = Date.now();
    await queue.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((reasons[0] as JobAbortedError).why).toBe('shutdown');
    expect(statuses('endless')).toEqual(['running']);
  });

  it('close() stops a job that keeps a checkpoint at once, while another job gets its grace period', async () => {
    open({ shutdownGraceMs: 10_000 });
    const stopped: { jobId: string; why: string; afterMs: number }[] = [];
    let closing = 0;
    const untilStopped = async (job: JobContext<Record<string, unknown>>) => {
      try {
        return await untilAborted(job);
      } catch (error) {
        stopped.push({ jobId: job.jobId, why: (error as JobAbortedError).why, afterMs: Date.now() - closing });
        throw error;
      }
    };
    queue.process('train', untilStopped, { stopAtShutdown: true });
    queue.process('share', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { shared: true };
    });
    await queue.enqueue('train', 'resumable', {});
    await queue.enqueue('share', 'short', {});
    await until(() => statuses('resumable').includes('running') && statuses('short').includes('running'), 'both to start');
    closing = Date.now();
    await queue.close();
    expect(Date.now() - closing).toBeLessThan(5000);
    expect(stopped).toEqual([{ jobId: 'resumable', why: 'shutdown', afterMs: expect.any(Number) }]);
    expect(stopped[0]!.afterMs).toBeLessThan(200);
    expect(of('short').at(-1)).toMatchObject({ status: 'done', result: { shared: true } });
    expect(statuses('resumable')).toEqual(['running']);
  });
});

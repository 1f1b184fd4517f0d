import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimQueuePrefix } from '../src/jobs/prefix-claim.js';
import { dataFolderId } from '../src/store/embedded/data-folder-id.js';
import { logger } from '../src/logger.js';
import { ApiKeyService } from '../src/services/api-key.service.js';
import { createPostgresStore } from '../src/store/index.js';
import { freePort } from './helpers/net.js';
import { dropSchema, findPostgres, newTestSchema, postgresRequired, queryIn } from './helpers/postgres.js';
import { redisAnswers } from './helpers/redis.js';
import { builtCliIsCurrent, killServe, startServe, type ServeProcess } from './helpers/serve-process.js';
import { timeBudget } from './helpers/timing.js';
import { writeUntrainedModel } from './helpers/tiny-model.js';

/**
 * The scale-out as it is deployed: two `serve --no-jobs` and two `continuo worker` processes on one
 * PostgreSQL and one Redis. 200 compositions go through both servers' GraphQL APIs while a worker is
 * killed mid-job (and replaced, as an orchestrator does) and Redis crashes and comes back.
 *
 * Where .ci/run requires PostgreSQL (POSTGRES_TESTS=require) this test must run; elsewhere it is
 * skipped, saying why, when PostgreSQL does not answer or redis-server is not installed.
 */

const COMPOSITIONS = 200;
const VARIATIONS = 2;
const FORMATS = ['midi', 'svg'];
/** Clients sending at once, spread over both servers, with at most WINDOW compositions in the making. */
const CLIENTS = 8;
const WINDOW = 16;

const postgres = await findPostgres();
const postgresUrl = 'url' in postgres ? postgres.url : undefined;
const redisInstalled = spawnSync('redis-server', ['--version']).status === 0;
const missing = [
  ...(postgresUrl ? [] : [`PostgreSQL did not answer (${'missing' in postgres ? postgres.missing : ''}); set DATABASE_URL or start it`]),
  ...(redisInstalled ? [] : ['redis-server is not installed (the test runs a Redis of its own, to crash and restart it)']),
];
if (missing.length && !postgresRequired) process.stderr.write(`\n  !! scale-out test SKIPPED: ${missing.join('; ')}\n\n`);
// The built CLI, as deployed, when dist/ is current (`npm test` builds first); else the sources, slower to start.
const built = builtCliIsCurrent();
if (!built && !missing.length) process.stderr.write('\n  scale-out test: dist/ is older than src/, so it runs the sources (`npm run build` makes it start faster)\n\n');

interface Answer {
  readonly ms: number;
  readonly body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Answer['body'];
  return { ms: Date.now() - started, body };
}

const COMPOSE = 'mutation($input: ComposeInput!) { compose(input: $input) { id status } }';
const composeInput = (seed: number) => ({ input: { sampleId: 'ode-to-joy', modelId: 'tiny', seed, variations: VARIATIONS, formats: FORMATS } });
const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;

/**
 * A Redis of the test's own, on its own port, so that it can be crashed and started again. A
 * production outage is taken to be the Redis process dying (SIGKILL: a crash, an OOM kill, a node
 * lost) and its supervisor starting it again on the same port with the same data folder, persisted as
 * BullMQ's production guide asks (AOF, `maxmemory-policy noeviction`): queued jobs survive, and
 * everything else — connections, blocked reads, lock renewals, enqueues under way — breaks.
 */
class TestRedis {
  private child?: ChildProcess;

  constructor(readonly port: number, private readonly dir: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'],
      { stdio: 'ignore' },
    );
    const started = Date.now();
    while (!(await redisAnswers(this.url))) {
      if (Date.now() - started > 10_000) throw new Error(`redis-server did not answer on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async crash(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

interface CompositionRow {
  readonly id: string;
  readonly status: string;
  readonly record: { files: { fileId: string; format: string; variation?: number }[]; error?: { code: string; message: string } };
}

describe.skipIf(missing.length > 0 && !postgresRequired)('scale-out: two servers and two workers on PostgreSQL and Redis', () => {
  let root: string;
  let models: string;
  const schema = newTestSchema();
  let redis: TestRedis;
  const children: ServeProcess[] = [];
  let databaseUrl: string;
  let key: string;

  const baseEnv = (dataDir: string): Record<string, string> => ({
    DATABASE_URL: databaseUrl,
    MONGODB_URI: '',
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `continuo-scale-${process.pid}`,
    CONTINUO_MODELS_DIR: models,
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '100000',
    MAX_JOBS_IN_FLIGHT_PER_KEY: '100000',
    // One inference thread per worker: three workers share this machine's cores.
    INFERENCE_THREADS: '1',
  });

  async function start(name: string, args: string[], ready: RegExp): Promise<ServeProcess> {
    const data = join(root, name);
    await mkdir(data, { recursive: true });
    const child = await startServe(baseEnv(data), { args, ready, timeoutMs: 120_000, built });
    children.push(child);
    if (!ready.test(child.log())) throw new Error(`${name} did not start:\n${child.log()}`);
    return child;
  }
  const startWorker = (name: string) => start(name, ['worker'], /worker waiting for jobs/);
  const startServer = (name: string) => start(name, ['serve', '--no-jobs'], /Continuo is serving/);

  const rows = <R extends object>(sql: string, values: unknown[] = []) => queryIn<R & Record<string, unknown>>(postgresUrl!, schema, sql, values);

  beforeAll(async () => {
    if (missing.length) throw new Error(`the scale-out test must run here (POSTGRES_TESTS=require): ${missing.join('; ')}`);
    root = await mkdtemp(join(tmpdir(), 'continuo-scale-out-'));
    models = join(root, 'models');
    await writeUntrainedModel(models, { id: 'tiny', name: 'Tiny untrained' });
    await mkdir(join(root, 'redis'));
    redis = new TestRedis(await freePort(), join(root, 'redis'));
    await redis.start();
    // The schema made (and migrated) here; every process finds it on DATABASE_URL's search path.
    const store = await createPostgresStore(postgresUrl!, { schema });
    try {
      key = (await new ApiKeyService(store.apiKeys, 500).create('scale-out', null)).secret;
    } finally {
      await store.close();
    }
    databaseUrl = `${postgresUrl!}${postgresUrl!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }, 60_000);

  afterAll(async () => {
    for (const child of children) killServe(child);
    await redis?.crash();
    if (postgresUrl) await dropSchema(postgresUrl, schema).catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses at start, saying what to set, the set-ups whose jobs would never run or would be taken by another store (D12)', async () => {
    const refusal = async (name: string, args: string[], env: Record<string, string>) => {
      const data = join(root, name);
      await mkdir(data, { recursive: true });
      const child = await startServe({ ...baseEnv(data), DATABASE_URL: '', ...env }, { args, ready: /Continuo is serving|worker waiting for jobs/, timeoutMs: 120_000, built });
      children.push(child);
      killServe(child); // started after all: the check did not hold
      return { exit: await child.exited, log: child.log() };
    };
    // A prefix that another embedded store (its data folder) took first.
    const taken = `continuo-scale-taken-${process.pid}`;
    await mkdir(join(root, 'first-folder'), { recursive: true });
    await claimQueuePrefix({ redisUrl: redis.url, prefix: taken, store: { kind: 'embedded', identity: () => dataFolderId(join(root, 'first-folder')) }, log: logger });
    const [noJobs, worker, twoFolders] = await Promise.all([
      refusal('no-jobs-embedded', ['serve', '--no-jobs'], {}),
      refusal('worker-embedded', ['worker'], {}),
      refusal('second-folder', ['serve'], { QUEUE_PREFIX: taken }),
    ]);
    expect(noJobs.exit, noJobs.log).toEqual({ code: 1, signal: null });
    expect(noJobs.log).toMatch(/--no-jobs with the embedded store: no worker can read this data folder.*set DATABASE_URL \(PostgreSQL\)/);
    expect(worker.exit, worker.log).toEqual({ code: 1, signal: null });
    expect(worker.log).toMatch(/a worker takes jobs from Redis.*set REDIS_URL, and DATABASE_URL \(PostgreSQL\) or MONGODB_URI/);
    expect(twoFolders.exit, twoFolders.log).toEqual({ code: 1, signal: null });
    expect(twoFolders.log).toMatch(new RegExp(`queue prefix '${taken}' belongs to a Continuo with another data folder.*set QUEUE_PREFIX, or share one database with DATABASE_URL`));
  }, 180_000);

  it('makes every accepted composition once, through a killed worker and a Redis crash, and leaves nothing stuck', async () => {
    const startedAt = Date.now();
    const [workerA, workerB] = await Promise.all([startWorker('worker-a'), startWorker('worker-b')]);
    const servers = await Promise.all([startServer('server-a'), startServer('server-b')]);
    const upAt = Date.now();

    const accepted: string[] = [];
    /** Answers while Redis was down: each must be a quick UNAVAILABLE, never a hang. */
    const refusals: Answer[] = [];
    // Compositions finished (done or failed), read from the database by one poller.
    let finished = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        finished = Number((await rows<{ n: string }>("SELECT count(*) AS n FROM compositions WHERE status IN ('done', 'failed')"))[0]!.n);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const until = async (what: string, test: () => Promise<boolean> | boolean, ms = 120_000) => {
      const end = Date.now() + ms;
      while (!(await test())) {
        if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    let next = 0;
    const client = async (n: number) => {
      for (let i = next++; i < COMPOSITIONS; i = next++) {
        // Users who wait for their music: a bounded number in flight, so that the work spreads over the faults.
        await until('a composition finishes', () => accepted.length - finished < WINDOW, 240_000);
        // A client that is told UNAVAILABLE tries again, as a client should.
        for (;;) {
          const answer = await post(servers[(i + n) % servers.length]!.url, key, COMPOSE, composeInput(i));
          const id = (answer.body.data?.compose as { id?: string } | undefined)?.id;
          if (id) {
            accepted.push(id);
            break;
          }
          if (codeOf(answer) !== 'UNAVAILABLE') throw new Error(`compose answered ${JSON.stringify(answer.body)}`);
          refusals.push(answer);
          await new Promise((r) => setTimeout(r, 300));
        }
      }
    };
    const sending = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));

    // A worker is killed while it runs jobs (WINDOW compositions in the making are more than one
    // worker takes at once, so both hold some) and an orchestrator starts another in its place, whose
    // start-up recovery runs while the servers take work.
    await until('some compositions are done', () => finished >= 30);
    workerA.child.kill('SIGKILL');
    await workerA.exited;
    const replacement = startWorker('worker-c');

    // Redis crashes and comes back a few seconds later, while compositions are sent and made.
    await until('more compositions are done', () => finished >= 100);
    await redis.crash();
    const outage = await Promise.all(
      servers.map(async (server) => {
        const ready = await fetch(`${server.url}/readyz`);
        const state = (await ready.json()) as { ready: boolean; queue: boolean; reasons: string[] };
        return { status: ready.status, state, compose: await post(server.url, key, COMPOSE, composeInput(COMPOSITIONS)) };
      }),
    );
    await redis.start();

    await sending;
    const workerC = await replacement;
    polling = false;
    await poller;
    expect(new Set(accepted).size).toBe(COMPOSITIONS);
    const sentAt = Date.now();

    for (const { status, state, compose } of outage) {
      expect(status).toBe(503);
      expect(state).toMatchObject({ ready: false, queue: false });
      expect(state.reasons.join(' ')).toMatch(/job queue \(Redis at REDIS_URL\) does not answer/);
      expect(codeOf(compose), JSON.stringify(compose.body)).toBe('UNAVAILABLE');
      expect(compose.ms).toBeLessThan(timeBudget(8_000));
    }
    for (const refusal of refusals) expect(refusal.ms).toBeLessThan(timeBudget(8_000));

    // Everything settles: no composition and no job left queued or running.
    const pending = async () => [
      ...(await rows<{ id: string; status: string }>("SELECT id, status FROM compositions WHERE status IN ('queued', 'running')")),
      ...(await rows<{ id: string; status: string }>("SELECT id, status FROM jobs WHERE status IN ('queued', 'running')")),
    ];
    await until('no record is queued or running', async () => (await pending()).length === 0, 150_000).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}: ${JSON.stringify(await pending())}\n${children.map((c) => c.log()).join('\n')}`);
    });
    const settledAt = Date.now();

    const compositions = await rows<CompositionRow>('SELECT id, status, record FROM compositions');
    const byId = new Map(compositions.map((row) => [row.id, row]));
    // Every accepted composition is done, with one file per variation and format.
    for (const id of accepted) {
      const row = byId.get(id);
      expect(row?.status, id).toBe('done');
      const made = row!.record.files.map((f) => `${f.format}:${f.variation ?? 0}`).sort();
      expect(made, id).toEqual(FORMATS.flatMap((format) => Array.from({ length: VARIATIONS }, (_, v) => `${format}:${v}`)).sort());
    }
    // The others were refused while Redis was down, and stay so: a client told UNAVAILABLE tries again,
    // so one made behind its back would be made twice.
    const refused = compositions.filter((row) => !accepted.includes(row.id));
    expect(refused.length).toBe(refusals.length + outage.length);
    for (const row of refused) {
      expect(row.status, row.id).toBe('failed');
      expect(row.record.error?.code).toBe('UNAVAILABLE');
      expect(row.record.files).toEqual([]);
    }

    // One compose job per composition, each finished once.
    const jobs = await rows<{ id: string; status: string; record: { payload: { compositionId: string }; attempts: number } }>(
      "SELECT id, status, record FROM jobs WHERE type = 'compose'",
    );
    const jobsOf = new Map<string, string[]>();
    for (const job of jobs) jobsOf.set(job.record.payload.compositionId, [...(jobsOf.get(job.record.payload.compositionId) ?? []), job.status]);
    for (const id of accepted) expect(jobsOf.get(id), id).toEqual(['done']);
    // The worker was killed mid-job: a job it held ran again on another worker.
    expect(Math.max(...jobs.map((job) => job.record.attempts))).toBeGreaterThanOrEqual(2);

    // No file twice: the files table holds exactly the files the records name.
    const files = await rows<{ id: string; filename: string }>('SELECT id, filename FROM files');
    const named = compositions.flatMap((row) => row.record.files.map((f) => f.fileId));
    expect(new Set(named).size).toBe(named.length);
    const unnamed = files.filter((f) => !named.includes(f.id)).map((f) => f.filename);
    expect(unnamed, 'files no record names').toEqual([]);
    expect(files.length).toBe(named.length);
    expect(new Set(files.map((f) => f.filename)).size).toBe(files.length);

    // Every process is still up, and stops cleanly.
    const alive = [workerB, workerC, ...servers];
    for (const child of alive) expect(child.child.exitCode, child.log()).toBeNull();
    for (const child of alive) child.child.kill('SIGTERM');
    for (const child of alive) expect(await child.exited, child.log()).toEqual({ code: 0, signal: null });

    const seconds = (ms: number) => Math.round(ms / 100) / 10;
    process.stderr.write(
      `  scale-out: up in ${seconds(upAt - startedAt)} s, ${COMPOSITIONS} accepted in ${seconds(sentAt - upAt)} s, all settled ${seconds(settledAt - upAt)} s after start; ` +
        `${refusals.length} refused while Redis was down\n`,
    );
  }, 300_000);
});

import { stat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNoJobs } from '../src/cli/serve.command.js';
import { loadConfig } from '../src/config/config.js';
import { startServer, type RunningServer } from '../src/graphql/server.js';
import { initBackend } from '../src/inference/backend.js';
import { postToWebhook, WEBHOOK_TIMEOUT_MS } from '../src/integrations/discord/index.js';
import { claimQueuePrefix, prefixClaimKey } from '../src/jobs/prefix-claim.js';
import { dataFolderId } from '../src/store/embedded/data-folder-id.js';
import { logger } from '../src/logger.js';
import { createServices, type Services } from '../src/services/services.js';
import { cleanUp } from '../src/services/cleanup.js';
import { withoutServerPaths } from '../src/services/training-data-path.js';
import { createStore } from '../src/store/index.js';
import { ContinuoError } from '../src/errors.js';
import { redisAnswers } from './helpers/redis.js';
import { trainTinyModel } from './helpers/synthetic-data.js';

/** Configuration and transport hardening: D12, D14, D18, D19, D23, D25. */

interface Answer {
  status: number;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[] };
}

async function post(url: string, key: string | undefined, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Answer['body'] };
}

const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;
const compose = 'mutation($input: ComposeInput!) { compose(input: $input) { id status } }';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let root: string;
let models: string;

beforeAll(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'continuo-hardening-'));
  await trainTinyModel(root);
  models = join(root, 'models');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function boot(name: string, env: Record<string, string> = {}, runJobs = true): Promise<{ services: Services; server: RunningServer; close(): Promise<void> }> {
  const config = loadConfig({ DATA_DIR: join(root, name), CONTINUO_MODELS_DIR: models, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000', ...env });
  const services = await createServices(config, logger, { runJobs });
  const server = await startServer(services, { host: '127.0.0.1', port: 0 });
  return {
    services, server,
    async close() {
      await server.close();
      await services.close();
    },
  };
}

describe('Redis misconfigurations (D12)', () => {
  it('refuses serve --no-jobs where no worker could run the jobs, saying what to set', () => {
    expect(() => checkNoJobs(false, {})).toThrow(/--no-jobs .*set REDIS_URL/);
    expect(() => checkNoJobs(false, { redisUrl: REDIS_URL })).toThrow(/--no-jobs with the embedded store.*set MONGODB_URI/);
    expect(() => checkNoJobs(false, { redisUrl: REDIS_URL, mongodbUri: 'mongodb://x' })).not.toThrow();
    expect(() => checkNoJobs(true, {})).not.toThrow();
  });

  it('refuses a queue prefix that a store with another data folder or database registered', async (t) => {
    if (!(await redisAnswers(REDIS_URL))) return t.skip(`no Redis at ${REDIS_URL}`);
    const prefix = `continuo-test-claim-${process.pid}-${Date.now()}`;
    const [a, b] = [join(root, 'claim-a'), join(root, 'claim-b')];
    await Promise.all([mkdir(a, { recursive: true }), mkdir(b, { recursive: true })]);
    try {
      const folder = (dir: string) => ({ kind: 'embedded' as const, identity: () => dataFolderId(dir) });
      await claimQueuePrefix({ redisUrl: REDIS_URL, prefix, store: folder(a), log: logger });
      await claimQueuePrefix({ redisUrl: REDIS_URL, prefix, store: folder(a), log: logger }); // the same folder again: fine
      await expect(claimQueuePrefix({ redisUrl: REDIS_URL, prefix, store: folder(b), log: logger })).rejects.toThrow(
        new RegExp(`queue prefix '${prefix}' belongs to a Continuo with another data folder.*set QUEUE_PREFIX`),
      );
      await claimQueuePrefix({ redisUrl: REDIS_URL, prefix: `${prefix}-b`, store: folder(b), log: logger });
      // Databases too: a server on another database (or schema) is refused the prefix of the first.
      const database = (id: string) => ({ kind: 'postgresql' as const, identity: async () => id });
      await claimQueuePrefix({ redisUrl: REDIS_URL, prefix: `${prefix}-db`, store: database('first'), log: logger });
      await claimQueuePrefix({ redisUrl: REDIS_URL, prefix: `${prefix}-db`, store: database('first'), log: logger });
      await expect(claimQueuePrefix({ redisUrl: REDIS_URL, prefix: `${prefix}-db`, store: database('second'), log: logger })).rejects.toThrow(
        /belongs to a Continuo with another database \(store first, this one is second\).*the same DATABASE_URL/,
      );
    } finally {
      const redis = new Redis(REDIS_URL);
      await redis.del(prefixClaimKey(prefix), prefixClaimKey(`${prefix}-b`), prefixClaimKey(`${prefix}-db`));
      redis.disconnect();
    }
  });

  it('with Redis down, /readyz is 503 with the reason and compose answers UNAVAILABLE within seconds', async () => {
    const app = await boot('redis-down', { REDIS_URL: 'redis://127.0.0.1:1' }, false);
    try {
      const ready = await fetch(`${app.server.url}/readyz`);
      expect(ready.status).toBe(503);
      const state = (await ready.json()) as { ready: boolean; queue: boolean; reasons: string[] };
      expect(state).toMatchObject({ ready: false, queue: false });
      expect(state.reasons.join(' ')).toMatch(/job queue \(Redis at REDIS_URL\) does not answer/);
      const key = (await app.services.keys.create('k')).secret;
      const started = Date.now();
      const answer = await post(app.server.url, key, { query: compose, variables: { input: { sampleId: 'ode-to-joy', modelId: 'tiny' } } });
      expect(Date.now() - started).toBeLessThan(8000);
      expect(codeOf(answer), answer.text).toBe('UNAVAILABLE');
      // Nothing is left to look queued.
      const list = await post(app.server.url, key, { query: '{ compositions { nodes { status } } }' });
      expect(list.body.data?.compositions).toEqual({ nodes: [{ status: 'FAILED' }] });
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe('transport (D18, D19, D25)', () => {
  let app: Awaited<ReturnType<typeof boot>>;
  beforeAll(async () => {
    app = await boot('transport', { RATE_LIMIT_PER_MINUTE: '5', METRICS_KEY: 'metrics-key-of-16-chars' });
  });
  afterAll(async () => app?.close());

  it('D18: answers a chunked body over the limit with 413 rather than a reset', async () => {
    const { port } = new URL(app.server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', (error) => (text ? resolve(text) : reject(error)));
      socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 12 && !socket.destroyed) {
          sent += 1;
          socket.write(`${chunk.length.toString(16)}\r\n`);
          socket.write(chunk);
          if (!socket.write('\r\n')) return void socket.once('drain', more);
        }
      };
      more();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
  });

  it('D19: rate-limits made-up and revoked tokens by address', async () => {
    const revoked = await app.services.keys.create('gone');
    await app.services.store.apiKeys.revoke(revoked.key.id);
    const codes: unknown[] = [];
    for (let i = 0; i < 8; i++) codes.push(codeOf(await post(app.server.url, i % 2 ? revoked.secret : `ck_made-up-${i}`, { query: '{ models { id } }' })));
    // The address's bucket of 5 (the request above took one): refused tokens use it up like any request.
    expect(codes[0], JSON.stringify(codes)).toBe('UNAUTHENTICATED');
    expect(codes.slice(-3), JSON.stringify(codes)).toEqual(Array(3).fill('RATE_LIMITED'));
    expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED', 'RATE_LIMITED']));
  });

  it('D25: half-sent requests time out after 30 s; /metrics needs METRICS_KEY when it is set', async () => {
    expect(app.server.server.requestTimeout).toBe(30_000);
    expect(app.server.server.headersTimeout).toBe(30_000);
    const without = await fetch(`${app.server.url}/metrics`);
    expect(without.status).toBe(401);
    expect(((await without.json()) as Answer['body']).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${app.server.url}/metrics`, { headers: { authorization: 'Bearer wrong-key-of-16-chars' } })).status).toBe(401);
    const withKey = await fetch(`${app.server.url}/metrics`, { headers: { authorization: 'Bearer metrics-key-of-16-chars' } });
    expect(withKey.status).toBe(200);
    expect(await withKey.text()).toMatch(/continuo_http_requests_total/);
  });

  it('D25: the store files, which hold webhook URLs, are readable by their owner only', async () => {
    for (const name of ['compositions.jsonl', 'shares.jsonl', 'apiKeys.jsonl', 'store.json']) {
      expect(((await stat(join(root, 'transport', name))).mode & 0o777).toString(8), name).toBe('600');
    }
  });
});

describe('store and integrations (D14, D25)', () => {
  it('D25: a damaged store.json is named in the error', async () => {
    const dir = join(root, 'damaged');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'store.json'), '{"format": "continuo-embe');
    await expect(createStore({ dataDir: dir })).rejects.toThrow(/damaged[/\\]store\.json is damaged \(it is not JSON\)/);
  });

  it('D14: a Discord webhook post that hangs is given up after its own timeout (15 s by default), as UNAVAILABLE', async () => {
    expect(WEBHOOK_TIMEOUT_MS).toBe(15_000);
    const hung: Server = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as { port: number };
    try {
      const started = Date.now();
      const posting = postToWebhook('https://discord.com/api/webhooks/123456789012/abcdefghijklmnop', { content: 'x', files: [] }, { api: `http://127.0.0.1:${port}/api`, timeoutMs: 300 });
      await expect(posting).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/did not answer the webhook post within 0\.3 s/) });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});

describe('production mode (D23)', () => {
  it('turns off introspection and the landing page with NODE_ENV=production', async () => {
    const app = await boot('production', { NODE_ENV: 'production' });
    try {
      const introspection = await post(app.server.url, undefined, { query: '{ __schema { types { name } } }' });
      expect(codeOf(introspection), introspection.text).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(introspection.text).toMatch(/introspection is not allowed/i);
      const page = await fetch(`${app.server.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/cdn\.apollographql\.com|<html/i);
      expect((await post(app.server.url, undefined, { query: '{ models { id } }' })).body.data?.models).toEqual([{ id: 'tiny' }]);
    } finally {
      await app.close();
    }
    const dev = await boot('not-production');
    try {
      const introspection = await post(dev.server.url, undefined, { query: '{ __schema { queryType { name } } }' });
      expect(introspection.body.data, introspection.text).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await dev.close();
    }
  });
});

describe('training data (D21)', () => {
  it('keeps data sets inside training-data/ (no links out), checks the kind at request time, accepts a folder named ..foo', async () => {
    const app = await boot('training', {}, false);
    try {
      const data = join(root, 'training', 'training-data');
      const outside = join(root, 'outside');
      await mkdir(join(data, '..foo'), { recursive: true });
      await mkdir(join(data, 'linked'), { recursive: true });
      await mkdir(outside, { recursive: true });
      await writeFile(join(outside, 'secret.json'), '{}');
      await writeFile(join(data, 'chorales.json'), '{}');
      await writeFile(join(data, '..foo', 'a.mid'), '');
      await symlink(outside, join(data, 'escape'));
      await symlink(join(outside, 'secret.json'), join(data, 'linked', 'x.json'));
      const owner = (await app.services.keys.create('trainer')).key;
      const train = (dataset: string, modelId = 'fresh') => app.services.training.request(owner, { dataset, modelId });
      await expect(train('jsb:escape/secret.json')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/inside the server's training-data folder \(links out of it are not followed\)/) });
      await expect(train('midi:linked?melody=a&tracks=b')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/links out of it are not followed/) });
      await expect(train('jsb:../outside/secret.json')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(train('jsb:chorales.json?scores=../outside')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/'\.\.\/outside' must name a file or folder inside/) });
      await expect(train('bogus:chorales.json')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/data set kind 'bogus' is not known; use jsb:/) });
      const job = await train('midi:..foo?melody=a&tracks=b', 'dotted');
      expect(job.payload.dataset).toBe(`midi:${join(data, '..foo')}?melody=a&tracks=b`);
    } finally {
      await app.close();
    }
  });

  it("takes the server's folders out of a training job's error", () => {
    const error = withoutServerPaths(new ContinuoError('BAD_USER_INPUT', 'cannot read /srv/data/training-data/x.json: not JSON'), { 'training-data': '/srv/data/training-data' });
    expect((error as ContinuoError).message).toBe('cannot read training-data/x.json: not JSON');
  });
});

describe('clean-up (D24)', () => {
  it('removes files no record names and finished jobs past the retention, but keeps the compose jobs the quota counts', async () => {
    const store = await createStore({ dataDir: join(root, 'cleanup') });
    try {
      const kept = await store.files.put(new Uint8Array([1]), { filename: 'a.mid', contentType: 'audio/midi' });
      const orphan = await store.files.put(new Uint8Array([2]), { filename: 'b.mid', contentType: 'audio/midi' });
      const composition = await store.compositions.create({
        ownerId: 'o', status: 'done', modelId: 'tiny', seed: 1, variations: 1, keepMelody: true, tempo: 100, input: { kind: 'sample', summary: '' }, melody: {}, bars: 1, formats: ['midi'],
        files: [{ fileId: kept.id, format: 'midi', contentType: 'audio/midi', bytes: 1, variation: 0 }],
      });
      const job = (type: 'compose' | 'share', status: 'done' | 'queued') => store.jobs.create({ type, ownerId: 'o', status, progress: 1, payload: { compositionId: composition.id }, attempts: 1 });
      const [compose, share, queued] = [await job('compose', 'done'), await job('share', 'done'), await job('share', 'queued')];
      const day = 86_400_000;
      // 40 days on, with a retention of 30 days and a quota period of 60: the share job goes, the compose job stays.
      expect(await cleanUp(store, { jobRetentionDays: 30, quotaPeriodDays: 60 }, logger, Date.now() + 40 * day)).toEqual({ files: 1, jobs: 1 });
      expect(await store.files.get(orphan.id)).toBeNull();
      expect(await store.files.get(kept.id)).not.toBeNull();
      expect(await store.jobs.get(share.id)).toBeNull();
      expect(await store.jobs.get(compose.id)).not.toBeNull();
      expect(await store.jobs.get(queued.id)).not.toBeNull();
      // Past the quota period as well, the compose job goes too; a job still queued never does.
      expect(await cleanUp(store, { jobRetentionDays: 30, quotaPeriodDays: 60 }, logger, Date.now() + 61 * day)).toEqual({ files: 0, jobs: 1 });
      expect(await store.jobs.get(queued.id)).not.toBeNull();
      // A young file no record names yet (a job may be writing it) is left alone.
      const young = await store.files.put(new Uint8Array([3]), { filename: 'c.mid', contentType: 'audio/midi' });
      await cleanUp(store, { jobRetentionDays: 30, quotaPeriodDays: 60 }, logger);
      expect(await store.files.get(young.id)).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});

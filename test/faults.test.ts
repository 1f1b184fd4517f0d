import { chmod, chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/inference/backend.js';
import { createStore } from '../src/store/index.js';
import { freePort } from './helpers/net.js';
import { killServe, startServe, type ServeProcess } from './helpers/serve-process.js';
import { trainTinyModel } from './helpers/synthetic-data.js';

/** Faults a deployment meets: a process killed mid-burst, a disk it cannot write, a Redis that is gone. */

interface Answer {
  status: number;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(url: string, key: string | undefined, payload: unknown): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Answer['body'] };
}

const compose = 'mutation($input: ComposeInput!) { compose(input: $input) { id status } }';

let root: string;
let models: string;
const running: (ServeProcess | undefined)[] = [];
/** As root every folder is writable: the server then runs as `nobody`, for which a folder can be read-only. */
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

beforeAll(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'continuo-faults-'));
  await trainTinyModel(root);
  models = join(root, 'models');
});

afterAll(async () => {
  for (const serve of running) killServe(serve);
  await rm(root, { recursive: true, force: true });
});

describe('SIGKILL during a burst of submissions (D7)', () => {
  it('leaves no composition stuck: after a restart every accepted one finishes, also one whose job was never written', async () => {
    const data = join(root, 'data-kill');
    await mkdir(data, { recursive: true });
    const env = { DATA_DIR: data, CONTINUO_MODELS_DIR: models, RATE_LIMIT_PER_MINUTE: '100000', PORT: String(await freePort()) };
    const first = await startServe(env);
    running.push(first);
    const key = (await readFile(join(data, 'api-key'), 'utf8')).trim();
    const accepted: string[] = [];
    const burst = Array.from({ length: 24 }, async (_, i) => {
      try {
        const answer = await post(first.url, key, { query: compose, variables: { input: { sampleId: 'ode-to-joy', modelId: 'tiny', seed: i } } });
        const id = (answer.body.data?.compose as { id?: string } | undefined)?.id;
        if (id) accepted.push(id);
      } catch {
        // cut off by the kill: never accepted
      }
    });
    // Killed while the burst is under way: once a few have been accepted, others are in flight.
    while (accepted.length < 3) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(burst);

    // The window a kill can fall into, made certain: a record written, its job not (the process died in between).
    const store = await createStore({ dataDir: data });
    let orphan: string;
    try {
      const some = (await store.compositions.get(accepted[0]))!;
      const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = some;
      orphan = (await store.compositions.create({ ...fields, status: 'queued', files: [] })).id;
    } finally {
      await store.close();
    }

    const second = await startServe({ ...env, PORT: String(await freePort()) });
    running.push(second);
    const unfinished = async () => {
      const statuses = await Promise.all(
        [...accepted, orphan].map(async (id) => {
          const r = await post(second.url, key, { query: 'query($id: ID!) { composition(id: $id) { status } }', variables: { id } });
          return (r.body.data?.composition as { status: string }).status;
        }),
      );
      return statuses.filter((s) => s !== 'DONE');
    };
    const started = Date.now();
    let left = await unfinished();
    while (left.length && Date.now() - started < 90_000) {
      await new Promise((r) => setTimeout(r, 500));
      left = await unfinished();
    }
    expect(left, second.log()).toEqual([]);
    // Recovery is idempotent: a third start queues nothing again.
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    const check = await createStore({ dataDir: data });
    try {
      const jobs = await check.jobs.listByStatus(['queued', 'running', 'done', 'failed', 'cancelled']);
      const forOrphan = jobs.filter((j) => j.payload.compositionId === orphan);
      expect(forOrphan.map((j) => j.status)).toEqual(['done']);
    } finally {
      await check.close();
    }
  }, 300_000);
});

describe('a read-only data folder (D13)', () => {
  it('is reported by /readyz (503 with the reason), and a job fails with a clear message that names no server path', async () => {
    const data = join(root, 'data-readonly');
    await mkdir(data, { recursive: true });
    if (asRoot) {
      await chmod(root, 0o755);
      await chown(data, NOBODY, NOBODY);
    }
    const env = { DATA_DIR: data, CONTINUO_MODELS_DIR: models, RATE_LIMIT_PER_MINUTE: '100000', PORT: String(await freePort()) };
    const serve = await startServe(env, asRoot ? { uid: NOBODY, gid: NOBODY } : {});
    running.push(serve);
    const key = (await readFile(join(data, 'api-key'), 'utf8')).trim();
    expect((await fetch(`${serve.url}/readyz`)).status, serve.log()).toBe(200);
    // The disk goes read-only under the running server (the store's logs stay open; new files cannot be made).
    await chmod(join(data, 'files'), 0o555);
    await chmod(data, 0o555);
    try {
      const ready = await fetch(`${serve.url}/readyz`);
      expect(ready.status).toBe(503);
      const state = (await ready.json()) as { ready: boolean; dataFolder: boolean; reasons: string[] };
      expect(state).toMatchObject({ ready: false, dataFolder: false });
      expect(state.reasons.join(' ')).toMatch(/the data folder \(DATA_DIR\) cannot be written \((EACCES|EROFS|EPERM)\)/);
      expect(JSON.stringify(state)).not.toContain(data);
      const made = await post(serve.url, key, { query: compose, variables: { input: { sampleId: 'ode-to-joy', modelId: 'tiny' } } });
      const id = (made.body.data?.compose as { id: string }).id;
      let composition: { status: string; error: { code: string; message: string } | null } = { status: 'QUEUED', error: null };
      const started = Date.now();
      while (['QUEUED', 'RUNNING'].includes(composition.status) && Date.now() - started < 60_000) {
        await new Promise((r) => setTimeout(r, 300));
        const r = await post(serve.url, key, { query: 'query($id: ID!) { composition(id: $id) { status error { code message } } }', variables: { id } });
        composition = r.body.data?.composition as typeof composition;
      }
      expect(composition.status, serve.log()).toBe('FAILED');
      expect(composition.error?.code).toBe('UNAVAILABLE');
      expect(composition.error?.message).toMatch(/the server cannot write its data folder: it is not writable for the server \(EACCES\)|read-only disk/);
      expect(composition.error?.message).not.toContain(data);
      expect(composition.error?.message).not.toMatch(/\/(tmp|work|home|root)\//);
    } finally {
      await chmod(data, 0o755);
      await chmod(join(data, 'files'), 0o755);
      serve.child.kill('SIGKILL');
    }
  }, 240_000);
});

import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, findPostgres, newTestSchema, postgresRequired, queryIn } from './helpers/postgres.js';
import { ContinuoError, InvalidInputError } from '../src/errors.js';
import { MIGRATIONS } from '../src/store/postgres/postgres-migrations.js';
import {
  createEmbeddedStore,
  createMongoStore,
  createPostgresStore,
  createStore,
  DuplicateRecordError,
  type ApiKeyRepository,
  type CompositionRecord,
  type CompositionRepository,
  type JobRecord,
  type JobRepository,
  type ShareRepository,
  type Store,
} from '../src/store/index.js';

type NewComposition = Parameters<CompositionRepository['create']>[0];
type NewJob = Parameters<JobRepository['create']>[0];
type NewApiKey = Parameters<ApiKeyRepository['create']>[0];
type NewShare = Parameters<ShareRepository['create']>[0];

/** Each test works under its own owner, so tests can share one store (and one MongoDB database). */
const newOwner = (): string => `owner-${randomUUID()}`;

const composition = (ownerId: string, extra: Partial<NewComposition> = {}): NewComposition => ({
  ownerId,
  status: 'queued',
  modelId: 'chorale',
  seed: 7,
  variations: 2,
  keepMelody: true,
  threshold: 0.1,
  tempo: 96,
  input: { kind: 'notation', summary: 'C4 D4 E4/2' },
  melody: { steps: 16, notes: [{ pitch: 60, start: 0, duration: 4, velocity: 90 }] },
  bars: 1,
  formats: ['midi'],
  files: [],
  ...extra,
});

const job = (ownerId: string, extra: Partial<NewJob> = {}): NewJob => ({
  type: 'compose',
  ownerId,
  status: 'queued',
  progress: 0,
  payload: { compositionId: 'c1' },
  attempts: 0,
  ...extra,
});

const apiKey = (extra: Partial<NewApiKey> = {}): NewApiKey => ({
  name: 'laptop',
  secretHash: randomBytes(32).toString('hex'),
  prefix: 'ck_1234',
  quota: 100,
  ...extra,
});

const share = (compositionId: string, ownerId: string, extra: Partial<NewShare> = {}): NewShare => ({
  compositionId,
  ownerId,
  target: 'DISCORD',
  title: 'Ode',
  description: 'an accompaniment',
  visibility: 'PUBLIC',
  status: 'queued',
  ...extra,
});

/** Every byte value, in order, twice over. */
const allBytes = (): Uint8Array => Uint8Array.from({ length: 512 }, (_, i) => i % 256);

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

interface StoreUnderTest {
  readonly store: Store;
  dispose(): Promise<void>;
}

/** The behaviour every Store adapter must have. */
function describeStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>, options: { skip?: boolean } = {}): void {
  describe.skipIf(options.skip === true)(name, () => {
    let subject: StoreUnderTest;
    let store: Store;
    beforeAll(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });

    it('has one identity, the same each time it is asked (servers sharing a job queue compare it)', async () => {
      const id = await store.identity();
      expect(id).toMatch(/^[0-9a-f]{16,}$/);
      expect(await Promise.all([store.identity(), store.identity()])).toEqual([id, id]);
    });

    describe('compositions', () => {
      it('creates a composition with a random URL-safe id and gets it back as it was created', async () => {
        const ownerId = newOwner();
        const created = await store.compositions.create(composition(ownerId));
        const other = await store.compositions.create(composition(ownerId));
        expect(created.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
        expect(other.id).not.toBe(created.id);
        expect(created).toMatchObject({ ...composition(ownerId), id: created.id });
        expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
        expect(created.updatedAt).toBe(created.createdAt);
        const got = await store.compositions.get(created.id);
        expect(got).toStrictEqual(created);
        expect(Object.keys(got ?? {})).not.toContain('_id');
      });

      it('returns null for an unknown id', async () => {
        expect(await store.compositions.get('no-such-composition')).toBeNull();
      });

      it('updates with a shallow patch, moves updatedAt on, and removes fields patched with undefined', async () => {
        const created = await store.compositions.create(composition(newOwner()));
        const file = { fileId: 'f1', format: 'midi', contentType: 'audio/midi', bytes: 123, variation: 0 };
        const failed = await store.compositions.update(created.id, { status: 'failed', error: { code: 'INTERNAL', message: 'boom' }, files: [file] });
        expect(failed).toStrictEqual({ ...created, status: 'failed', error: { code: 'INTERNAL', message: 'boom' }, files: [file], updatedAt: failed?.updatedAt });
        expect(failed!.updatedAt > created.updatedAt).toBe(true);

        const retried = await store.compositions.update(created.id, { status: 'done', error: undefined });
        expect(retried?.status).toBe('done');
        expect(retried?.files).toStrictEqual([file]);
        expect(retried).not.toHaveProperty('error');
        expect(retried?.createdAt).toBe(created.createdAt);
        expect(await store.compositions.get(created.id)).toStrictEqual(retried);
      });

      it('never lets a patch change the id or createdAt', async () => {
        const created = await store.compositions.create(composition(newOwner()));
        const patch = { id: 'other', createdAt: '2000-01-01T00:00:00.000Z', tempo: 120 } as unknown as Partial<CompositionRecord>;
        const updated = await store.compositions.update(created.id, patch);
        expect(updated).toMatchObject({ id: created.id, createdAt: created.createdAt, tempo: 120 });
        expect(await store.compositions.get('other')).toBeNull();
      });

      it('returns null when updating and false when deleting an unknown id', async () => {
        expect(await store.compositions.update('no-such-composition', { status: 'done' })).toBeNull();
        expect(await store.compositions.delete('no-such-composition')).toBe(false);
      });

      it('deletes a composition', async () => {
        const created = await store.compositions.create(composition(newOwner()));
        expect(await store.compositions.delete(created.id)).toBe(true);
        expect(await store.compositions.get(created.id)).toBeNull();
        expect(await store.compositions.delete(created.id)).toBe(false);
      });

      it('hands out copies: changing a returned record changes nothing stored', async () => {
        const created = await store.compositions.create(composition(newOwner()));
        (created.formats as string[]).push('mp3');
        (created.input as { summary: string }).summary = 'changed';
        const got = await store.compositions.get(created.id);
        expect(got?.formats).toStrictEqual(['midi']);
        expect(got?.input.summary).toBe('C4 D4 E4/2');
      });

      it('pages 25 records 10 at a time: newest first, no duplicates, totalCount 25, no cursor at the end', async () => {
        const ownerId = newOwner();
        const created: CompositionRecord[] = [];
        for (let i = 0; i < 25; i += 1) created.push(await store.compositions.create(composition(ownerId, { seed: i })));
        const other = await store.compositions.create(composition(newOwner()));

        const pages = [];
        let after: string | null = null;
        do {
          const page = await store.compositions.listByOwner(ownerId, { first: 10, after });
          pages.push(page);
          after = page.nextCursor;
        } while (after !== null && pages.length < 10);

        expect(pages.map((page) => page.items.length)).toStrictEqual([10, 10, 5]);
        expect(pages.map((page) => page.totalCount)).toStrictEqual([25, 25, 25]);
        expect(pages[0]!.nextCursor).toEqual(expect.any(String));
        expect(pages[2]!.nextCursor).toBeNull();
        const listed = pages.flatMap((page) => page.items);
        expect(new Set(listed.map((record) => record.id)).size).toBe(25);
        expect(listed.map((record) => record.id)).toStrictEqual(created.map((record) => record.id).reverse());
        expect(listed.map((record) => record.seed)).toStrictEqual([...Array(25).keys()].reverse());
        expect(listed).toStrictEqual([...created].reverse());
        expect(listed.map((record) => record.id)).not.toContain(other.id);
      });

      it('keeps owners apart and gives an empty page for an owner with nothing', async () => {
        const alice = newOwner();
        const bob = newOwner();
        const a = await store.compositions.create(composition(alice));
        const b1 = await store.compositions.create(composition(bob));
        const b2 = await store.compositions.create(composition(bob));
        expect(await store.compositions.listByOwner(alice, { first: 10 })).toStrictEqual({ items: [a], nextCursor: null, totalCount: 1 });
        expect(await store.compositions.listByOwner(bob, { first: 10 })).toStrictEqual({ items: [b2, b1], nextCursor: null, totalCount: 2 });
        expect(await store.compositions.listByOwner(newOwner(), { first: 10 })).toStrictEqual({ items: [], nextCursor: null, totalCount: 0 });
      });

      it('gives no cursor when a page ends exactly at the last record, and checks the request', async () => {
        const ownerId = newOwner();
        for (let i = 0; i < 3; i += 1) await store.compositions.create(composition(ownerId));
        const page = await store.compositions.listByOwner(ownerId, { first: 3 });
        expect(page.items).toHaveLength(3);
        expect(page.nextCursor).toBeNull();
        for (const first of [0, 101, 2.5, Number.NaN]) {
          await expect(store.compositions.listByOwner(ownerId, { first })).rejects.toBeInstanceOf(InvalidInputError);
        }
        await expect(store.compositions.listByOwner(ownerId, { first: 1, after: 'not a cursor' })).rejects.toBeInstanceOf(InvalidInputError);
        const noTime = Buffer.from(JSON.stringify(['yesterday', page.items[0]!.id])).toString('base64url');
        await expect(store.compositions.listByOwner(ownerId, { first: 1, after: noTime })).rejects.toBeInstanceOf(InvalidInputError);
      });

      it('goes on after a cursor whose record was deleted meanwhile', async () => {
        const ownerId = newOwner();
        const created: CompositionRecord[] = [];
        for (let i = 0; i < 4; i += 1) created.push(await store.compositions.create(composition(ownerId)));
        const first = await store.compositions.listByOwner(ownerId, { first: 2 });
        expect(first.items.map((record) => record.id)).toStrictEqual([created[3]!.id, created[2]!.id]);
        await store.compositions.delete(created[2]!.id);
        const second = await store.compositions.listByOwner(ownerId, { first: 2, after: first.nextCursor });
        expect(second.items.map((record) => record.id)).toStrictEqual([created[1]!.id, created[0]!.id]);
        expect(second.totalCount).toBe(3);
      });

      it('counts an owner’s compositions since a time', async () => {
        const ownerId = newOwner();
        const made: CompositionRecord[] = [];
        for (let i = 0; i < 4; i += 1) made.push(await store.compositions.create(composition(ownerId)));
        await store.compositions.create(composition(newOwner()));
        expect(await store.compositions.countByOwnerSince(ownerId, '1970-01-01T00:00:00.000Z')).toBe(4);
        expect(await store.compositions.countByOwnerSince(ownerId, made[2]!.createdAt)).toBe(2);
        expect(await store.compositions.countByOwnerSince(ownerId, new Date(Date.now() + 3_600_000).toISOString())).toBe(0);
        // Other spellings of a time count the same.
        expect(await store.compositions.countByOwnerSince(ownerId, '1970-01-01T00:00:00Z')).toBe(4);
        expect(await store.compositions.countByOwnerSince(newOwner(), '1970-01-01T00:00:00.000Z')).toBe(0);
        await expect(store.compositions.countByOwnerSince(ownerId, 'yesterday')).rejects.toBeInstanceOf(InvalidInputError);
      });
    });

    describe('jobs', () => {
      it('creates, gets and updates a job', async () => {
        const created = await store.jobs.create(job(newOwner()));
        expect(created).toMatchObject({ status: 'queued', progress: 0, attempts: 0, payload: { compositionId: 'c1' } });
        expect(await store.jobs.get(created.id)).toStrictEqual(created);
        const running = await store.jobs.update(created.id, { status: 'running', progress: 0.5, attempts: 1 });
        expect(running).toMatchObject({ id: created.id, status: 'running', progress: 0.5, attempts: 1, createdAt: created.createdAt });
        const done = await store.jobs.update(created.id, { status: 'done', progress: 1, result: { compositionId: 'c1', notes: 42 } });
        expect(await store.jobs.get(created.id)).toStrictEqual(done);
        expect(done).toMatchObject({ status: 'done', progress: 1, attempts: 1, result: { compositionId: 'c1', notes: 42 } });
        expect(await store.jobs.update('no-such-job', { status: 'done' })).toBeNull();
        expect(await store.jobs.get('no-such-job')).toBeNull();
      });

      it('lists jobs in the given statuses, oldest first', async () => {
        const ownerId = newOwner();
        const a = await store.jobs.create(job(ownerId, { status: 'running' }));
        const b = await store.jobs.create(job(ownerId, { status: 'done' }));
        const c = await store.jobs.create(job(ownerId, { status: 'queued' }));
        const d = await store.jobs.create(job(ownerId, { status: 'running' }));
        await store.jobs.update(a.id, { progress: 0.9 }); // an update does not move a job in the order

        const listed = await store.jobs.listByStatus(['queued', 'running']);
        expect(listed.every((record) => record.status === 'queued' || record.status === 'running')).toBe(true);
        const sorted = [...listed].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : 1));
        expect(listed.map((record) => record.id)).toStrictEqual(sorted.map((record) => record.id));
        const mine = listed.filter((record) => record.ownerId === ownerId);
        expect(mine.map((record) => record.id)).toStrictEqual([a.id, c.id, d.id]);
        expect(mine[0]?.progress).toBe(0.9);

        const finished = (await store.jobs.listByStatus(['done'])).filter((record) => record.ownerId === ownerId);
        expect(finished.map((record) => record.id)).toStrictEqual([b.id]);
        expect(await store.jobs.listByStatus([])).toStrictEqual([]);
      });

      it('counts an owner’s jobs of a type since a time (the quota of compositions made)', async () => {
        const ownerId = newOwner();
        const made: JobRecord[] = [];
        for (let i = 0; i < 3; i += 1) made.push(await store.jobs.create(job(ownerId)));
        await store.jobs.create(job(ownerId, { type: 'train' }));
        await store.jobs.create(job(newOwner()));
        expect(await store.jobs.countByOwnerSince(ownerId, 'compose', '1970-01-01T00:00:00Z')).toBe(3);
        expect(await store.jobs.countByOwnerSince(ownerId, 'train', '1970-01-01T00:00:00.000Z')).toBe(1);
        expect(await store.jobs.countByOwnerSince(ownerId, 'compose', made[1]!.createdAt)).toBe(2);
        expect(await store.jobs.countByOwnerSince(ownerId, 'compose', new Date(Date.now() + 3_600_000).toISOString())).toBe(0);
        await expect(store.jobs.countByOwnerSince(ownerId, 'compose', 'yesterday')).rejects.toBeInstanceOf(InvalidInputError);
      });

      it('tells when the n-th of an owner’s jobs of a type since a time was made, oldest first (when a quota frees a place)', async () => {
        const ownerId = newOwner();
        const made: JobRecord[] = [];
        for (let i = 0; i < 3; i += 1) made.push(await store.jobs.create(job(ownerId)));
        await store.jobs.create(job(ownerId, { type: 'train' }));
        const since = '1970-01-01T00:00:00Z';
        expect(await Promise.all([0, 1, 2].map((n) => store.jobs.createdAtByOwnerSince(ownerId, 'compose', since, n)))).toStrictEqual(made.map((m) => m.createdAt));
        expect(await store.jobs.createdAtByOwnerSince(ownerId, 'compose', since, 3)).toBeNull();
        expect(await store.jobs.createdAtByOwnerSince(ownerId, 'compose', made[1]!.createdAt, 0)).toBe(made[1]!.createdAt);
        expect(await store.jobs.createdAtByOwnerSince(newOwner(), 'compose', since, 0)).toBeNull();
      });

      it('loses nothing under 50 concurrent updates of different fields and records', async () => {
        const ownerId = newOwner();
        const jobs = await Promise.all(Array.from({ length: 10 }, () => store.jobs.create(job(ownerId))));
        expect(new Set(jobs.map((record) => record.id)).size).toBe(10);
        const updates = jobs.flatMap((record, i) => [
          () => store.jobs.update(record.id, { progress: i / 10 }),
          () => store.jobs.update(record.id, { status: 'running' }),
          () => store.jobs.update(record.id, { attempts: i + 1 }),
          () => store.jobs.update(record.id, { result: { index: i } }),
          () => store.jobs.update(record.id, { error: { code: 'RETRY', message: `try ${i}` } }),
        ]);
        // Interleave the records so that neighbouring calls touch different jobs.
        const order = updates.map((_, k) => updates[(k % 10) * 5 + Math.floor(k / 10)]!);
        const results = await Promise.all(order.map((update) => update()));
        expect(results.every((record) => record !== null)).toBe(true);
        for (const [i, record] of jobs.entries()) {
          expect(await store.jobs.get(record.id)).toMatchObject({
            progress: i / 10,
            status: 'running',
            attempts: i + 1,
            result: { index: i },
            error: { code: 'RETRY', message: `try ${i}` },
          });
        }
      });
    });

    describe('API keys', () => {
      it('creates a key and finds it by id, by secret hash and in the list', async () => {
        const created = await store.apiKeys.create(apiKey({ quota: null }));
        expect(created).toMatchObject({ name: 'laptop', prefix: 'ck_1234', quota: null });
        expect(created).not.toHaveProperty('revokedAt');
        expect(await store.apiKeys.get(created.id)).toStrictEqual(created);
        expect(await store.apiKeys.findBySecretHash(created.secretHash)).toStrictEqual(created);
        expect(await store.apiKeys.findBySecretHash(randomBytes(32).toString('hex'))).toBeNull();
        const later = await store.apiKeys.create(apiKey());
        const listed = await store.apiKeys.list();
        const ids = listed.map((record) => record.id);
        expect(ids.indexOf(created.id)).toBeGreaterThanOrEqual(0);
        expect(ids.indexOf(later.id)).toBeGreaterThan(ids.indexOf(created.id));
        expect(listed.find((record) => record.id === created.id)).toStrictEqual(created);
      });

      it('revokes a key once, keeping the first revocation time', async () => {
        const created = await store.apiKeys.create(apiKey());
        const revoked = await store.apiKeys.revoke(created.id);
        expect(revoked).toStrictEqual({ ...created, revokedAt: expect.any(String) });
        expect(revoked!.revokedAt! >= created.createdAt).toBe(true);
        const again = await store.apiKeys.revoke(created.id);
        expect(again?.revokedAt).toBe(revoked?.revokedAt);
        // Still found by its hash, so that callers can tell "revoked" from "unknown".
        expect(await store.apiKeys.findBySecretHash(created.secretHash)).toStrictEqual(revoked);
        expect(await store.apiKeys.revoke('no-such-key')).toBeNull();
      });

      it('refuses a second key with the same secret hash', async () => {
        const created = await store.apiKeys.create(apiKey());
        const error: unknown = await store.apiKeys.create(apiKey({ secretHash: created.secretHash, name: 'copy' })).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateRecordError);
        expect((error as ContinuoError).code).toBe('BAD_USER_INPUT');
        expect((await store.apiKeys.list()).filter((record) => record.secretHash === created.secretHash)).toHaveLength(1);
      });
    });

    describe('shares', () => {
      it('creates, gets, updates and lists shares of a composition, oldest first', async () => {
        const ownerId = newOwner();
        const compositionId = `composition-${randomUUID()}`;
        const first = await store.shares.create(share(compositionId, ownerId));
        const second = await store.shares.create(share(compositionId, ownerId, { target: 'SOUNDCLOUD', visibility: 'PRIVATE' }));
        await store.shares.create(share(`composition-${randomUUID()}`, ownerId));
        expect(await store.shares.get(first.id)).toStrictEqual(first);
        const done = await store.shares.update(second.id, { status: 'done', result: { permalink: 'https://soundcloud.com/x/ode' } });
        expect(done).toMatchObject({ id: second.id, status: 'done', target: 'SOUNDCLOUD', result: { permalink: 'https://soundcloud.com/x/ode' } });
        expect(done!.updatedAt > second.updatedAt).toBe(true);
        expect(await store.shares.listByComposition(compositionId)).toStrictEqual([first, done]);
        expect(await store.shares.listByComposition('no-such-composition')).toStrictEqual([]);
        expect(await store.shares.update('no-such-share', { status: 'done' })).toBeNull();
        expect(await store.shares.get('no-such-share')).toBeNull();
      });
    });

    describe('files', () => {
      it('keeps binary data exactly (every byte value) with its metadata', async () => {
        const data = allBytes();
        const info = await store.files.put(data, { filename: 'all-bytes.bin', contentType: 'application/octet-stream' });
        expect(info).toStrictEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/), filename: 'all-bytes.bin', contentType: 'application/octet-stream', bytes: 512 });
        const got = await store.files.get(info.id);
        expect(got?.info).toStrictEqual(info);
        expect(got?.data).toBeInstanceOf(Uint8Array);
        expect(sameBytes(got!.data, data)).toBe(true);
        const streamed = await store.files.stream(info.id);
        expect(streamed?.info).toStrictEqual(info);
        expect(sameBytes(await collect(streamed!.stream), data)).toBe(true);
      });

      it('tells what a file is without its data, and streams one byte range of it', async () => {
        const data = allBytes();
        const info = await store.files.put(data, { filename: 'range.bin', contentType: 'audio/flac' });
        expect(await store.files.info(info.id)).toStrictEqual(info);
        expect(await store.files.info('no-such-file-id-0000')).toBeNull();
        const middle = await store.files.stream(info.id, { start: 100, end: 199 });
        expect(middle?.info).toStrictEqual(info);
        expect(sameBytes(await collect(middle!.stream), data.subarray(100, 200))).toBe(true);
        const last = await store.files.stream(info.id, { start: 511, end: 511 });
        expect(sameBytes(await collect(last!.stream), data.subarray(511))).toBe(true);
      });

      it('keeps a 2 MB file, whole and streamed', async () => {
        const data = new Uint8Array(randomBytes(2 * 1024 * 1024));
        const info = await store.files.put(data, { filename: 'ode.wav', contentType: 'audio/wav' });
        expect(info.bytes).toBe(data.byteLength);
        const got = await store.files.get(info.id);
        expect(got?.data.byteLength).toBe(data.byteLength);
        expect(sameBytes(got!.data, data)).toBe(true);
        const streamed = await store.files.stream(info.id);
        expect(streamed?.info.contentType).toBe('audio/wav');
        expect(sameBytes(await collect(streamed!.stream), data)).toBe(true);
      });

      it('stores one file per key: a put under a key stored already replaces that file and keeps its id', async () => {
        const key = `compose:${randomBytes(16).toString('base64url')}:midi:0`;
        const first = await store.files.put(allBytes(), { filename: 'take-1.mid', contentType: 'audio/midi' }, { key });
        expect(first.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
        expect(first.id).not.toContain(key.split(':')[1]);
        const before = new Set(await store.files.listIdsBefore(new Date(Date.now() + 60_000).toISOString()));
        const again = await store.files.put(new Uint8Array([1, 2, 3]), { filename: 'take-1.mid', contentType: 'audio/midi' }, { key });
        expect(again).toStrictEqual({ ...first, bytes: 3 });
        expect((await store.files.get(first.id))?.data).toStrictEqual(new Uint8Array([1, 2, 3]));
        expect(new Set(await store.files.listIdsBefore(new Date(Date.now() + 60_000).toISOString()))).toEqual(before);
        const other = await store.files.put(allBytes(), { filename: 'take-1.svg', contentType: 'image/svg+xml' }, { key: `${key}:svg` });
        expect(other.id).not.toBe(first.id);
      });

      it('keeps an empty file', async () => {
        const info = await store.files.put(new Uint8Array(0), { filename: 'empty.txt', contentType: 'text/plain' });
        expect((await store.files.get(info.id))?.data.byteLength).toBe(0);
      });

      it('deletes a file', async () => {
        const info = await store.files.put(allBytes(), { filename: 'gone.mid', contentType: 'audio/midi' });
        const kept = await store.files.put(allBytes(), { filename: 'kept.mid', contentType: 'audio/midi' });
        expect(await store.files.delete(info.id)).toBe(true);
        expect(await store.files.get(info.id)).toBeNull();
        expect(await store.files.stream(info.id)).toBeNull();
        expect(await store.files.delete(info.id)).toBe(false);
        expect((await store.files.get(kept.id))?.info).toStrictEqual(kept);
      });

      it('answers null (or false) for files that do not exist', async () => {
        for (const id of ['no-such-file', '../store.json', 'a/b', '']) {
          expect(await store.files.get(id)).toBeNull();
          expect(await store.files.stream(id)).toBeNull();
          expect(await store.files.delete(id)).toBe(false);
        }
      });
    });
  });
}

// --- the adapters ---

describeStoreContract('embedded store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'continuo-store-'));
  const store = await createEmbeddedStore(dir);
  return {
    store,
    async dispose() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const mongoUri = process.env.MONGODB_URI;
if (!mongoUri) console.info('MongoDB store contract tests skipped: set MONGODB_URI to run them');

describeStoreContract(
  mongoUri ? 'MongoDB store' : 'MongoDB store (skipped: MONGODB_URI not set)',
  async () => {
    // One database per run, dropped afterwards.
    const dbName = `continuo_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const store = await createMongoStore(mongoUri!, { dbName });
    return {
      store,
      async dispose() {
        await store.close();
        const client = new MongoClient(mongoUri!);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  },
  { skip: !mongoUri },
);

describe('MongoDB store start-up', () => {
  it('fails at start with a clear message, and without the password, when the server cannot be reached', async () => {
    const error: unknown = await createMongoStore('mongodb://continuo:s3cret@127.0.0.1:9/?serverSelectionTimeoutMS=300').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContinuoError);
    expect((error as Error).message).toMatch(/^cannot use MongoDB at mongodb:\/\/continuo:\*\*\*@127\.0\.0\.1:9\/.* \(database continuo\)/);
    expect((error as Error).message).not.toContain('s3cret');
  });
});

// PostgreSQL: the one at DATABASE_URL, else this machine's (test/helpers/postgres.ts); each run in a
// schema of its own, dropped afterwards. Where .ci/run requires it, a PostgreSQL that does not answer fails.
const postgres = await findPostgres();
const postgresUrl = 'url' in postgres ? postgres.url : undefined;
const postgresMissing = 'missing' in postgres ? postgres.missing : '';
if (!postgresUrl && !postgresRequired) {
  console.info(`PostgreSQL store tests skipped: no PostgreSQL answers (${postgresMissing}); start one, or set DATABASE_URL`);
}
if (!postgresUrl && postgresRequired) {
  describe('PostgreSQL store (POSTGRES_TESTS=require)', () => {
    it('has a PostgreSQL to run against', () => {
      throw new Error(`no PostgreSQL answers (${postgresMissing}); start it, or set DATABASE_URL`);
    });
  });
}

describeStoreContract(
  postgresUrl ? 'PostgreSQL store' : 'PostgreSQL store (skipped: no PostgreSQL answers)',
  async () => {
    const schema = newTestSchema();
    const store = await createPostgresStore(postgresUrl!, { schema });
    return {
      store,
      async dispose() {
        await store.close();
        await dropSchema(postgresUrl!, schema);
      },
    };
  },
  { skip: !postgresUrl },
);

describe('PostgreSQL store start-up', () => {
  it('fails at start with a clear message, and without the password, when the server cannot be reached', async () => {
    const error: unknown = await createPostgresStore('postgresql://continuo:s3cret@127.0.0.1:9/continuo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContinuoError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^cannot use PostgreSQL at postgresql:\/\/continuo:\*\*\*@127\.0\.0\.1:9\/continuo: .*ECONNREFUSED/) });
    expect((error as Error).message).not.toContain('s3cret');
  });
});

// --- what only the PostgreSQL store promises: one schema for many processes ---

describe.skipIf(!postgresUrl)(`PostgreSQL store on the server${postgresUrl ? '' : ' (skipped: no PostgreSQL answers)'}`, () => {
  const url = postgresUrl!;
  const schemas: string[] = [];
  const newSchema = (): string => {
    const schema = newTestSchema();
    schemas.push(schema);
    return schema;
  };
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url, schema);
  });

  it('makes its schema on start, once: processes that start together migrate it once, and a reopen changes nothing', async () => {
    const schema = newSchema();
    const stores = await Promise.all(Array.from({ length: 3 }, () => createPostgresStore(url, { schema })));
    const migrated = () => queryIn<{ version: number; name: string }>(url, schema, 'SELECT version, name FROM continuo_migrations ORDER BY version');
    expect(await migrated()).toStrictEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    const record = await stores[0]!.compositions.create(composition(newOwner()));
    // One identity for the schema, whichever process asks; another schema has its own.
    const ids = new Set(await Promise.all(stores.map((store) => store.identity())));
    expect(ids.size).toBe(1);
    await Promise.all(stores.map((store) => store.close()));
    const reopened = await createPostgresStore(url, { schema });
    expect(await migrated()).toHaveLength(MIGRATIONS.length);
    expect(await reopened.compositions.get(record.id)).toStrictEqual(record);
    expect(await reopened.identity()).toBe([...ids][0]);
    const other = await createPostgresStore(url, { schema: newSchema() });
    expect(await other.identity()).not.toBe([...ids][0]);
    await Promise.all([reopened.close(), other.close()]);
  });

  it('refuses a schema that a newer Continuo migrated, and says what to do', async () => {
    const schema = newSchema();
    await (await createPostgresStore(url, { schema })).close();
    await queryIn(url, schema, "INSERT INTO continuo_migrations (version, name) VALUES (999, 'from a later release')");
    const error: unknown = await createPostgresStore(url, { schema }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/schema continuo_test_\w+ is at version 999, made by a newer Continuo; this one knows versions up to \d+ — upgrade Continuo/),
    });
  });

  it('is chosen by DATABASE_URL, whose search path may name the schema (which must exist)', async () => {
    const schema = newSchema();
    const inSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    await expect(createStore({ databaseUrl: inSchema, dataDir: '/nonexistent' })).rejects.toThrow(/the search path names no schema that exists; create one/);
    await queryIn(url, 'public', `CREATE SCHEMA ${schema}`);
    const store = await createStore({ databaseUrl: inSchema, dataDir: '/nonexistent' });
    try {
      expect(store.kind).toBe('postgresql');
      const record = await store.jobs.create(job(newOwner()));
      expect(await queryIn(url, schema, 'SELECT id FROM jobs')).toStrictEqual([{ id: record.id }]);
    } finally {
      await store.close();
    }
  });

  it('serves several processes on one schema: what one writes the others read, and concurrent changes all land', async () => {
    const schema = newSchema();
    const [a, b] = await Promise.all([createPostgresStore(url, { schema }), createPostgresStore(url, { schema })]);
    try {
      const record = await a.jobs.create(job(newOwner()));
      const file = await a.files.put(allBytes(), { filename: 'shared.mid', contentType: 'audio/midi' });
      expect(await b.jobs.get(record.id)).toStrictEqual(record);
      expect(sameBytes((await b.files.get(file.id))!.data, allBytes())).toBe(true);
      await Promise.all([
        a.jobs.update(record.id, { progress: 0.5 }),
        b.jobs.update(record.id, { attempts: 2 }),
        a.jobs.update(record.id, { status: 'running' }),
        b.jobs.update(record.id, { result: { notes: 12 } }),
      ]);
      expect(await a.jobs.get(record.id)).toMatchObject({ progress: 0.5, attempts: 2, status: 'running', result: { notes: 12 } });
      expect(await b.jobs.listByStatus(['running'])).toStrictEqual([await a.jobs.get(record.id)]);

      const key = await a.apiKeys.create(apiKey());
      await expect(b.apiKeys.create(apiKey({ secretHash: key.secretHash }))).rejects.toBeInstanceOf(DuplicateRecordError);
      const [first, second] = await Promise.all([a.apiKeys.revoke(key.id), b.apiKeys.revoke(key.id)]);
      expect(first?.revokedAt).toEqual(expect.any(String));
      expect(second?.revokedAt).toBe(first?.revokedAt);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('streams a file read in several slices, and a range across a slice boundary', async () => {
    const schema = newSchema();
    const store = await createPostgresStore(url, { schema });
    try {
      const data = new Uint8Array(randomBytes(1024 * 1024 + 7));
      const info = await store.files.put(data, { filename: 'long.flac', contentType: 'audio/flac' });
      const streamed = await store.files.stream(info.id);
      const chunks: Buffer[] = [];
      for await (const chunk of streamed!.stream) chunks.push(Buffer.from(chunk as Uint8Array));
      expect(chunks.length).toBeGreaterThan(4);
      expect(sameBytes(Buffer.concat(chunks), data)).toBe(true);
      const across = await store.files.stream(info.id, { start: 262_000, end: 262_300 });
      expect(sameBytes(await collect(across!.stream), data.subarray(262_000, 262_301))).toBe(true);
      const tail = await store.files.stream(info.id, { start: data.byteLength - 3, end: data.byteLength + 100 });
      expect(sameBytes(await collect(tail!.stream), data.subarray(data.byteLength - 3))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('keeps any string a record holds, NUL and lone surrogates too (the json column keeps what was written)', async () => {
    const schema = newSchema();
    const store = await createPostgresStore(url, { schema });
    try {
      const summary = 'bar 1\u0000 \ud834 tail';
      const created = await store.compositions.create(composition(newOwner(), { input: { kind: 'midi', summary } }));
      expect(created.input.summary).toBe(summary);
      expect(await store.compositions.get(created.id)).toStrictEqual(created);
    } finally {
      await store.close();
    }
  });

  it('answers ping with false once closed', async () => {
    const store = await createPostgresStore(url, { schema: newSchema() });
    await store.close();
    await store.close(); // twice is fine
    expect(await store.ping()).toBe(false);
  });
});

// --- what only the embedded store promises: its files on disk ---

describe('embedded store on disk', () => {
  const dirs: string[] = [];
  const newDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'continuo-store-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('keeps records and files across close and reopen', async () => {
    const dir = await newDir();
    const ownerId = newOwner();
    let store = await createEmbeddedStore(dir);
    const compositions = [];
    for (let i = 0; i < 3; i += 1) compositions.push(await store.compositions.create(composition(ownerId, { seed: i })));
    const updated = await store.compositions.update(compositions[0]!.id, { status: 'done', threshold: undefined });
    await store.compositions.delete(compositions[1]!.id);
    const jobRecord = await store.jobs.update((await store.jobs.create(job(ownerId))).id, { progress: 0.25 });
    const key = await store.apiKeys.revoke((await store.apiKeys.create(apiKey())).id);
    const shareRecord = await store.shares.create(share(compositions[2]!.id, ownerId));
    const data = allBytes();
    const file = await store.files.put(data, { filename: 'all.bin', contentType: 'application/octet-stream' });
    const deletedFile = await store.files.put(data, { filename: 'gone.bin', contentType: 'application/octet-stream' });
    await store.files.delete(deletedFile.id);
    await store.close();

    store = await createEmbeddedStore(dir);
    expect(await store.compositions.listByOwner(ownerId, { first: 10 })).toStrictEqual({ items: [compositions[2], updated], nextCursor: null, totalCount: 2 });
    expect(updated).not.toHaveProperty('threshold');
    expect(await store.compositions.get(compositions[1]!.id)).toBeNull();
    expect(await store.jobs.get(jobRecord!.id)).toStrictEqual(jobRecord);
    expect(await store.apiKeys.findBySecretHash(key!.secretHash)).toStrictEqual(key);
    expect(await store.shares.listByComposition(compositions[2]!.id)).toStrictEqual([shareRecord]);
    const got = await store.files.get(file.id);
    expect(got?.info).toStrictEqual(file);
    expect(sameBytes(got!.data, data)).toBe(true);
    expect(await store.files.get(deletedFile.id)).toBeNull();
    // New ids do not clash with old ones, and writes after a reopen persist too.
    const more = await store.compositions.create(composition(ownerId));
    await store.close();
    store = await createEmbeddedStore(dir);
    expect((await store.compositions.listByOwner(ownerId, { first: 10 })).items.map((record) => record.id)).toStrictEqual([more.id, compositions[2]!.id, compositions[0]!.id]);
    await store.close();
  });

  it('keeps all of 50 concurrent updates across a reopen', async () => {
    const dir = await newDir();
    let store = await createEmbeddedStore(dir);
    const ownerId = newOwner();
    const jobs = await Promise.all(Array.from({ length: 10 }, () => store.jobs.create(job(ownerId))));
    await Promise.all(
      jobs.flatMap((record, i) => [
        store.jobs.update(record.id, { progress: (i + 1) / 20 }),
        store.jobs.update(record.id, { status: 'running' }),
        store.jobs.update(record.id, { attempts: i + 2 }),
        store.jobs.update(record.id, { result: { index: i } }),
        store.jobs.update(record.id, { payload: { compositionId: `c${i}` } }),
      ]),
    );
    await store.close();
    store = await createEmbeddedStore(dir);
    const running = (await store.jobs.listByStatus(['running'])).filter((record) => record.ownerId === ownerId);
    expect(running.map((record) => record.id)).toStrictEqual(jobs.map((record) => record.id));
    for (const [i, record] of running.entries()) {
      expect(record).toMatchObject({ progress: (i + 1) / 20, attempts: i + 2, result: { index: i }, payload: { compositionId: `c${i}` } });
    }
    await store.close();
  });

  it('writes what is pending before close() returns', async () => {
    const dir = await newDir();
    let store = await createEmbeddedStore(dir);
    const ownerId = newOwner();
    // Not awaited: close() must still wait for them.
    const writes = Array.from({ length: 20 }, (_, i) => store.compositions.create(composition(ownerId, { seed: i })));
    await store.close();
    const created = await Promise.all(writes);
    store = await createEmbeddedStore(dir);
    expect((await store.compositions.listByOwner(ownerId, { first: 100 })).totalCount).toBe(20);
    expect(await store.compositions.get(created[19]!.id)).toStrictEqual(created[19]);
    await store.close();
  });

  it('compacts the log on open to one line per live record', async () => {
    const dir = await newDir();
    let store = await createEmbeddedStore(dir);
    const record = await store.jobs.create(job(newOwner()));
    for (let i = 1; i <= 10; i += 1) await store.jobs.update(record.id, { progress: i / 10 });
    const removed = await store.jobs.create(job(newOwner()));
    expect(await store.jobs.get(removed.id)).not.toBeNull();
    await store.close();
    const lines = async (): Promise<string[]> => (await readFile(join(dir, 'jobs.jsonl'), 'utf8')).split('\n').filter(Boolean);
    expect(await lines()).toHaveLength(12);
    store = await createEmbeddedStore(dir);
    expect(await lines()).toHaveLength(2);
    expect((await store.jobs.get(record.id))?.progress).toBe(1);
    await store.close();
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toStrictEqual([]);
  });

  it('compacts a long log while running, without losing writes made meanwhile', async () => {
    const dir = await newDir();
    let store = await createEmbeddedStore(dir);
    const record = await store.jobs.create(job(newOwner()));
    const other = await store.jobs.create(job(newOwner()));
    // 1500 updates: past the 1000-line minimum and 4 lines per live record, so the log is rewritten.
    await Promise.all(Array.from({ length: 1500 }, (_, i) => store.jobs.update(i % 2 === 0 ? record.id : other.id, { attempts: i })));
    // Compaction follows the batch that crossed the threshold; a later write queues behind it.
    await store.jobs.update(other.id, { progress: 1 });
    const lines = (await readFile(join(dir, 'jobs.jsonl'), 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(10);
    expect((await store.jobs.get(record.id))?.attempts).toBe(1498);
    await store.close();
    store = await createEmbeddedStore(dir);
    expect((await store.jobs.get(record.id))?.attempts).toBe(1498);
    expect(await store.jobs.get(other.id)).toMatchObject({ attempts: 1499, progress: 1 });
    await store.close();
  });

  it('drops a torn last line left by a crash, and refuses a log damaged in the middle', async () => {
    const dir = await newDir();
    let store = await createEmbeddedStore(dir);
    const ownerId = newOwner();
    const kept = await store.compositions.create(composition(ownerId));
    await store.close();
    const log = join(dir, 'compositions.jsonl');
    await appendFile(log, '{"put":{"id":"half-writ');
    store = await createEmbeddedStore(dir);
    expect((await store.compositions.listByOwner(ownerId, { first: 10 })).items).toStrictEqual([kept]);
    await store.close();

    const good = await readFile(log, 'utf8');
    await writeFile(log, `${good}garbage\n${good}`);
    await expect(createEmbeddedStore(dir)).rejects.toThrow(/compositions\.jsonl line 2/);
    await writeFile(log, good);
    store = await createEmbeddedStore(dir); // the failed open released the directory
    expect(await store.compositions.get(kept.id)).toStrictEqual(kept);
    await store.close();
  });

  it('lets one store at a time use a directory, and takes over the lock of a stopped process', async () => {
    const dir = await newDir();
    const store = await createEmbeddedStore(dir);
    await expect(createEmbeddedStore(dir)).rejects.toThrow(/already open/);
    await store.close();
    // A running process holds it (as a server does): busy, not broken.
    await writeFile(join(dir, '.lock'), String(process.ppid));
    await expect(createEmbeddedStore(dir)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/is in use by process \d+; stop it/) });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dir, '.lock'), String(deadPid));
    const reopened = await createEmbeddedStore(dir);
    expect(await reopened.ping()).toBe(true);
    await reopened.close();
  });

  it('refuses work after close', async () => {
    const store = await createEmbeddedStore(await newDir());
    await store.close();
    await store.close(); // twice is fine
    expect(await store.ping()).toBe(false);
    await expect(store.compositions.create(composition(newOwner()))).rejects.toThrow(/closed/);
    await expect(store.jobs.get('x')).rejects.toThrow(/closed/);
    await expect(store.files.put(allBytes(), { filename: 'x', contentType: 'x' })).rejects.toThrow(/closed/);
  });
});

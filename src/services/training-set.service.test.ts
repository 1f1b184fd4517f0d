import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import toneMidi from '@tonejs/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContinuoError } from '../errors.js';
import type { ApiKeyRecord } from '../store/records.js';
import { checkMapping, TrainingSetService } from './training-set.service.js';

const { Midi } = toneMidi;

const key = (id: string): ApiKeyRecord => ({ id, name: id, secretHash: '', prefix: '', quota: null, createdAt: '' });

function song(): Uint8Array {
  const midi = new Midi();
  for (const [k, name] of ['Melody', 'Bass'].entries()) {
    const t = midi.addTrack();
    t.name = name;
    for (let i = 0; i < 32; i++) t.addNote({ midi: 72 - 24 * k + (i % 5), ticks: i * 240, durationTicks: 240 });
  }
  return midi.toArray();
}

/** The error a promise rejects with (or a function throws). */
async function refusal(work: () => Promise<unknown>): Promise<ContinuoError> {
  try {
    await work();
  } catch (error) {
    return error as ContinuoError;
  }
  throw new Error('expected a refusal');
}

describe('TrainingSetService', () => {
  let root: string;
  const alice = key('alice-id');
  const bob = key('bob-id');
  const file = song();
  let sets: TrainingSetService;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuo-sets-'));
    sets = new TrainingSetService(root, { pitchLow: 28, pitchCount: 64 }, { files: 3, bytes: 3 * file.length + 10, fileBytes: 4096, fileNotes: 100, sets: 2 });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('keeps files per key and set, replacing a file of the same name', async () => {
    await sets.upload(alice, 'band', [{ name: 'a.mid', data: file }, { name: 'b.MID', data: file }]);
    const set = await sets.upload(alice, 'band', [{ name: 'B.mid', data: file }]);
    expect(set.files.map((f) => f.name)).toEqual(['B.mid', 'a.mid']);
    expect(set.bytes).toBe(2 * file.length);
    expect((await sets.list(alice)).map((s) => s.name)).toEqual(['band']);
    expect(await sets.list(bob)).toEqual([]);
    expect((await refusal(() => sets.get(bob, 'band'))).code).toBe('NOT_FOUND');
    expect(existsSync(join(root, 'alice-id', 'band', 'a.mid'))).toBe(true);
  });

  it('refuses what breaks a limit, before writing anything, saying which limit', async () => {
    const tooMany = await refusal(() => sets.upload(alice, 'band', [{ name: 'c.mid', data: file }, { name: 'd.mid', data: file }]));
    expect(tooMany).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/would hold 4 files; a set holds up to 3/) });
    expect((await sets.get(alice, 'band')).files).toHaveLength(2);
    const big = await refusal(() => sets.upload(alice, 'other', [{ name: 'big.mid', data: new Uint8Array(5000) }]));
    expect(big).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: "file 'big.mid' is 5 KiB; a file may have up to 4 KiB" });
    const notes = new Midi();
    for (let i = 0; i < 101; i++) notes.addTrack().addNote({ midi: 60, ticks: i, durationTicks: 10 });
    expect(await refusal(() => sets.upload(alice, 'other', [{ name: 'busy.mid', data: notes.toArray() }]))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/101 notes/) });
    await sets.upload(alice, 'second', [{ name: 'a.mid', data: file }]);
    expect(await refusal(() => sets.upload(alice, 'third', [{ name: 'a.mid', data: file }]))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/up to 2 training sets/) });
    expect(existsSync(join(root, 'alice-id', 'third'))).toBe(false);
  });

  it('refuses bad names, files that are not MIDI, and mappings that cannot work', async () => {
    const bad = [
      () => sets.upload(bob, 'Band!', [{ name: 'a.mid', data: file }]),
      () => sets.upload(bob, 'band', [{ name: '../a.mid', data: file }]),
      () => sets.upload(bob, 'band', [{ name: 'notes.txt', data: file }]),
      () => sets.upload(bob, 'band', [{ name: 'a.mid', data: new TextEncoder().encode('hello, not a MIDI file') }]),
      () => sets.upload(bob, 'band', [{ name: 'a.mid', data: file }, { name: 'a.mid', data: file }]),
      () => sets.upload(bob, 'band', []),
    ];
    for (const attempt of bad) expect((await refusal(attempt)).code).toBe('BAD_USER_INPUT');
    expect((await refusal(() => sets.upload(bob, 'band', [{ name: 'a.mid', data: new TextEncoder().encode('hello') }]))).message).toMatch(/'a.mid' is not a Standard MIDI File/);
    expect(await sets.list(bob)).toEqual([]);
    expect(() => checkMapping({ melody: 'Melody', accompaniment: [] })).toThrow(/1 to 8 accompaniment tracks/);
    expect(() => checkMapping({ melody: 'Melody', accompaniment: ['melody'] })).toThrow(/mapped twice/);
    expect(() => checkMapping({ melody: 'Melody', accompaniment: ['Bass, left'] })).toThrow(/comma/);
  });

  it('previews a mapping and deletes a set', async () => {
    const preview = await sets.preview(alice, 'band', { melody: 'melody', accompaniment: ['1'] });
    expect(preview.files.map((f) => [f.name, f.skipped, f.tracks.map((t) => t.role)])).toEqual([
      ['B.mid', undefined, ['melody', 'accompaniment']],
      ['a.mid', undefined, ['melody', 'accompaniment']],
    ]);
    // 4 bars: training windows of 2 bars start every half bar (5), held-out ones follow each other (2).
    for (const f of preview.files) expect(f.windows).toBe(f.split === 'train' ? 5 : 2);
    expect(preview.windows.train + preview.windows.valid + preview.windows.test).toBe(preview.files.reduce((n, f) => n + f.windows, 0));
    const none = await sets.preview(alice, 'band', { melody: 'melody', accompaniment: ['drums'] });
    expect(none.files.map((f) => f.skipped)).toEqual(["without a track 'drums'", "without a track 'drums'"]);
    expect(none.warnings[0]).toMatch(/^no training window/);
    expect(await sets.delete(alice, 'band')).toBe(true);
    expect(await sets.delete(alice, 'band')).toBe(false);
  });
});

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

  it('reads large files in a thread: uploading and previewing them leaves the event loop free', async () => {
    // Files at the limit (20,000 notes) take the MIDI library about 90 ms each to parse on a quiet core.
    const large = new Midi();
    for (const name of ['Melody', 'Piano', 'Bass']) {
      const t = large.addTrack();
      t.name = name;
      for (let i = 0; i < 6_600; i++) t.addNote({ midi: 48 + (i % 24), ticks: i * 60, durationTicks: 60 });
    }
    const data = large.toArray();
    const roomy = new TrainingSetService(root, { pitchLow: 28, pitchCount: 64 }, { files: 8, bytes: 8 * data.length, fileBytes: data.length, fileNotes: 20_000, sets: 2 });
    const gaps: number[] = [];
    let last = performance.now();
    const tick = setInterval(() => {
      gaps.push(performance.now() - last);
      last = performance.now();
    }, 5);
    try {
      await roomy.upload(bob, 'large', Array.from({ length: 6 }, (_, i) => ({ name: `song-${i}.mid`, data })));
      const preview = await roomy.preview(bob, 'large', { melody: 'Melody', accompaniment: ['Piano', 'Bass'] });
      expect(preview.files.filter((f) => !f.skipped)).toHaveLength(6);
    } finally {
      clearInterval(tick);
    }
    // Twelve parses of ~90 ms: on the event loop some gap would be at least one of them.
    expect(Math.max(...gaps)).toBeLessThan(80);
    const broken = await refusal(() => roomy.upload(bob, 'large', [{ name: 'ok.mid', data }, { name: 'cut.mid', data: data.subarray(0, 4_000) }]));
    expect(broken.code).toBe('BAD_USER_INPUT');
    expect(broken.message).toMatch(/^file 'cut.mid': /);
    expect((await roomy.get(bob, 'large')).files).toHaveLength(6);
  });
});

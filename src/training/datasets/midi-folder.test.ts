import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import toneMidi from '@tonejs/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTrack, scanMidiFolder } from './midi-folder.js';

const { Midi } = toneMidi;

/** A file with the named tracks (an empty name for an unnamed one), 16 quarter notes in each but those listed as silent. */
function song(names: string[], o: { meter?: [number, number]; silent?: string[] } = {}): Uint8Array {
  const midi = new Midi();
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: o.meter ?? [4, 4] });
  names.forEach((name, k) => {
    const t = midi.addTrack();
    t.name = name;
    t.instrument.number = 10 + k;
    if (o.silent?.includes(name)) return;
    for (let i = 0; i < 16; i++) t.addNote({ midi: 72 - k * 12 + (i % 5), ticks: i * 480, durationTicks: 480 });
  });
  return midi.toArray();
}

describe('scanMidiFolder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-midi-folder-'));
    await writeFile(join(dir, 'a.mid'), song(['Lead', 'Bass', 'Keys']));
    await writeFile(join(dir, 'b.mid'), song(['lead ', 'BASS', 'keys']));
    await writeFile(join(dir, 'no-keys.mid'), song(['Lead', 'Bass']));
    await writeFile(join(dir, 'quiet.mid'), song(['Lead', 'Bass', 'Keys'], { silent: ['Keys'] }));
    await writeFile(join(dir, 'waltz.mid'), song(['Lead', 'Bass', 'Keys'], { meter: [3, 4] }));
    await writeFile(join(dir, 'broken.mid'), 'MThd not a file');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds tracks by name without case or spaces, or by index from 0', () => {
    const tracks = [{ name: 'Lead' }, { name: ' Bass ' }, { name: '' }];
    expect(findTrack(tracks, 'lead')).toBe(tracks[0]);
    expect(findTrack(tracks, 'BASS')).toBe(tracks[1]);
    expect(findTrack(tracks, '2')).toBe(tracks[2]);
    expect(findTrack(tracks, '3')).toBeUndefined();
    expect(findTrack(tracks, 'Keys')).toBeUndefined();
  });

  it('says what it found in each file and why a file was left out', async () => {
    const scan = await scanMidiFolder({ dir, melody: 'Lead', accompaniment: ['bass', 'keys'], label: "training set 'mine'" });
    const pieces = [...scan.data.train, ...scan.data.valid, ...scan.data.test];
    expect(pieces.map((p) => p.id).sort()).toEqual(['a.mid', 'b.mid']);
    expect(Object.fromEntries(scan.skips.map((s) => [s.id, s.reason]))).toEqual({
      'broken.mid': 'unreadable',
      'no-keys.mid': "without a track 'keys'",
      'quiet.mid': "with no notes in a track 'keys'",
      'waltz.mid': 'in 3/4 (the windows take 4/4, 2/4 and 2/2)',
    });
    expect(scan.data.name).toBe("training set 'mine' (2 files, 4 skipped)");
    expect(scan.files).toHaveLength(6);
    expect(scan.scans.get('a.mid')?.tracks.map((t) => [t.index, t.name, t.program, t.notes])).toEqual([[0, 'Lead', 10, 16], [1, 'Bass', 11, 16], [2, 'Keys', 12, 16]]);
    expect(scan.scans.has('broken.mid')).toBe(false);
    expect(scan.data.tracks.map((t) => [t.name, t.program, t.role])).toEqual([['Lead', 10, 'melody'], ['bass', 11, 'accompaniment'], ['keys', 12, 'accompaniment']]);
  });

  it('maps tracks by index, naming them after the file, and refuses one track in two roles', async () => {
    const scan = await scanMidiFolder({ dir, melody: '0', accompaniment: ['2'] });
    expect(scan.data.tracks.map((t) => t.name)).toEqual(['Lead', 'Keys']);
    expect(scan.skips.find((s) => s.id === 'no-keys.mid')?.reason).toBe('without track 2');
    const twice = await scanMidiFolder({ dir, melody: 'lead', accompaniment: ['0'] });
    expect(twice.skips.filter((s) => s.reason === 'with one track in two roles').map((s) => s.id).sort()).toEqual(['a.mid', 'b.mid', 'no-keys.mid', 'quiet.mid', 'waltz.mid']);
  });
});

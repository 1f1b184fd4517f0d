import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import toneMidi from '@tonejs/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowNotes, windowsOf } from '../src/training/dataset.js';
import { loadTrainingData } from '../src/training/datasets/index.js';
import { loadJsbChorales } from '../src/training/datasets/jsb-chorales.js';

const { Midi } = toneMidi;

function song(meter: [number, number], trackNames: string[]): Uint8Array {
  const midi = new Midi();
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: meter });
  trackNames.forEach((name, k) => {
    const t = midi.addTrack();
    t.name = name;
    t.instrument.number = k * 8;
    for (let i = 0; i < 16; i++) t.addNote({ midi: 72 - k * 12 + (i % 5), ticks: i * 480, durationTicks: 480 });
    if (k === 0) t.addNote({ midi: 60, ticks: 0, durationTicks: 480 }); // a chord in the melody: reduced to its top
  });
  return midi.toArray();
}

describe('data sets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-data-'));
    await mkdir(join(dir, 'songs', 'nested'), { recursive: true });
    for (let i = 0; i < 20; i++) await writeFile(join(dir, 'songs', `${i}.mid`), song([4, 4], ['MELODY', 'BRIDGE', 'PIANO']));
    await writeFile(join(dir, 'songs', 'nested', 'deep.midi'), song([4, 4], ['Melody', 'Bridge', 'Piano']));
    await writeFile(join(dir, 'songs', 'waltz.mid'), song([3, 4], ['MELODY', 'BRIDGE', 'PIANO']));
    await writeFile(join(dir, 'songs', 'no-piano.mid'), song([4, 4], ['MELODY', 'BRIDGE']));
    await writeFile(join(dir, 'songs', 'broken.mid'), 'MThd garbage');
    await writeFile(
      join(dir, 'jsb.json'),
      JSON.stringify({ train: [[[72, 67, 64, 48], [72, 67, 64, 48], [74, 67, 62, 47], [-1, 67, 62, 47]]], valid: [], test: [] }),
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads a MIDI folder by track names, skipping files that do not fit, with a stable split', async () => {
    const spec = `midi:${join(dir, 'songs')}?melody=melody&tracks=bridge,piano`;
    const data = await loadTrainingData(spec);
    const all = [...data.train, ...data.valid, ...data.test];
    expect(all).toHaveLength(21);
    expect(data.name).toMatch(/21 files, 3 skipped/);
    expect(all.map((p) => p.id)).toContain(join('nested', 'deep.midi'));
    expect(data.tracks.map((t) => [t.name, t.program, t.role])).toEqual([
      ['melody', 0, 'melody'], ['bridge', 8, 'accompaniment'], ['piano', 16, 'accompaniment'],
    ]);
    expect(all[0].tracks[0].filter((n) => n.start === 0)).toHaveLength(1); // melody reduced to one line
    const again = await loadTrainingData(spec);
    expect(again.test.map((p) => p.id)).toEqual(data.test.map((p) => p.id));
    await expect(loadTrainingData(`midi:${dir}?melody=melody`)).rejects.toThrow(/names its tracks/);
    await expect(loadTrainingData('csv:whatever')).rejects.toThrow(/data set 'csv:whatever' is not known/);
  });

  it('reads JSB chorales, joining repeated steps into held notes', async () => {
    const [chorale] = await loadJsbChorales(join(dir, 'jsb.json'), 'train');
    expect(chorale.steps).toBe(4);
    expect(chorale.tracks[0]).toEqual([
      { pitch: 72, start: 0, duration: 2, velocity: 90 },
      { pitch: 74, start: 2, duration: 1, velocity: 90 },
    ]);
    expect(chorale.tracks[1]).toEqual([{ pitch: 67, start: 0, duration: 4, velocity: 90 }]);
    await expect(loadJsbChorales(join(dir, 'jsb.json'), 'nope' as 'test')).rejects.toThrow(/no 'nope' split/);
  });

  it('cuts windows that fit the pitch rows and have a melody, and transposes them', () => {
    const piece = {
      id: 'p',
      steps: 64,
      tracks: [
        [{ pitch: 72, start: 0, duration: 32, velocity: 90 }],
        [{ pitch: 48, start: 0, duration: 64, velocity: 90 }],
      ],
    };
    const refs = windowsOf([piece], { steps: 32, hop: 16, maxMelodyRest: 0.5, pitchLow: 40, pitchCount: 48 });
    expect(refs.map((r) => r.start)).toEqual([0, 16]); // the window at 32 has no melody
    expect(windowsOf([piece], { steps: 32, hop: 16, maxMelodyRest: 0.5, pitchLow: 50, pitchCount: 48 })).toHaveLength(0);
    const [melody, bass] = windowNotes(piece, 16, 32, 2);
    expect(melody).toEqual([{ pitch: 74, start: 0, duration: 16, velocity: 90 }]);
    expect(bass).toEqual([{ pitch: 50, start: 0, duration: 32, velocity: 90 }]);
  });
});

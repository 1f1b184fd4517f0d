import { describe, expect, it } from 'vitest';
import type { ModelCard } from './model-card.js';
import { mergeShortNotes, snapToGrid, WindowCodec, type CodecCard } from './window-codec.js';

const card = (o: Partial<CodecCard> = {}): CodecCard => ({
  network: { steps: 16, pitches: 16, tracks: 2, filters: 1, noiseChannels: 1, conditionChannels: 2 },
  pitchLow: 60,
  tracks: [
    { name: 'Lead', program: 0, isDrum: false, role: 'melody', monophonic: true },
    { name: 'Bass', program: 32, isDrum: false, role: 'accompaniment', monophonic: true, threshold: 0, sustain: -0.5 },
  ] as ModelCard['tracks'],
  threshold: 0,
  conditioning: { chords: true, key: 'normalised' },
  ...o,
});

/** Generator-shaped output (1 × steps × pitches × tracks) filled with −1, with some cells set. */
function output(codec: WindowCodec, cells: [step: number, pitch: number, track: number, value: number][]): Float32Array {
  const values = new Float32Array(codec.steps * codec.pitches * codec.trackCount).fill(-1);
  for (const [s, p, t, v] of cells) values[(s * codec.pitches + (p - codec.pitchLow)) * codec.trackCount + t] = v;
  return values;
}

describe('the window codec', () => {
  it('writes the melody into channel 0 and the chord tones on every octave into channel 1', () => {
    const codec = new WindowCodec(card());
    const out = codec.conditionBuffer(1);
    codec.writeCondition({ melody: [{ pitch: 64, start: 0, duration: 2, velocity: 90 }], chords: [{ start: 4, duration: 4, chord: { root: 7, quality: 'maj' } }] }, 0, out);
    const at = (s: number, pitch: number, c: number) => out[(s * 16 + pitch - 60) * 2 + c];
    expect([at(0, 64, 0), at(1, 64, 0), at(2, 64, 0)]).toEqual([1, 1, -1]);
    // G major: G, B, D (62, 67, 71, 74 lie in 60…75); nothing outside steps 4–7.
    expect([62, 67, 71, 74].map((p) => at(4, p, 1))).toEqual([1, 1, 1, 1]);
    expect([60, 64, 65].map((p) => at(5, p, 1))).toEqual([-1, -1, -1]);
    expect(at(3, 67, 1)).toBe(-1);
    expect(at(8, 67, 1)).toBe(-1);
  });

  it('keeps a sounding note through a dip above its sustain level (no flicker)', () => {
    const codec = new WindowCodec(card());
    const values = output(codec, [[0, 60, 1, 0.9], [1, 60, 1, -0.3], [2, 60, 1, 0.8], [3, 60, 1, -0.9]]);
    const [[, bass]] = codec.decode(values, 1);
    expect(bass).toEqual([{ pitch: 60, start: 0, duration: 3, velocity: 100 }]);
  });

  it('lets another pitch take over only when it is clearly stronger', () => {
    const codec = new WindowCodec(card());
    const values = output(codec, [[0, 60, 1, 0.5], [1, 60, 1, 0.5], [1, 62, 1, 0.55], [2, 62, 1, 0.9], [2, 60, 1, 0.2]]);
    const [[, bass]] = codec.decode(values, 1);
    expect(bass.map((n) => [n.pitch, n.start, n.duration])).toEqual([[60, 0, 2], [62, 2, 1]]);
  });

  it('decodes models trained before hysteresis as the strongest pitch at every step', () => {
    const codec = new WindowCodec(card({ conditioning: undefined, tracks: card().tracks.map((t) => ({ ...t, sustain: undefined })) }));
    const values = output(codec, [[0, 60, 1, 0.5], [1, 62, 1, 0.55], [1, 60, 1, 0.5]]);
    expect(codec.decode(values, 1)[0][1].map((n) => n.pitch)).toEqual([60, 62]);
  });

  it('snaps a chord whose notes start a step apart onto one onset', () => {
    const notes = [{ pitch: 60, start: 16, duration: 16, velocity: 100 }, { pitch: 64, start: 17, duration: 15, velocity: 100 }, { pitch: 67, start: 18, duration: 13, velocity: 100 }];
    expect(snapToGrid(notes, 8, false, 64).map((n) => [n.pitch, n.start, n.duration])).toEqual([[60, 16, 16], [64, 16, 16], [67, 16, 16]]);
  });

  it('merges blips shorter than a part\'s shortest note into the note before', () => {
    const notes = [{ pitch: 48, start: 0, duration: 4, velocity: 100 }, { pitch: 50, start: 4, duration: 1, velocity: 100 }, { pitch: 52, start: 5, duration: 3, velocity: 100 }];
    expect(mergeShortNotes(notes, 2, true).map((n) => [n.pitch, n.start, n.duration])).toEqual([[48, 0, 5], [52, 5, 3]]);
  });

  it('keeps a run of 16ths and merges a lone 16th between longer notes, when lone ones are to go', () => {
    const note = (pitch: number, start: number, duration: number) => ({ pitch, start, duration, velocity: 100 });
    const notes = [note(48, 0, 4), note(50, 4, 1), note(52, 5, 3), note(53, 8, 1), note(55, 9, 1), note(57, 10, 1), note(59, 11, 5)];
    expect(mergeShortNotes(notes, 2, true, { keepRuns: true }).map((n) => [n.pitch, n.start, n.duration])).toEqual([
      [48, 0, 5],
      [52, 5, 3],
      [53, 8, 1],
      [55, 9, 1],
      [57, 10, 1],
      [59, 11, 5],
    ]);
  });
});

import { readFileSync } from 'node:fs';
import toneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import type { Arrangement } from './arrangement.js';
import type { Note } from './melody.js';
import { arrangementToMidi, melodyFromMidi, swungTicks, tracksFromMidi } from './midi.js';

const { Midi } = toneMidi;
const n = (pitch: number, start: number, duration: number, velocity = 100): Note => ({ pitch, start, duration, velocity });
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));

function midiWith(build: (m: InstanceType<typeof Midi>) => void): Uint8Array {
  const m = new Midi();
  build(m);
  return m.toArray();
}

const arrangement: Arrangement = {
  tracks: [
    { name: 'Lead', program: 73, isDrum: false, role: 'melody', notes: [n(72, 0, 4), n(74, 4, 4), n(76, 8, 8)] },
    { name: 'Bass', program: 33, isDrum: false, role: 'accompaniment', notes: [n(48, 0, 16)] },
    { name: 'Drums', program: 0, isDrum: true, role: 'accompaniment', notes: [n(36, 0, 1), n(38, 4, 1)] },
  ],
  tempo: 120,
  timeSignature: { numerator: 4, denominator: 4 },
  steps: 16,
};

describe('arrangement → MIDI', () => {
  it('writes one named track per instrument with programs, tempo and drums on channel 10', () => {
    const midi = new Midi(arrangementToMidi(arrangement));
    expect(midi.header.tempos[0].bpm).toBeCloseTo(120);
    expect(midi.header.timeSignatures[0].timeSignature).toEqual([4, 4]);
    expect(midi.tracks.map((t) => [t.name, t.instrument.number, t.channel])).toEqual([['Lead', 73, 0], ['Bass', 33, 1], ['Drums', 0, 9]]);
    expect(midi.tracks[2].instrument.percussion).toBe(true);
  });

  it('round-trips notes on the step grid', () => {
    const { tracks } = tracksFromMidi(arrangementToMidi(arrangement));
    expect(tracks.map((t) => t.notes.map(({ pitch, start, duration }) => [pitch, start, duration]))).toEqual(
      arrangement.tracks.map((t) => t.notes.map(({ pitch, start, duration }) => [pitch, start, duration])),
    );
  });

  it('keeps the lead louder than the accompaniment and accents downbeats', () => {
    const { tracks } = tracksFromMidi(arrangementToMidi(arrangement));
    expect(tracks[0].notes[0].velocity).toBe(100);
    expect(tracks[1].notes[0].velocity).toBeLessThan(100);
    expect(tracks[2].notes[0].velocity).toBeGreaterThan(tracks[2].notes[1].velocity);
  });

  it('swings off-beat 8ths when the arrangement asks for it, and plays straight otherwise', () => {
    expect([0, 1, 2, 3, 4].map((s) => swungTicks(s))).toEqual([0, 120, 240, 360, 480]);
    expect([0, 1, 2, 3, 4, 6].map((s) => swungTicks(s, 2 / 3))).toEqual([0, 160, 320, 400, 480, 800]);
    const eighths: Arrangement = { ...arrangement, swing: 2 / 3, tracks: [{ ...arrangement.tracks[0], notes: [n(72, 0, 2), n(74, 2, 2), n(76, 4, 2)] }] };
    const [lead] = new Midi(arrangementToMidi(eighths)).tracks;
    expect(lead.notes.map((x) => [x.ticks, x.durationTicks])).toEqual([[0, 320], [320, 160], [480, 320]]);
  });
});

describe('melody from MIDI', () => {
  it('reads a real file: skyline of the piano track, 100 bpm, 8 bars', () => {
    const melody = melodyFromMidi(fixture('twinkle_twinkle.midi'));
    expect(melody.tempo).toBe(100);
    expect(melody.timeSignature).toEqual({ numerator: 4, denominator: 4 });
    // Twinkle twinkle: C C G G A A G —, the left-hand C3/E3 chords are dropped.
    expect(melody.notes.slice(0, 7).map((x) => x.pitch)).toEqual([60, 60, 67, 67, 69, 69, 67]);
    expect(melody.notes.slice(0, 2).map((x) => [x.start, x.duration])).toEqual([[0, 4], [4, 4]]);
    expect(Math.max(...melody.notes.map((x) => x.start + x.duration))).toBeLessThanOrEqual(8 * 16);
  });

  it('prefers a track named like a melody and accepts an explicit track', () => {
    const bytes = midiWith((m) => {
      const piano = m.addTrack();
      piano.name = 'Piano';
      piano.addNote({ midi: 48, ticks: 0, durationTicks: 480 });
      const lead = m.addTrack();
      lead.name = 'Melody';
      lead.addNote({ midi: 72, ticks: 0, durationTicks: 480 });
    });
    expect(melodyFromMidi(bytes).notes[0].pitch).toBe(72);
    expect(melodyFromMidi(bytes, { track: 'piano' }).notes[0].pitch).toBe(48);
    expect(melodyFromMidi(bytes, { track: 0 }).notes[0].pitch).toBe(48);
    expect(() => melodyFromMidi(bytes, { track: 'violin' })).toThrow(/no track "violin"; its tracks are 0 "Piano"/);
  });

  it('drops whole bars of leading silence but keeps a pickup in its bar', () => {
    const bytes = midiWith((m) => {
      const t = m.addTrack();
      // two empty bars, then a pickup on beat 4 of bar 3
      t.addNote({ midi: 67, ticks: 2 * 1920 + 1440, durationTicks: 480 });
      t.addNote({ midi: 72, ticks: 3 * 1920, durationTicks: 960 });
    });
    expect(melodyFromMidi(bytes).notes.map((x) => [x.pitch, x.start])).toEqual([[67, 12], [72, 16]]);
  });

  it('quantises off-grid notes to 16ths', () => {
    const bytes = midiWith((m) => m.addTrack().addNote({ midi: 60, ticks: 130, durationTicks: 700 }));
    expect(melodyFromMidi(bytes).notes[0]).toMatchObject({ start: 1, duration: 6 });
  });

  it('refuses broken files, drum-only files, meter changes and long melodies with a clear message', () => {
    expect(() => melodyFromMidi(new TextEncoder().encode('hello world, not midi'))).toThrow(/not a Standard MIDI File/);
    const truncated = fixture('ode_to_joy.midi').subarray(0, 60);
    expect(() => melodyFromMidi(truncated)).toThrow(InvalidInputError);
    const drums = midiWith((m) => {
      const t = m.addTrack();
      t.channel = 9;
      t.addNote({ midi: 36, ticks: 0, durationTicks: 120 });
    });
    expect(() => melodyFromMidi(drums)).toThrow(/no notes outside the drum channel/);
    const meter = midiWith((m) => {
      m.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] }, { ticks: 1920 * 2, timeSignature: [3, 4] });
      m.header.update();
      m.addTrack().addNote({ midi: 60, ticks: 0, durationTicks: 480 });
    });
    expect(() => melodyFromMidi(meter)).toThrow(/changes from 4\/4 to 3\/4 at bar 3/);
    const long = midiWith((m) => {
      const t = m.addTrack();
      for (let bar = 0; bar < 40; bar++) t.addNote({ midi: 60, ticks: bar * 1920, durationTicks: 480 });
    });
    expect(() => melodyFromMidi(long)).toThrow(/40 bars long; Continuo takes up to 32 bars/);
  });
});

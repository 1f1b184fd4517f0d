import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { songSmf } from '../../test/helpers/midi-bytes.js';
import { MAX_MIDI_BYTES, MAX_TEXT_CHARS, melodyFromInput, readsSlowly } from './melody-input.js';
import { THREAD_MIDI_LIMITS } from './midi-scan.js';

describe('melody from a request', () => {
  it('takes exactly one source', () => {
    expect(() => melodyFromInput({})).toThrow(/no melody given; send one of/);
    expect(() => melodyFromInput({ notation: 'C4', sampleId: 'ode-to-joy' })).toThrow(/give one melody source, not notation and sampleId/);
  });

  it('reads each kind of source', () => {
    expect(melodyFromInput({ notation: 'C4 E4 G4' }).notes).toHaveLength(3);
    expect(melodyFromInput({ abc: 'X:1\nM:4/4\nL:1/4\nK:G\nGABc|' }).notes[0].pitch).toBe(67);
    expect(melodyFromInput({ sampleId: 'twinkle-twinkle' }).notes[0].pitch).toBe(60);
    const midi = readFileSync(new URL('../../test/fixtures/ode_to_joy.midi', import.meta.url));
    expect(melodyFromInput({ midi }).notes.length).toBeGreaterThan(20);
  });

  it('refuses files and texts over the limits, and melodies over 32 bars', () => {
    expect(() => melodyFromInput({ midi: new Uint8Array(MAX_MIDI_BYTES + 1) })).toThrow(/the limit is 1024 KiB/);
    expect(() => melodyFromInput({ notation: 'C4 '.repeat(MAX_TEXT_CHARS) })).toThrow(/the limit is 20000/);
    const long = `X:1\nM:4/4\nL:1/4\nK:C\n${'CDEF|'.repeat(40)}`;
    expect(() => melodyFromInput({ abc: long })).toThrow(/40 bars long; Continuo takes up to 32 bars/);
  });

  it('holds a MIDI file read on the event loop to the size of a melody, and one read in a thread to that of a whole song', () => {
    const song = songSmf(4, 1500);
    expect(() => melodyFromInput({ midi: song, bars: { first: 1, last: 8 } })).toThrow(/more than 4,000 notes/);
    const melody = melodyFromInput({ midi: song, bars: { first: 1, last: 8 } }, THREAD_MIDI_LIMITS);
    expect(melody.notes).toHaveLength(32);
    expect(() => melodyFromInput({ midi: songSmf(1, 16_001) }, THREAD_MIDI_LIMITS)).toThrow(/a track of the MIDI file holds more than 16,000 notes/);
  });

  it('says which inputs are slow to read: MIDI files and long texts, not samples or short texts', () => {
    expect(readsSlowly({ midi: new Uint8Array(20) })).toBe(true);
    expect(readsSlowly({ abc: 'X:1\nK:C\n' + 'CDEF|'.repeat(500) })).toBe(true);
    expect(readsSlowly({ notation: 'C4 D4 E4' })).toBe(false);
    expect(readsSlowly({ sampleId: 'ode-to-joy' })).toBe(false);
  });
});

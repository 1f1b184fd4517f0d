import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_MIDI_BYTES, MAX_TEXT_CHARS, melodyFromInput } from './melody-input.js';

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
});

import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors.js';
import { barCount, endStep, stepsPerBar } from './melody.js';
import { parseNotation } from './notation.js';
import { pitchName } from './pitch.js';
import { SAMPLE_MELODIES, sampleIds, sampleMelody } from './samples.js';

const EXPECTED_IDS = [
  'twinkle-twinkle',
  'ode-to-joy',
  'new-world',
  'jingle-bells',
  'deck-the-halls',
  'frere-jacques',
  'when-the-saints',
];

/** Pitch names with durations in steps, bar by bar, to compare with the tunes as sung. */
function bars(id: string): string[] {
  const melody = sampleMelody(id);
  const bar = stepsPerBar(melody.timeSignature);
  const out: string[][] = [];
  for (const n of melody.notes) (out[Math.floor(n.start / bar)] ??= []).push(`${pitchName(n.pitch)}:${n.duration}`);
  return out.map((b) => b.join(' '));
}

describe('SAMPLE_MELODIES', () => {
  it('holds the seven samples, with unique ids, titles and descriptions', () => {
    expect(sampleIds()).toEqual(EXPECTED_IDS);
    expect(new Set(sampleIds()).size).toBe(SAMPLE_MELODIES.length);
    for (const s of SAMPLE_MELODIES) {
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThan(0);
    }
  });

  it('parses every sample as 8 full bars of 4/4 (the parser checks each bar)', () => {
    for (const s of SAMPLE_MELODIES) {
      const melody = parseNotation(s.notation);
      expect(melody.timeSignature, s.id).toEqual({ numerator: 4, denominator: 4 });
      expect(barCount(melody), s.id).toBe(8);
      expect(endStep(melody.notes), s.id).toBe(8 * 16);
      // In C major, as written: no sharps or flats.
      expect(melody.key, s.id).toEqual({ tonic: 0, mode: 'major' });
      expect(melody.notes.every((n) => !pitchName(n.pitch).includes('#')), s.id).toBe(true);
    }
  });

  it('plays at 100 bpm except the Largo (60) and Jingle Bells (120)', () => {
    const tempos = Object.fromEntries(sampleIds().map((id) => [id, sampleMelody(id).tempo]));
    expect(tempos).toEqual({
      'twinkle-twinkle': 100,
      'ode-to-joy': 100,
      'new-world': 60,
      'jingle-bells': 120,
      'deck-the-halls': 100,
      'frere-jacques': 100,
      'when-the-saints': 100,
    });
  });
});

describe('sampleMelody', () => {
  it('returns the titled melody', () => {
    const melody = sampleMelody('ode-to-joy');
    expect(melody.title).toBe('Ode to Joy');
    expect(melody.notes[0]).toEqual({ pitch: 64, start: 0, duration: 4, velocity: 100 });
  });

  it('gives Twinkle Twinkle note for note', () => {
    expect(bars('twinkle-twinkle')).toEqual([
      'C4:4 C4:4 G4:4 G4:4', 'A4:4 A4:4 G4:8', 'F4:4 F4:4 E4:4 E4:4', 'D4:4 D4:4 C4:8',
      'G4:4 G4:4 F4:4 F4:4', 'E4:4 E4:4 D4:8', 'G4:4 G4:4 F4:4 F4:4', 'E4:4 E4:4 D4:8',
    ]);
  });

  it('gives Ode to Joy with its dotted quarters', () => {
    expect(bars('ode-to-joy')).toEqual([
      'E4:4 E4:4 F4:4 G4:4', 'G4:4 F4:4 E4:4 D4:4', 'C4:4 C4:4 D4:4 E4:4', 'E4:6 D4:2 D4:8',
      'E4:4 E4:4 F4:4 G4:4', 'G4:4 F4:4 E4:4 D4:4', 'C4:4 C4:4 D4:4 E4:4', 'D4:6 C4:2 C4:8',
    ]);
  });

  it('gives the New World Largo', () => {
    expect(bars('new-world')).toEqual([
      'E4:6 G4:2 G4:8', 'E4:6 D4:2 C4:8', 'D4:4 E4:4 G4:4 E4:4', 'D4:16',
      'E4:6 G4:2 G4:8', 'E4:6 D4:2 C4:8', 'D4:4 E4:4 D4:4 C4:4', 'C4:16',
    ]);
  });

  it('gives Jingle Bells', () => {
    expect(bars('jingle-bells')).toEqual([
      'E4:4 E4:4 E4:8', 'E4:4 E4:4 E4:8', 'E4:4 G4:4 C4:6 D4:2', 'E4:16',
      'F4:4 F4:4 F4:6 F4:2', 'F4:4 E4:4 E4:4 E4:2 E4:2', 'E4:4 D4:4 D4:4 E4:4', 'D4:8 G4:8',
    ]);
  });

  it('gives Deck the Halls, its four bars twice', () => {
    const first = ['G4:6 F4:2 E4:4 D4:4', 'C4:4 D4:4 E4:4 C4:4', 'D4:2 E4:2 F4:2 D4:2 E4:6 D4:2', 'C4:4 B3:4 C4:8'];
    expect(bars('deck-the-halls')).toEqual([...first, ...first]);
  });

  it('gives Frère Jacques', () => {
    expect(bars('frere-jacques')).toEqual([
      'C4:4 D4:4 E4:4 C4:4', 'C4:4 D4:4 E4:4 C4:4', 'E4:4 F4:4 G4:8', 'E4:4 F4:4 G4:8',
      'G4:2 A4:2 G4:2 F4:2 E4:4 C4:4', 'G4:2 A4:2 G4:2 F4:2 E4:4 C4:4', 'C4:4 G3:4 C4:8', 'C4:4 G3:4 C4:8',
    ]);
  });

  it('gives When the Saints, each phrase after a beat of rest', () => {
    const melody = sampleMelody('when-the-saints');
    expect(melody.notes[0]).toMatchObject({ pitch: 60, start: 4 });
    expect(bars('when-the-saints')).toEqual([
      'C4:4 E4:4 F4:4', 'G4:16', 'C4:4 E4:4 F4:4', 'G4:16',
      'C4:4 E4:4 F4:4', 'G4:8 E4:8', 'C4:8 E4:8', 'D4:16',
    ]);
  });

  it('throws NotFoundError listing the ids for an unknown id', () => {
    expect(() => sampleMelody('yesterday')).toThrow(NotFoundError);
    try {
      sampleMelody('yesterday');
    } catch (e) {
      expect(e).toBeInstanceOf(NotFoundError);
      const error = e as NotFoundError;
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toBe(`sample melody 'yesterday' does not exist; use one of: ${EXPECTED_IDS.join(', ')}`);
      expect(error.details).toEqual({ what: 'sample melody', id: 'yesterday' });
    }
  });

  it('suggests the closest ids for a mistyped one', () => {
    expect(() => sampleMelody('odetojoy')).toThrow(`sample melody 'odetojoy' does not exist; did you mean 'ode-to-joy'? The samples are: ${EXPECTED_IDS.join(', ')}`);
    expect(() => sampleMelody('twinkle')).toThrow(/did you mean 'twinkle-twinkle'\?/);
    expect(() => sampleMelody('jingle-bels')).toThrow(/did you mean 'jingle-bells'\?/);
  });

  it('returns a fresh melody each time', () => {
    expect(sampleMelody('frere-jacques')).not.toBe(sampleMelody('frere-jacques'));
    expect(sampleMelody('frere-jacques')).toEqual(sampleMelody('frere-jacques'));
  });
});

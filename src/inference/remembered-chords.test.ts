import { describe, expect, it } from 'vitest';
import type { ChordSpan } from '../music/chord.js';
import type { Note } from '../music/melody.js';
import { rememberingChords } from './remembered-chords.js';

const note = (pitch: number, start: number, duration = 4, velocity = 90): Note => ({ pitch, start, duration, velocity });

describe('rememberingChords', () => {
  const counting = () => {
    const calls: number[] = [];
    const proposer = {
      harmonise: (melody: readonly Note[], steps: number): ChordSpan[] => {
        calls.push(melody.length);
        return [{ start: 0, duration: steps, chord: { root: melody[0].pitch % 12, quality: 'maj' } }];
      },
    };
    return { calls, proposer };
  };

  it('answers a melody asked again with the chords proposed for it, without proposing again', () => {
    const { calls, proposer } = counting();
    const remembering = rememberingChords(proposer);
    const melody = [note(60, 0), note(64, 4)];
    const first = remembering.harmonise(melody, 16, 16);
    // Velocity is not read by a harmoniser: the same melody.
    const again = remembering.harmonise(melody.map((n) => ({ ...n, velocity: 30 })), 16, 16);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(calls).toEqual([2]);
  });

  it('proposes again for another melody, length, bar or known key', () => {
    const { calls, proposer } = counting();
    const remembering = rememberingChords(proposer);
    remembering.harmonise([note(60, 0)], 16, 16);
    expect(remembering.harmonise([note(62, 0)], 16, 16)[0].chord.root).toBe(2);
    remembering.harmonise([note(60, 0, 2)], 16, 16);
    remembering.harmonise([note(60, 0)], 32, 16);
    remembering.harmonise([note(60, 0)], 16, 12);
    // A known key decodes differently (no key search): its own answer.
    remembering.harmonise([note(60, 0)], 16, 16, true);
    expect(calls).toHaveLength(6);
  });

  it('keeps the most recently used melodies only', () => {
    const { calls, proposer } = counting();
    const remembering = rememberingChords(proposer, 2);
    for (const pitch of [60, 61, 60, 62, 60, 61]) remembering.harmonise([note(pitch, 0)], 16, 16);
    // 60, 61 proposed; 60 remembered; 62 pushes out 61; 60 remembered; 61 proposed again.
    expect(calls).toHaveLength(4);
  });
});

import { describe, expect, it } from 'vitest';
import type { Note } from '../music/melody.js';
import { minimumLoneNoteSteps, minimumNoteSteps } from './train-model.js';

const note = (start: number, duration: number, pitch = 60): Note => ({ pitch, start, duration, velocity: 100 });

/** A line of quarters (4 steps) with `runs` runs of four 16ths and `lone` 16ths standing between quarters. */
function line(quarters: number, runs: number, lone: number): Note[] {
  const notes: Note[] = [];
  let at = 0;
  for (let i = 0; i < quarters; i++, at += 4) notes.push(note(at, 4));
  for (let r = 0; r < runs; r++, at += 4) for (let s = 0; s < 4; s++) notes.push(note(at + s, 1));
  for (let l = 0; l < lone; l++, at += 5) notes.push(note(at, 1), note(at + 1, 4));
  return notes;
}

describe('what decoding learns of a part’s short notes', () => {
  it('keeps one-step notes where the data has them, and lone ones only where they are not rare', () => {
    // 30 % 16ths, all in runs: 16ths stay, lone ones go.
    const runs = line(56, 6, 0);
    expect(minimumNoteSteps(runs)).toBe(1);
    expect(minimumLoneNoteSteps([runs], 1)).toBe(2);
    // As many 16ths, a fifth of all notes standing alone: both stay.
    const alone = line(40, 3, 14);
    expect(minimumNoteSteps(alone)).toBe(1);
    expect(minimumLoneNoteSteps([alone], 1)).toBe(1);
  });

  it('judges each piece on its own: notes of two pieces never make a run together', () => {
    // Each piece ends on a 16th and the next starts on one; apart, both are lone and common.
    const pieces = Array.from({ length: 10 }, () => [note(0, 1), note(1, 4), note(5, 4), note(9, 1)]);
    expect(minimumLoneNoteSteps(pieces, 1)).toBe(1);
  });
});

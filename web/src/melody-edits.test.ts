import { describe, expect, it } from 'vitest';
import { addNote, History, moveNote, noteAt, removeNote, resizeNote } from './melody-edits';
import type { StepNote } from './music';

const take: StepNote[] = [
  { pitch: 60, start: 0, length: 4 },
  { pitch: 64, start: 4, length: 4 },
  { pitch: 67, start: 8, length: 8 },
];

describe('editing a melody on the 16th grid', () => {
  it('finds the note under a step and pitch', () => {
    expect(noteAt(take, 5, 64)).toBe(1);
    expect(noteAt(take, 8, 64)).toBe(-1);
    expect(noteAt(take, 15, 67)).toBe(2);
  });

  it('adds a note in time order and says where it went, leaving the notes it was given alone', () => {
    const before = structuredClone(take);
    const { notes, index } = addNote(take, { pitch: 62, start: 2, length: 2 });
    expect(notes.map((n) => n.pitch)).toEqual([60, 62, 64, 67]);
    expect(index).toBe(1);
    expect(take).toEqual(before);
  });

  it('moves a note by steps and semitones, keeping it on the grid and the piano', () => {
    const { notes, index } = moveNote(take, 0, 12, 2);
    expect(notes[index]).toEqual({ pitch: 62, start: 12, length: 4 });
    expect(notes.map((n) => n.start)).toEqual([4, 8, 12]);
    expect(moveNote(take, 0, -5, -100).notes[0]).toEqual({ pitch: 21, start: 0, length: 4 });
  });

  it('resizes to at least one step and removes', () => {
    expect(resizeNote(take, 2, 3)[2].length).toBe(3);
    expect(resizeNote(take, 2, -4)[2].length).toBe(1);
    expect(removeNote(take, 1).map((n) => n.pitch)).toEqual([60, 67]);
  });
});

describe('History', () => {
  it('undoes and redoes, and a new edit drops what could be redone', () => {
    const history = new History<number[]>([]);
    history.push([1]);
    history.push([1, 2]);
    expect(history.undo()).toEqual([1]);
    expect(history.undo()).toEqual([]);
    expect(history.canUndo).toBe(false);
    expect(history.undo()).toEqual([]);
    expect(history.redo()).toEqual([1]);
    history.push([1, 3]);
    expect(history.canRedo).toBe(false);
    expect(history.current).toEqual([1, 3]);
  });

  it('keeps at most its limit of steps back', () => {
    const history = new History(0, 2);
    for (let i = 1; i <= 5; i++) history.push(i);
    expect([history.undo(), history.undo(), history.undo()]).toEqual([4, 3, 3]);
  });
});

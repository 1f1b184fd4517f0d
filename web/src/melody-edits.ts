import type { StepNote } from './music';

/** Pitches the melody may take: A0 to C8, the piano's. */
export const LOWEST = 21;
export const HIGHEST = 108;

const clampPitch = (pitch: number): number => Math.min(HIGHEST, Math.max(LOWEST, pitch));

/** The notes in time order (then highest first), each a copy: edits never change the notes they are given. */
function sorted(notes: readonly StepNote[]): StepNote[] {
  return notes.map((n) => ({ ...n })).sort((a, b) => a.start - b.start || b.pitch - a.pitch);
}

/** The note covering a step at a pitch, or -1. */
export function noteAt(notes: readonly StepNote[], step: number, pitch: number): number {
  return notes.findIndex((n) => n.pitch === pitch && step >= n.start && step < n.start + n.length);
}

/** Adds a note; returns the notes and the new note's index among them. */
export function addNote(notes: readonly StepNote[], note: StepNote): { notes: StepNote[]; index: number } {
  const added = { pitch: clampPitch(note.pitch), start: Math.max(0, Math.round(note.start)), length: Math.max(1, Math.round(note.length)) };
  const next = sorted([...notes, added]);
  return { notes: next, index: next.findIndex((n) => n.start === added.start && n.pitch === added.pitch && n.length === added.length) };
}

export function removeNote(notes: readonly StepNote[], index: number): StepNote[] {
  return notes.filter((_, i) => i !== index).map((n) => ({ ...n }));
}

/** Moves a note by steps and semitones (never before the first step, never off the piano); returns its new index. */
export function moveNote(notes: readonly StepNote[], index: number, steps: number, semitones: number): { notes: StepNote[]; index: number } {
  const note = notes[index];
  if (!note) return { notes: notes.map((n) => ({ ...n })), index };
  const moved = { pitch: clampPitch(note.pitch + semitones), start: Math.max(0, note.start + steps), length: note.length };
  return addNote(removeNote(notes, index), moved);
}

/** Gives a note another length in steps (at least one). */
export function resizeNote(notes: readonly StepNote[], index: number, length: number): StepNote[] {
  return notes.map((n, i) => (i === index ? { ...n, length: Math.max(1, Math.round(length)) } : { ...n }));
}

/** Undo and redo over values that are never changed in place. */
export class History<T> {
  private readonly past: T[] = [];
  private future: T[] = [];

  constructor(private value: T, private readonly limit = 200) {}

  get current(): T {
    return this.value;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  push(next: T): void {
    this.past.push(this.value);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
    this.value = next;
  }

  undo(): T {
    const previous = this.past.pop();
    if (previous !== undefined) {
      this.future.push(this.value);
      this.value = previous;
    }
    return this.value;
  }

  redo(): T {
    const next = this.future.pop();
    if (next !== undefined) {
      this.past.push(this.value);
      this.value = next;
    }
    return this.value;
  }
}

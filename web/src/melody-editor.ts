import { addNote, moveNote, noteAt, removeNote, resizeNote } from './melody-edits';
import { barAndBeat, type Meter } from './meter';
import { pitchName, type StepNote } from './music';
import type { PianoRoll } from './roll';

export interface MelodyEditorHost {
  notes(): readonly StepNote[];
  /** An edit is done: keep it (with undo) and draw it. */
  commit(next: StepNote[], said: string): void;
  /** Draws notes being dragged, not yet kept. */
  preview(next: StepNote[]): void;
  /** Seconds in a 16th. */
  stepSeconds(): number;
  /** The melody's meter, for saying where a note is. */
  meter(): Meter;
  undo(): void;
  redo(): void;
  /** False while recording: the take is not the user's to edit then. */
  editable(): boolean;
}

interface Drag {
  mode: 'move' | 'resize';
  base: StepNote[];
  index: number;
  step: number;
  pitch: number;
  current: StepNote[];
  currentIndex: number;
  changed: boolean;
  /** The drag draws a new note. */
  created: boolean;
}

/**
 * Editing the melody on its piano roll, with the pointer (click to add a note and drag to give its
 * length, drag a note to move it, drag its end to resize it, double-click to delete) and with the
 * keyboard once the roll has focus (arrows move, Shift+←/→ resize, [ and ] choose, Insert adds,
 * Delete removes, Ctrl+Z / Ctrl+Shift+Z undo and redo). Every edit goes through the host, which keeps
 * the history.
 */
export class MelodyEditor {
  private selected: number | null = null;
  private drag: Drag | null = null;
  /** A new note takes the length of the last one drawn or resized. */
  private lastLength = 4;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly roll: PianoRoll, private readonly host: MelodyEditorHost) {
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', () => this.up());
    canvas.addEventListener('pointercancel', () => this.up());
    canvas.addEventListener('dblclick', (e) => this.doubleClick(e));
    canvas.addEventListener('keydown', (e) => this.key(e));
  }

  /** Where a step falls in the melody's meter: "bar 2, beat 3". */
  private where(step: number): string {
    return barAndBeat(step, this.host.meter());
  }

  /** The selected note's index among the host's notes. */
  get selection(): number | null {
    return this.selected;
  }

  /** After the notes changed elsewhere (a new take, undo): keep the selection only if it still points at a note. */
  notesChanged(): void {
    if (this.selected !== null && this.selected >= this.host.notes().length) this.selected = null;
    this.roll.setSelected(this.selected === null ? null : { track: 0, note: this.selected });
  }

  private select(index: number | null): void {
    this.selected = index;
    this.roll.setSelected(index === null ? null : { track: 0, note: index });
  }

  private point(e: PointerEvent | MouseEvent): { step: number; pitch: number } | null {
    const rect = this.canvas.getBoundingClientRect();
    const p = this.roll.pointAt(e.clientX - rect.left, e.clientY - rect.top);
    return p ? { step: Math.max(0, Math.floor(p.seconds / this.host.stepSeconds())), pitch: p.pitch } : null;
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0 || !this.host.editable()) return;
    const p = this.point(e);
    if (!p) return;
    e.preventDefault();
    this.canvas.focus();
    this.canvas.setPointerCapture?.(e.pointerId);
    const notes = [...this.host.notes()];
    const hit = noteAt(notes, p.step, p.pitch);
    this.roll.freeze(true);
    if (hit >= 0) {
      const n = notes[hit];
      const end = this.roll.xOf((n.start + n.length) * this.host.stepSeconds());
      const x = e.clientX - this.canvas.getBoundingClientRect().left;
      this.drag = { mode: end - x <= 6 ? 'resize' : 'move', base: notes, index: hit, step: p.step, pitch: p.pitch, current: notes, currentIndex: hit, changed: false, created: false };
      this.select(hit);
      return;
    }
    const { notes: added, index } = addNote(notes, { pitch: p.pitch, start: p.step, length: this.lastLength });
    this.drag = { mode: 'resize', base: added, index, step: p.step, pitch: p.pitch, current: added, currentIndex: index, changed: true, created: true };
    this.selected = index;
    this.host.preview(added);
    this.roll.setSelected({ track: 0, note: index });
  }

  private move(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const p = this.point(e);
    if (!p) return;
    if (d.mode === 'move') {
      const moved = moveNote(d.base, d.index, p.step - d.step, p.pitch - d.pitch);
      d.current = moved.notes;
      d.currentIndex = moved.index;
      d.changed = p.step !== d.step || p.pitch !== d.pitch;
    } else {
      const note = d.base[d.index];
      const length = Math.max(1, p.step - note.start + 1);
      d.current = resizeNote(d.base, d.index, length);
      d.changed = d.changed || length !== note.length;
    }
    this.selected = d.currentIndex;
    this.host.preview(d.current);
    this.roll.setSelected({ track: 0, note: d.currentIndex });
  }

  private up(): void {
    const d = this.drag;
    if (!d) return;
    this.drag = null;
    this.roll.freeze(false);
    const note = d.current[d.currentIndex];
    if (!d.changed || !note) {
      this.host.preview([...this.host.notes()]);
      this.notesChanged();
      return;
    }
    if (d.mode === 'resize') this.lastLength = note.length;
    const said = d.created
      ? `Added ${pitchName(note.pitch)} at ${this.where(note.start)}, ${note.length} sixteenths`
      : d.mode === 'move'
        ? `Moved to ${pitchName(note.pitch)}, ${this.where(note.start)}`
        : `${pitchName(note.pitch)} at ${this.where(note.start)} now lasts ${note.length} sixteenths`;
    this.selected = d.currentIndex;
    this.host.commit(d.current, said);
    this.notesChanged();
  }

  private doubleClick(e: MouseEvent): void {
    if (!this.host.editable()) return;
    const p = this.point(e);
    if (!p) return;
    const notes = this.host.notes();
    const hit = noteAt(notes, p.step, p.pitch);
    if (hit < 0) return;
    this.remove(hit);
  }

  private remove(index: number): void {
    const note = this.host.notes()[index];
    this.selected = null;
    this.host.commit(removeNote(this.host.notes(), index), `Deleted ${pitchName(note.pitch)} at ${this.where(note.start)}`);
    this.notesChanged();
  }

  private key(e: KeyboardEvent): void {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && (e.key === 'z' || e.key === 'Z')) {
      e.preventDefault();
      if (e.shiftKey) this.host.redo();
      else this.host.undo();
      return;
    }
    if (mod && e.key === 'y') {
      e.preventDefault();
      this.host.redo();
      return;
    }
    if (mod || e.altKey || !this.host.editable()) return;
    const notes = this.host.notes();
    const s = this.selected;
    const handled = (): void => e.preventDefault();
    switch (e.key) {
      case ']':
      case '[': {
        handled();
        if (!notes.length) return;
        const next = s === null ? (e.key === ']' ? 0 : notes.length - 1) : (s + (e.key === ']' ? 1 : -1) + notes.length) % notes.length;
        this.select(next);
        this.host.preview([...notes]);
        this.roll.setSelected({ track: 0, note: next });
        return;
      }
      case 'Escape':
        this.select(null);
        return;
      case 'Insert':
      case 'Enter': {
        handled();
        const after = s !== null ? notes[s] : notes[notes.length - 1];
        const note = after ? { pitch: after.pitch, start: after.start + after.length, length: after.length } : { pitch: 60, start: 0, length: this.lastLength };
        const { notes: added, index } = addNote(notes, note);
        this.selected = index;
        this.host.commit(added, `Added ${pitchName(note.pitch)} at ${this.where(note.start)}`);
        this.notesChanged();
        return;
      }
    }
    if (s === null || !notes[s]) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      handled();
      this.remove(s);
      return;
    }
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const arrow = arrows[e.key];
    if (!arrow) return;
    handled();
    const [steps, semitones] = arrow;
    if (e.shiftKey && steps) {
      const length = notes[s].length + steps;
      if (length < 1) return;
      this.lastLength = length;
      this.host.commit(resizeNote(notes, s, length), `${pitchName(notes[s].pitch)} now lasts ${length} sixteenths`);
      this.notesChanged();
      return;
    }
    const moved = moveNote(notes, s, steps, semitones * (e.shiftKey ? 12 : 1));
    const note = moved.notes[moved.index];
    this.selected = moved.index;
    this.host.commit(moved.notes, `Moved to ${pitchName(note.pitch)}, ${this.where(note.start)}`);
    this.notesChanged();
  }
}

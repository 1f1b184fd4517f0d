import { audioContext, click } from './audio';
import { COMMON_TIME, stepsPerBar, stepsPerBeat, type Meter } from './meter';
import type { StepNote } from './music';

export type RecorderState = 'idle' | 'count-in' | 'recording';

/**
 * Records what is played against a metronome, after a count-in, quantised to 16ths: a note starts on
 * the nearest 16th and lasts at least one. The metronome clicks the meter's beats (quarters in 3/4,
 * dotted quarters in 6/8), the downbeat higher, and the count-in is whole bars of it. Times come from
 * the AudioContext clock, which the clicks are scheduled on too.
 */
export class Recorder {
  state: RecorderState = 'idle';
  notes: StepNote[] = [];
  private start = 0;
  private step = 0.15;
  private beat = 0.6;
  private beatsPerBar = 4;
  private countInBeats = 0;
  private timer?: number;
  private nextClick = 0;
  private clickIndex = 0;
  private metronome = true;
  private readonly open = new Map<number, number>();

  constructor(private readonly changed: () => void) {}

  /** `tempo` in quarter notes per minute, as the notation's `tempo=`. */
  begin(tempo: number, countInBars: number, metronome: boolean, meter: Meter = COMMON_TIME): void {
    const ctx = audioContext();
    this.notes = [];
    this.open.clear();
    this.metronome = metronome;
    this.step = 60 / tempo / 4;
    this.beat = this.step * stepsPerBeat(meter);
    this.beatsPerBar = stepsPerBar(meter) / stepsPerBeat(meter);
    const now = ctx.currentTime + 0.1;
    this.countInBeats = countInBars * this.beatsPerBar;
    this.start = now + this.countInBeats * this.beat;
    this.nextClick = now;
    this.clickIndex = 0;
    this.state = countInBars > 0 ? 'count-in' : 'recording';
    this.timer = window.setInterval(() => this.tick(), 25);
    this.tick();
    this.changed();
  }

  /** Seconds since the first recorded downbeat (negative during the count-in). */
  position(): number {
    return audioContext().currentTime - this.start;
  }

  /** Seconds in a bar of the meter recorded in. */
  barSeconds(): number {
    return this.beat * this.beatsPerBar;
  }

  /** The count-in beats still to come, for the status line. */
  countInBeatsLeft(): number {
    // Before the first click (scheduled a moment ahead) the whole count-in is still to come.
    return Math.max(0, Math.min(this.countInBeats, Math.ceil(-this.position() / this.beat - 1e-9)));
  }

  private tick(): void {
    const ctx = audioContext();
    // Schedule the clicks of the next 120 ms; the count-in always clicks.
    while (this.nextClick < ctx.currentTime + 0.12) {
      const inCountIn = this.nextClick < this.start - 1e-6;
      if (this.metronome || inCountIn) click(this.nextClick, this.clickIndex % this.beatsPerBar === 0);
      this.clickIndex++;
      this.nextClick += this.beat;
    }
    const was = this.state;
    if (this.state === 'count-in' && ctx.currentTime >= this.start) this.state = 'recording';
    if (was !== this.state || this.state !== 'idle') this.changed();
  }

  private stepAt(t: number): number {
    return Math.round((t - this.start) / this.step);
  }

  noteOn(pitch: number): void {
    if (this.state === 'idle') return;
    const t = audioContext().currentTime;
    // A note a 16th or more before the first downbeat belongs to the count-in, not the take.
    if (t - this.start < -this.step) return;
    this.open.set(pitch, Math.max(0, this.stepAt(t)));
    this.changed();
  }

  noteOff(pitch: number): void {
    const start = this.open.get(pitch);
    if (start === undefined) return;
    this.open.delete(pitch);
    const end = this.stepAt(audioContext().currentTime);
    this.notes.push({ pitch, start, length: Math.max(1, end - start) });
    this.changed();
  }

  /** The notes so far, held ones up to now. */
  current(): StepNote[] {
    const now = Math.max(0, this.stepAt(audioContext().currentTime));
    return [...this.notes, ...[...this.open].map(([pitch, start]) => ({ pitch, start, length: Math.max(1, now - start) }))];
  }

  end(): StepNote[] {
    for (const pitch of [...this.open.keys()]) this.noteOff(pitch);
    window.clearInterval(this.timer);
    this.state = 'idle';
    this.changed();
    return this.notes;
  }
}

import { COMMON_TIME, meterText, stepsPerBar as barSteps, type Meter } from './meter';

/** A note on the 16th grid: `start` and `length` in 16ths from the first bar line. */
export interface StepNote {
  pitch: number;
  start: number;
  length: number;
}

/** A note in seconds, as the roll and the players take it. */
export interface TimedNote {
  pitch: number;
  time: number;
  duration: number;
  velocity?: number;
}

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** "C4" for MIDI 60. */
export function pitchName(pitch: number): string {
  return `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** Note-list durations in 16ths, longest first (docs/notation.md: /1 … /16 with an optional dot). */
const DURATIONS: [number, string][] = [
  [16, '/1'], [12, '/2.'], [8, '/2'], [6, '/4.'], [4, '/4'], [3, '/8.'], [2, '/8'], [1, '/16'],
];

function pieces(length: number): string[] {
  const out: string[] = [];
  let left = length;
  for (const [steps, written] of DURATIONS) {
    while (left >= steps) {
      out.push(written);
      left -= steps;
    }
  }
  return out;
}

/** One voice: overlapping notes are cut where the next one starts; of notes starting together the highest is kept. */
export function monophonic(notes: readonly StepNote[]): StepNote[] {
  const sorted = [...notes].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const out: StepNote[] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === n.start) continue;
    if (last && last.start + last.length > n.start) last.length = n.start - last.start;
    out.push({ ...n });
  }
  return out.filter((n) => n.length > 0);
}

/**
 * The note-list notation of a played melody in its meter (`time=3/4`, none for 4/4): explicit octaves
 * and durations, rests for gaps, notes tied across bar lines, a bar line after every full bar; leading
 * empty bars are dropped.
 */
export function toNotation(notes: readonly StepNote[], tempo: number, meter: Meter = COMMON_TIME): string {
  const stepsPerBar = barSteps(meter);
  const voice = monophonic(notes);
  if (voice.length === 0) return '';
  const shift = Math.floor(voice[0].start / stepsPerBar) * stepsPerBar;
  const tokens: string[] = [];
  let at = 0;
  const emit = (length: number, name: string | null): void => {
    // Split at bar lines, then into written durations; the parts of a note are tied with `~`.
    let left = length;
    while (left > 0) {
      const room = stepsPerBar - (at % stepsPerBar);
      const take = Math.min(left, room);
      const parts = pieces(take);
      parts.forEach((d, i) => {
        tokens.push(name === null ? `R${d}` : `${name}${d}`);
        if (name !== null && (i < parts.length - 1 || left > take)) tokens.push('~');
      });
      at += take;
      left -= take;
      if (at % stepsPerBar === 0) tokens.push('|');
    }
  };
  for (const n of voice) {
    const start = n.start - shift;
    if (start > at) emit(start - at, null);
    emit(n.length, pitchName(n.pitch));
  }
  while (tokens[tokens.length - 1] === '|') tokens.pop();
  const time = meter.numerator === COMMON_TIME.numerator && meter.denominator === COMMON_TIME.denominator ? '' : ` time=${meterText(meter)}`;
  return `tempo=${Math.round(tempo)}${time} ${tokens.join(' ')}`;
}

/** Step notes as seconds at a tempo (quarter notes per minute). */
export function stepsToTimed(notes: readonly StepNote[], tempo: number): TimedNote[] {
  const step = 60 / tempo / 4;
  return notes.map((n) => ({ pitch: n.pitch, time: n.start * step, duration: n.length * step }));
}

import toneMidi from '@tonejs/midi';
import { InvalidInputError } from '../errors.js';
import type { Arrangement } from './arrangement.js';
import {
  COMMON_TIME,
  DEFAULT_TEMPO,
  MAX_MELODY_BARS,
  STEPS_PER_QUARTER,
  barCount,
  monophonic,
  stepsPerBar,
  takeBars,
  trimLeadingSilence,
  type BarRange,
  type Melody,
  type TempoChange,
  type Note,
  type TimeSignature,
} from './melody.js';

import { TEMPO_MAX, TEMPO_MIN } from './notation.js';

const { Midi } = toneMidi;
type MidiFile = InstanceType<typeof Midi>;
type MidiTrack = MidiFile['tracks'][number];

export const PPQ = 480;
const TICKS_PER_STEP = PPQ / STEPS_PER_QUARTER;
const DRUM_CHANNEL = 9;

/** Velocity by role and metric position: the lead sings over the accompaniment; downbeats lean. */
function velocityFor(role: 'melody' | 'accompaniment', start: number, bar: number): number {
  const base = role === 'melody' ? 100 : 76;
  if (start % bar === 0) return base + 10;
  if (start % (bar / 2) === 0) return base + 4;
  return base;
}

/** One MIDI track per instrument, drums on channel 10, tempo and time signature in the header. */
/**
 * Tick of a step with 8th-note swing: the off-beat 8th moves from half the beat to `swing` of it, and the
 * 16ths on either side stretch or shrink with it.
 */
export function swungTicks(step: number, swing = 0.5): number {
  const beat = Math.floor(step / STEPS_PER_QUARTER);
  const within = (step - beat * STEPS_PER_QUARTER) / STEPS_PER_QUARTER; // 0…1 of the beat
  const moved = within <= 0.5 ? within * 2 * swing : swing + (within - 0.5) * 2 * (1 - swing);
  return Math.round((beat + moved) * STEPS_PER_QUARTER * TICKS_PER_STEP);
}

/**
 * The arrangement as a MIDI file; with an `offset` the music starts that many steps in (where it was
 * in the source), under the source's tempo map when it has one.
 */
export function arrangementToMidi(arrangement: Arrangement): Uint8Array {
  const midi = new Midi();
  const offset = arrangement.offset ?? 0;
  if (arrangement.tempos && arrangement.tempos.length > 0) {
    for (const t of arrangement.tempos) midi.header.tempos.push({ ticks: t.step * TICKS_PER_STEP, bpm: t.bpm });
    midi.header.update();
  } else {
    midi.header.setTempo(arrangement.tempo);
  }
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [arrangement.timeSignature.numerator, arrangement.timeSignature.denominator] });
  if (arrangement.title) midi.header.name = arrangement.title;
  const bar = stepsPerBar(arrangement.timeSignature);
  let channel = 0;
  for (const t of arrangement.tracks) {
    const track = midi.addTrack();
    track.name = t.name;
    if (t.isDrum) {
      track.channel = DRUM_CHANNEL;
    } else {
      track.channel = channel;
      channel = channel + 1 === DRUM_CHANNEL ? channel + 2 : channel + 1;
    }
    track.instrument.number = t.isDrum ? 0 : t.program;
    for (const n of t.notes) {
      const velocity = n.velocity > 0 && t.role === 'melody' ? n.velocity : velocityFor(t.role, n.start, bar);
      const ticks = swungTicks(offset + n.start, arrangement.swing);
      const durationTicks = swungTicks(offset + n.start + n.duration, arrangement.swing) - ticks;
      track.addNote({ midi: n.pitch, ticks, durationTicks, velocity: Math.min(127, velocity) / 127 });
    }
  }
  return midi.toArray();
}

/**
 * A MIDI file from step `from` on, moved to start at 0: notes that start there or later, the tempo in
 * effect there and the changes after it, the first time signature. For playing and drawing the music
 * of a file whose leading bars are empty (an arrangement placed at its source's offset).
 */
export function midiFrom(bytes: Uint8Array, from: number): Uint8Array {
  if (from <= 0) return bytes;
  const source = parseMidi(bytes);
  const fromTick = from * (source.header.ppq / STEPS_PER_QUARTER);
  const out = new Midi();
  const scale = out.header.ppq / source.header.ppq;
  const tempos = source.header.tempos;
  const inEffect = [...tempos].reverse().find((t) => t.ticks <= fromTick) ?? tempos[0];
  out.header.tempos.push({ ticks: 0, bpm: inEffect?.bpm ?? DEFAULT_TEMPO });
  for (const t of tempos) if (t.ticks > fromTick) out.header.tempos.push({ ticks: Math.round((t.ticks - fromTick) * scale), bpm: t.bpm });
  const ts = source.header.timeSignatures[0];
  if (ts) out.header.timeSignatures.push({ ticks: 0, timeSignature: ts.timeSignature });
  out.header.name = source.header.name;
  out.header.update();
  for (const t of source.tracks) {
    const track = out.addTrack();
    track.name = t.name;
    track.channel = t.channel;
    track.instrument.number = t.instrument.number;
    for (const n of t.notes) {
      if (n.ticks < fromTick) continue;
      track.addNote({ midi: n.midi, ticks: Math.round((n.ticks - fromTick) * scale), durationTicks: Math.round(n.durationTicks * scale), velocity: n.velocity });
    }
  }
  return out.toArray();
}

export interface MidiReadOptions {
  /** Track index or (case-insensitive) name to take the melody from. */
  readonly track?: number | string;
  /** Which bars to take (default: all, less leading silence). */
  readonly bars?: BarRange;
}

/**
 * The file's tempo map on the step grid (one per step: the last wins); each change after the first
 * must be in the range Continuo plays (the first is checked with the request's own tempo).
 */
function tempoMap(midi: MidiFile, ticksPerStep: number, barSteps: number): TempoChange[] {
  const out: TempoChange[] = [];
  for (const [i, t] of midi.header.tempos.entries()) {
    const step = Math.round(t.ticks / ticksPerStep);
    const bpm = Math.round(t.bpm * 100) / 100;
    if (i > 0 && (!Number.isFinite(bpm) || bpm < TEMPO_MIN || bpm > TEMPO_MAX)) {
      throw new InvalidInputError(
        `the MIDI file changes tempo to ${Number.isFinite(bpm) ? `${bpm} bpm` : 'no tempo (0 µs per quarter note)'} in bar ${Math.floor(step / barSteps) + 1}; Continuo plays from ${TEMPO_MIN} to ${TEMPO_MAX} bpm — fix that tempo change in your editor`,
        { field: 'tempo' },
      );
    }
    if (out.length > 0 && out[out.length - 1].step === step) out[out.length - 1] = { step, bpm };
    else out.push({ step, bpm });
  }
  return out;
}

const ascii = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
const uint32 = (bytes: Uint8Array, at: number): number => ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
const uint16 = (bytes: Uint8Array, at: number): number => (bytes[at] << 8) + bytes[at + 1];
const damaged = (problem: string) => new InvalidInputError(`the MIDI file is damaged: ${problem}; export it again from your editor`);

/**
 * Checks the chunks of a Standard MIDI File before the library reads it: the library reports a
 * truncated file as "Cannot read properties of undefined" or throws bare strings, and reads an SMPTE
 * or zero time base as no time base at all (every note at NaN).
 */
function checkChunks(bytes: Uint8Array): void {
  if (bytes.length < 14 || ascii(bytes, 0) !== 'MThd') {
    throw new InvalidInputError('this is not a Standard MIDI File (it does not start with "MThd"); upload a .mid file');
  }
  const headerLength = uint32(bytes, 4);
  if (headerLength < 6) throw damaged(`its header is ${headerLength} bytes long instead of 6`);
  if (8 + headerLength > bytes.length) throw damaged(`it is cut short: its header should be ${headerLength} bytes long but only ${bytes.length - 8} are there`);
  const format = uint16(bytes, 8);
  if (format > 2) throw damaged(`it says it is of format ${format}; MIDI files are of format 0, 1 or 2`);
  const division = uint16(bytes, 12);
  if (division & 0x8000) {
    throw new InvalidInputError('the MIDI file counts time in SMPTE frames, not in beats; export it with a musical time base (ticks per quarter note, e.g. 480)');
  }
  if (division === 0) throw damaged('it gives 0 ticks per quarter note, so no note has a place in time');
  const tracks = uint16(bytes, 10);
  let at = 8 + headerLength;
  for (let track = 1; track <= tracks; track += 1) {
    if (at + 8 > bytes.length) throw damaged(`it is cut short: the header announces ${tracks} tracks but only ${track - 1} are there`);
    if (ascii(bytes, at) !== 'MTrk') throw damaged(`track ${track} does not start with "MTrk"`);
    const length = uint32(bytes, at + 4);
    if (at + 8 + length > bytes.length) throw damaged(`it is cut short: track ${track} should be ${length} bytes long but only ${bytes.length - at - 8} are left`);
    at += 8 + length;
  }
}

/** What the MIDI library's error says is wrong, in words a person can act on. */
function libraryProblem(error: unknown): string {
  const text = typeof error === 'string' ? error : error instanceof Error ? error.message : '';
  const length = /^Expected length for (\w+) event is ([\w ]+), got (\d+)/.exec(text);
  if (length) return `${/^[aeiou]/i.test(length[1]) ? 'an' : 'a'} ${length[1]} event has ${length[3]} data bytes instead of ${length[2]}`;
  if (/^Unrecognised MIDI event type/.test(text)) return 'it holds an event of an unknown type';
  if (/^Running status byte/.test(text)) return 'an event has no status byte';
  return 'a track breaks off in the middle of an event';
}

function parseMidi(bytes: Uint8Array): MidiFile {
  checkChunks(bytes);
  try {
    return new Midi(bytes);
  } catch (error) {
    throw damaged(libraryProblem(error));
  }
}

const DENOMINATORS = [1, 2, 4, 8, 16, 32];

/** The file's meter, refused when no bar could be counted in it (a denominator of 2^255, a numerator of 0). */
function checkTimeSignature(ts: TimeSignature): TimeSignature {
  if (!DENOMINATORS.includes(ts.denominator) || !Number.isInteger(ts.numerator) || ts.numerator < 1 || ts.numerator > 32) {
    // The library computes 2^n with a shift, so a huge n arrives as a negative number: no use to show.
    const lower = Number.isSafeInteger(ts.denominator) && ts.denominator > 0 ? String(ts.denominator) : '?';
    throw new InvalidInputError(
      `the MIDI file's time signature ${ts.numerator}/${lower} is not a meter: the lower number must be 1, 2, 4, 8, 16 or 32 and the upper from 1 to 32 — fix the meter in your editor and export again`,
      { timeSignature: `${ts.numerator}/${lower}` },
    );
  }
  return ts;
}

function pickTrack(midi: MidiFile, choice: number | string | undefined): MidiTrack {
  const playable = midi.tracks.filter((t) => !t.instrument.percussion && t.channel !== DRUM_CHANNEL && t.notes.length > 0);
  if (choice !== undefined) {
    const track = typeof choice === 'number' ? midi.tracks[choice] : midi.tracks.find((t) => t.name.toLowerCase() === choice.toLowerCase());
    const names = midi.tracks.map((t, i) => `${i}${t.name ? ` "${t.name}"` : ''} (${t.notes.length} notes)`).join(', ');
    if (!track) throw new InvalidInputError(`the MIDI file has no track ${JSON.stringify(choice)}; its tracks are ${names}`);
    if (track.notes.length === 0) throw new InvalidInputError(`MIDI track ${JSON.stringify(choice)} has no notes; its tracks are ${names}`);
    return track;
  }
  const named = playable.find((t) => /melody|lead|vocal|voice|soprano|tune/i.test(t.name));
  const track = named ?? playable[0];
  if (!track) throw new InvalidInputError('the MIDI file has no notes outside the drum channel; a melody needs pitched notes');
  return track;
}

/**
 * The melody of a MIDI file: the chosen track (a track named like "melody", else the first non-drum
 * track with notes), quantised to the 16th grid from ticks (tempo changes do not move the grid),
 * reduced to one line (the highest note). With `bars`, those bars are taken; otherwise whole bars of
 * leading silence are dropped. Either way `offset` says where the melody was, and a file that
 * changes tempo keeps its tempo map, so that the output lines up with the file.
 */
export function melodyFromMidi(bytes: Uint8Array, options: MidiReadOptions = {}): Melody {
  const midi = parseMidi(bytes);
  const track = pickTrack(midi, options.track);
  const ticksPerStep = midi.header.ppq / STEPS_PER_QUARTER;
  const signatures = midi.header.timeSignatures;
  const first = signatures[0];
  const timeSignature = first ? checkTimeSignature({ numerator: first.timeSignature[0], denominator: first.timeSignature[1] }) : COMMON_TIME;
  const changed = signatures.find((s) => s.timeSignature[0] !== timeSignature.numerator || s.timeSignature[1] !== timeSignature.denominator);
  if (changed) {
    const bar = (changed.measures ?? 0) + 1;
    throw new InvalidInputError(
      `the time signature changes from ${timeSignature.numerator}/${timeSignature.denominator} to ${changed.timeSignature.join('/')} at bar ${Math.floor(bar)}; Continuo needs one meter per melody — split the file there`,
    );
  }
  const tempo = midi.header.tempos[0]?.bpm ?? DEFAULT_TEMPO;
  // 0 µs per quarter note is no tempo (Infinity bpm, stored as null); the range is checked with the request's own tempo.
  if (!Number.isFinite(tempo) || tempo <= 0) {
    throw new InvalidInputError('the MIDI file sets a tempo of 0 µs per quarter note, which is no tempo; set a tempo in your editor and export again, or give tempo', { field: 'tempo' });
  }
  const notes: Note[] = [];
  for (const n of track.notes) {
    const start = Math.round(n.ticks / ticksPerStep);
    const end = Math.round((n.ticks + n.durationTicks) / ticksPerStep);
    notes.push({ pitch: n.midi, start, duration: Math.max(1, end - start), velocity: Math.max(1, Math.round(n.velocity * 127)) });
  }
  const tempos = tempoMap(midi, ticksPerStep, stepsPerBar(timeSignature));
  const whole: Melody = {
    notes: monophonic(notes), tempo: Math.round(tempo * 100) / 100, timeSignature, title: midi.header.name || track.name || undefined,
    ...(midi.header.tempos.length === 0 ? { tempoIsDefault: true } : {}),
    ...(tempos.length > 1 ? { tempos } : {}),
  };
  const melody = options.bars ? takeBars(whole, options.bars) : trimLeadingSilence(whole);
  const bars = barCount(melody);
  if (bars > MAX_MELODY_BARS) {
    throw new InvalidInputError(
      `the melody is ${bars} bars long; Continuo takes up to ${MAX_MELODY_BARS} bars at a time — choose which with a bar range (bars "1-${MAX_MELODY_BARS}", "${MAX_MELODY_BARS + 1}-${2 * MAX_MELODY_BARS}", …) or pick a shorter track`,
      { bars },
    );
  }
  return melody;
}

export interface MidiTracks {
  readonly timeSignature: TimeSignature;
  /** True when the time signature changes somewhere in the file. */
  readonly meterChanges: boolean;
  readonly tempo: number;
  readonly tracks: { name: string; channel: number; program: number; notes: Note[] }[];
}

/** Every track's notes of a MIDI file on the step grid, with names and programs (for data sets). */
export function tracksFromMidi(bytes: Uint8Array): MidiTracks {
  const midi = parseMidi(bytes);
  const ticksPerStep = midi.header.ppq / STEPS_PER_QUARTER;
  const signatures = midi.header.timeSignatures.map((s) => ({ numerator: s.timeSignature[0], denominator: s.timeSignature[1] }));
  const timeSignature = signatures[0] ?? COMMON_TIME;
  return {
    timeSignature,
    meterChanges: signatures.some((s) => s.numerator !== timeSignature.numerator || s.denominator !== timeSignature.denominator),
    tempo: midi.header.tempos[0]?.bpm ?? DEFAULT_TEMPO,
    tracks: midi.tracks.map((t) => ({
      name: t.name,
      channel: t.channel,
      program: t.instrument.number,
      notes: t.notes.map((n) => {
        const start = Math.round(n.ticks / ticksPerStep);
        const end = Math.round((n.ticks + n.durationTicks) / ticksPerStep);
        return { pitch: n.midi, start, duration: Math.max(1, end - start), velocity: Math.max(1, Math.round(n.velocity * 127)) };
      }),
    })),
  };
}

/** A note in seconds, as the file's tempo map places it. */
export interface TimedNote {
  readonly pitch: number;
  /** Onset in seconds. */
  readonly time: number;
  /** Seconds. */
  readonly duration: number;
  readonly velocity: number;
}

/**
 * Every track's notes of a MIDI file in seconds (tempo changes applied), for data sets whose beats are
 * annotated in seconds rather than written as the file's bars.
 */
export function timedTracksFromMidi(bytes: Uint8Array): { name: string; channel: number; program: number; notes: TimedNote[] }[] {
  return parseMidi(bytes).tracks.map((t) => ({
    name: t.name,
    channel: t.channel,
    program: t.instrument.number,
    notes: t.notes.map((n) => ({ pitch: n.midi, time: n.time, duration: n.duration, velocity: Math.max(1, Math.round(n.velocity * 127)) })),
  }));
}

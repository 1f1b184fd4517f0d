/**
 * ABC notation → Melody, with abcjs' parser (`abcjs.parseOnly`, which needs no DOM).
 *
 * abcjs parses the text; this file walks the first voice of the chosen tune and turns its elements
 * into notes itself, following abcjs' own synth rules (key signature, accidentals that last to the
 * end of the bar at that octave, triplets, ties, clef/`transpose=` shifts). The synth's
 * `tune.setUpAudio()` would give pitches and times too, but it always expands repeats, which makes
 * an AABB tune twice as long and breaks the bar grid where a first-time bar is shorter than the
 * second-time one. Here the tune is read ONCE THROUGH instead: repeat signs are not expanded, and of
 * first/second-time endings only the last one is played (it is the one that leads on).
 *
 * Also:
 * - Chords keep their highest note (the melody line); grace notes, decorations, annotations (text
 *   placed with ^ _ < > @) and lyrics are ignored; later voices and voice overlays are ignored.
 * - Chord symbols (`"G7"`, `"Am"`, `"D/F#"`, `"(A7)"`, `"N.C."`) become the melody's chords: each lasts
 *   from the start of its note (or rest, or spacer `y`) to the next chord symbol or to the end of the
 *   melody's last bar, on the notes' step grid and pickup shift. One that cannot be read is a
 *   NotationError naming the bar and the symbol.
 * - The key (K:) in effect at the first note is the melody's key, as major or minor (modes by their
 *   third: Dorian, Phrygian and Locrian count as minor, Lydian and Mixolydian as major).
 * - The time signature is the meter in effect at the first note (C = 4/4, C| = 2/2, none = 4/4);
 *   later meter changes do not change it, so bars after one may fall off the grid. The tempo is
 *   the header's Q:, converted to quarter notes per minute and clamped to 20–400 (default 100);
 *   later tempo changes are ignored.
 * - The tune's length is not limited here (MAX_MELODY_BARS): many folk tunes are longer once
 *   through, and the caller decides whether to refuse or cut them.
 * - Times are quantised to the 16th-note grid (STEPS_PER_QUARTER steps per quarter). Triplets and
 *   other tuplets round to the nearest step, keeping note order, without overlaps or zero lengths.
 * - A short first bar is a pickup: the notes are shifted so that bar lines fall on multiples of
 *   stepsPerBar.
 * - Lines with a field letter that ABC does not define (`Y:` in the Nottingham collection, `J:`)
 *   are ignored: they hold no music, and abcjs would otherwise read their text as notes.
 * - abcjs reports problems as warnings; the first one (other than purely visual ones) is thrown as
 *   a NotationError naming the bar and the token.
 */
import abcjs from 'abcjs';
import { NotationError } from '../errors.js';
import { CHORD_HINT, readChordSymbol, spansFromMarks, type ChordMark } from './chord-bars.js';
import { parseKey, type Key } from './key.js';
import {
  COMMON_TIME,
  DEFAULT_TEMPO,
  STEPS_PER_QUARTER,
  endStep,
  stepsPerBar,
  type Melody,
  type Note,
  type TimeSignature,
} from './melody.js';
import { isMidiPitch } from './pitch.js';
import { NOTATION_VELOCITY, TEMPO_MAX, TEMPO_MIN } from './notation.js';

export interface AbcOptions {
  /** Which tune of a text with several (X: fields), counted from 0 in text order. Default 0. */
  readonly tune?: number;
}

// The parts of abcjs' parse tree read here. Its bundled types miss several (triplets, ties' shape),
// so the tree is read through these narrow shapes instead.
interface AbcPitch {
  readonly pitch: number;
  readonly accidental?: string;
  readonly startTie?: object;
}
interface AbcKey {
  readonly accidentals?: readonly { readonly acc: string; readonly note: string }[];
  /** `G`, `none`, `HP`…; acc `#`, `b` or ''; mode '' (major), `m`, `Dor`, `Mix`, `Lyd`, `Phr`, `Loc`. */
  readonly root?: string;
  readonly acc?: string;
  readonly mode?: string;
}
/** A chord symbol or an annotation: guitar chords have position `default`. */
interface AbcChord {
  readonly name: string;
  readonly position?: string;
}
interface AbcMeter {
  readonly type: string;
  readonly value?: readonly { readonly num: string; readonly den: string }[];
}
interface AbcElement extends Partial<AbcKey>, Partial<AbcMeter> {
  readonly el_type: string;
  readonly startChar?: number;
  readonly duration?: number;
  readonly pitches?: readonly AbcPitch[];
  readonly rest?: { readonly type: string };
  readonly startTriplet?: number;
  readonly tripletMultiplier?: number;
  readonly endTriplet?: boolean;
  readonly endChar?: number;
  readonly startEnding?: string;
  readonly endEnding?: boolean;
  /** Clefs: `treble-8` sounds an octave down; `transpose` comes from K:… transpose=N. */
  readonly type?: string;
  readonly transpose?: number;
  readonly chord?: readonly AbcChord[];
}
interface AbcClef {
  readonly type?: string;
  readonly transpose?: number;
}
interface AbcStaff {
  readonly key?: AbcKey;
  readonly meter?: AbcMeter;
  readonly clef?: AbcClef;
  readonly voices?: readonly (readonly AbcElement[])[];
}
interface AbcTempo {
  readonly bpm?: number;
  readonly duration?: readonly number[];
}

/** What the walk hands to the quantiser: times in whole notes, as abcjs counts them. */
interface TimedNote {
  readonly pitch: number;
  readonly start: number;
  end: number;
}

const WHOLE_STEPS = STEPS_PER_QUARTER * 4;
const SCALE = [0, 2, 4, 5, 7, 9, 11];
const ACCIDENTAL_SEMITONES: Record<string, number> = { sharp: 1, flat: -1, natural: 0, dblsharp: 2, dblflat: -2 };
// Warnings about how abcjs would draw the music, not about what it means.
const VISUAL_WARNINGS = ['Duration not representable', 'Unknown bar symbol', 'Unknown bar type'];
// Field letters that are neither ABC 2.1 fields nor music (a music line never starts with them).
const UNKNOWN_FIELD_RE = /^[JY]:/gm;

/** Replaces each unknown field's letter with `%` (a comment), keeping every character's offset. */
function hideUnknownFields(text: string): string {
  return text.replace(UNKNOWN_FIELD_RE, '%:');
}

function staffPosition(pitch: number): { octave: number; letter: number } {
  return { octave: Math.floor(pitch / 7), letter: ((pitch % 7) + 7) % 7 };
}

const MINOR_MODES = new Set(['m', 'min', 'aeo', 'dor', 'phr', 'loc']);

/** K:'s key as major or minor; undefined for K:none, K:HP and the like. */
function keyOf(key: AbcKey | undefined): Key | undefined {
  if (!key?.root || !/^[A-G]$/.test(key.root)) return undefined;
  const minor = MINOR_MODES.has((key.mode ?? '').toLowerCase());
  return parseKey(`${key.root}${key.acc === '#' || key.acc === 'b' ? key.acc : ''}${minor ? 'm' : ''}`);
}

function keyAccidentals(key: AbcKey | undefined): number[] {
  const semitones = [0, 0, 0, 0, 0, 0, 0];
  for (const { acc, note } of key?.accidentals ?? []) {
    const letter = (note.toLowerCase().charCodeAt(0) - 'c'.charCodeAt(0) + 7) % 7;
    semitones[letter] = (semitones[letter] ?? 0) + (ACCIDENTAL_SEMITONES[acc] ?? 0);
  }
  return semitones;
}

function clefTranspose(clef: AbcClef): number {
  const octave = clef.type?.includes('-8') ? -12 : clef.type?.includes('+8') ? 12 : 0;
  return (clef.transpose ?? 0) + octave;
}

function meterToTimeSignature(meter: AbcMeter | undefined): TimeSignature {
  if (meter?.type === 'cut_time') return { numerator: 2, denominator: 2 };
  if (meter?.type !== 'specified' || !meter.value?.[0]) return COMMON_TIME;
  const { num, den } = meter.value[0];
  const numerator = num.split('+').reduce((sum, part) => sum + Number(part), 0);
  const denominator = Number(den);
  const ok = Number.isInteger(numerator) && numerator >= 1 && numerator <= 32 && [1, 2, 4, 8, 16].includes(denominator);
  if (!ok) {
    throw new NotationError(
      `bar 1: 'M:${num}/${den}' is not a meter Continuo can use; use a numerator from 1 to 32 over 1, 2, 4, 8 or 16, like M:6/8`,
      1,
      `M:${num}/${den}`,
    );
  }
  return { numerator, denominator };
}

/** abcjs' Q: is `bpm` beats of `duration` (whole notes, summed: Q:1/4 3/8=40); default a quarter. */
function tempoOf(tempo: AbcTempo | undefined): number {
  if (!tempo?.bpm) return DEFAULT_TEMPO;
  const beat = tempo.duration && tempo.duration.length > 0 ? tempo.duration.reduce((a, b) => a + b, 0) : 0.25;
  const qpm = Math.round(tempo.bpm * beat * 4 * 100) / 100;
  return Math.min(TEMPO_MAX, Math.max(TEMPO_MIN, qpm));
}

/** The first voice's elements, line after line, with each line's key, meter and clef before them. */
function firstVoice(lines: readonly { readonly staff?: readonly AbcStaff[] }[]): AbcElement[] {
  const out: AbcElement[] = [];
  for (const line of lines) {
    const staff = line.staff?.[0];
    if (!staff) continue;
    if (staff.key) out.push({ el_type: 'key', ...staff.key });
    if (staff.meter) out.push({ el_type: 'meter', ...staff.meter });
    out.push({ ...staff.clef, el_type: 'clef' });
    out.push(...(staff.voices?.[0] ?? []));
  }
  return out;
}

/**
 * The indexes of elements inside an ending that another ending of the same group follows:
 * those are skipped, so that the tune is read once through with its last ending.
 */
function skippedEndings(voice: readonly AbcElement[]): Set<number> {
  const skipped = new Set<number>();
  for (let i = 0; i < voice.length; i++) {
    if (!voice[i]?.startEnding) continue;
    let end = i + 1;
    while (end < voice.length && !voice[end]?.endEnding) end++;
    if (end >= voice.length) continue; // runs to the end of the tune: the last ending
    // Another ending follows if one starts at the closing bar or before any later note.
    let next = end;
    let followed = false;
    while (next < voice.length && voice[next]?.el_type !== 'note') {
      if (voice[next]?.startEnding) followed = true;
      next++;
    }
    if (followed) for (let j = i + 1; j < end; j++) skipped.add(j);
  }
  return skipped;
}

/** A chord symbol at a time (whole notes), with its bar as written. */
interface TimedChord {
  readonly time: number;
  readonly name: string;
  readonly bar: number;
}

interface Walk {
  readonly notes: TimedNote[];
  readonly chords: TimedChord[];
  /** K: in effect at the first note. */
  readonly key?: Key;
  /** Whole notes before the first bar line that follows music, when more music follows it. */
  readonly firstBar: number | null;
  readonly timeSignature: TimeSignature;
}

function walk(voice: readonly AbcElement[], text: string): Walk {
  const notes: TimedNote[] = [];
  const chords: TimedChord[] = [];
  const skipped = skippedEndings(voice);
  let key = keyAccidentals(undefined);
  let keyElement: AbcKey | undefined;
  let startKey: Key | undefined;
  let barAccidentals = new Map<number, number>(); // staff position → semitones, until the bar line
  let transpose = 0;
  let time = 0;
  let tripletMultiplier = 0;
  let tie: { position: number; pitch: number } | null = null;
  let firstBar: number | null = null;
  let started = false;
  let timeSignature: TimeSignature | null = null;
  let meter: AbcMeter | undefined;
  let bar = 1; // as written: bar lines after the first note, plus one
  let musicAfterFirstBar = false;

  voice.forEach((el, index) => {
    switch (el.el_type) {
      case 'key':
        key = keyAccidentals(el);
        keyElement = el;
        return;
      case 'meter':
        meter = el as AbcMeter;
        return;
      case 'clef':
        transpose = clefTranspose(el);
        return;
      case 'bar':
        barAccidentals = new Map();
        if (started && firstBar === null) firstBar = time;
        if (started) bar++;
        return;
      case 'note':
        break;
      default:
        return; // overlays, text, MIDI directives…
    }
    // Chord symbols ride on notes, rests and spacers; annotations have another position.
    const symbol = el.chord?.find((c) => (c.position ?? 'default') === 'default');
    if (symbol && !skipped.has(index)) chords.push({ time, name: symbol.name, bar });
    if (el.rest?.type === 'spacer' || (!el.rest && !el.pitches?.length)) return;
    if (skipped.has(index)) return;
    if (!started) {
      timeSignature = meterToTimeSignature(meter);
      startKey = keyOf(keyElement);
    }
    started = true;
    if (firstBar !== null) musicAfterFirstBar = true;

    let duration = el.duration ?? 0;
    if (el.startTriplet) tripletMultiplier = el.tripletMultiplier ?? 1;
    if (tripletMultiplier) duration *= tripletMultiplier;
    if (el.endTriplet) tripletMultiplier = 0;
    const start = time;
    time += duration;

    const top = el.rest ? undefined : [...(el.pitches ?? [])].sort((a, b) => b.pitch - a.pitch)[0];
    if (!top) {
      tie = null;
      return;
    }
    for (const p of el.pitches ?? []) {
      if (p.accidental !== undefined) barAccidentals.set(p.pitch, ACCIDENTAL_SEMITONES[p.accidental] ?? 0);
    }
    const { octave, letter } = staffPosition(top.pitch);
    const alteration = barAccidentals.get(top.pitch) ?? key[letter] ?? 0;
    let pitch = 60 + 12 * octave + (SCALE[letter] ?? 0) + alteration + transpose;
    // A tie carries the pitch over the bar line, accidental included.
    if (tie && tie.position === top.pitch && top.accidental === undefined) pitch = tie.pitch;
    if (!isMidiPitch(pitch)) {
      const token = text.slice(el.startChar ?? 0, el.endChar ?? 0).trim();
      throw new NotationError(
        `bar ${bar}: '${token}' is MIDI ${pitch}, outside 0–127; check its octave marks (, lowers and ' raises an octave)`,
        bar,
        token,
      );
    }
    const last = notes[notes.length - 1];
    if (tie && last && tie.pitch === pitch && Math.abs(last.end - start) < 1e-9) {
      last.end = time;
    } else {
      notes.push({ pitch, start, end: time });
    }
    tie = top.startTie ? { position: top.pitch, pitch } : null;
  });

  // A short first bar is a pickup only when more music follows it.
  return {
    notes, chords, firstBar: musicAfterFirstBar ? firstBar : null, timeSignature: timeSignature ?? COMMON_TIME,
    ...(startKey ? { key: startKey } : {}),
  };
}

/**
 * Whole-note times → steps: starts and ends round to the nearest step, but each note starts at least
 * a step after the one before (notes shorter than a step, like 16th triplets or 32nds, would
 * otherwise share a step or vanish; the run is pushed a step late until a longer note absorbs it),
 * and a note is cut where the next one starts.
 */
function quantise(timed: readonly TimedNote[], shift: number): Note[] {
  const notes: Note[] = [];
  for (const t of timed) {
    const previous = notes[notes.length - 1];
    const start = Math.max(Math.round(t.start * WHOLE_STEPS) + shift, previous ? previous.start + 1 : 0);
    const duration = Math.max(1, Math.round(t.end * WHOLE_STEPS) + shift - start);
    if (previous && previous.start + previous.duration > start) {
      notes[notes.length - 1] = { ...previous, duration: start - previous.start };
    }
    notes.push({ pitch: t.pitch, start, duration, velocity: NOTATION_VELOCITY });
  }
  return notes;
}

/**
 * The chord symbols as spans on the notes' steps: a symbol on a note starts where that note was
 * placed (quantised), one on a rest or spacer at its rounded time; the last lasts to the end of the
 * melody's last bar.
 */
function chordSpans(chords: readonly TimedChord[], timed: readonly TimedNote[], notes: readonly Note[], shift: number, bar: number) {
  const marks: ChordMark[] = chords.map(({ time, name, bar: at }) => {
    const chord = readChordSymbol(name);
    if (chord === undefined) {
      throw new NotationError(`bar ${at}: the chord symbol '"${name}"' cannot be read; ${CHORD_HINT}`, at, `"${name}"`);
    }
    const i = timed.findIndex((t) => Math.abs(t.start - time) < 1e-9);
    return { start: i >= 0 ? notes[i]!.start : Math.max(0, Math.round(time * WHOLE_STEPS) + shift), chord };
  });
  return spansFromMarks(marks, Math.ceil(endStep(notes) / bar) * bar);
}

/** abcjs warnings look like `Music Line:3:15: Unknown character ignored:  C D <span …>H</span> E`. */
function warningError(warning: string, tuneText: string, tuneStart: number, voice: readonly AbcElement[]): NotationError {
  const match = /^Music Line:(\d+):(\d+): ([\s\S]*?):  ([\s\S]*)$/.exec(warning);
  const reason = (match?.[3] ?? warning).replace(/<[^>]*>/g, '').trim();
  const token = /<span[^>]*>([\s\S]*?)<\/span>/.exec(match?.[4] ?? warning)?.[1] ?? '';
  let bar = 1;
  let where = '';
  if (match) {
    const line = Number(match[1]);
    const column = Number(match[2]);
    const lineStart = tuneText.split('\n').slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
    const offset = tuneStart + lineStart + column - 1;
    let seenMusic = false;
    for (const el of voice) {
      if (el.startChar === undefined || el.startChar >= offset) continue;
      if (el.el_type === 'note') seenMusic = true;
      if (el.el_type === 'bar' && seenMusic) bar++;
    }
    where = ` (line ${line} of the tune, column ${column})`;
  }
  const shown = token ? `'${token}'` : 'the ABC';
  return new NotationError(
    `bar ${bar}: ${shown}${where} cannot be read — ${reason}; check the ABC there (notes are A–G and a–g with ^ _ = accidentals, z is a rest)`,
    bar,
    token,
  );
}

/** Parses one tune of an ABC text into a melody. See the top of this file for what is kept. */
export function parseAbc(text: string, options: AbcOptions = {}): Melody {
  const prepared = hideUnknownFields(text);
  if (!prepared.trim()) {
    throw new NotationError('bar 1: the ABC text is empty; paste a tune with X:, T:, M:, L: and K: lines and then its notes', 1, '');
  }
  const tunes = abcjs.parseOnly(prepared);
  const index = options.tune ?? 0;
  const tune = Number.isInteger(index) ? tunes[index] : undefined;
  if (!tune) {
    throw new NotationError(
      `bar 1: tune ${index} does not exist; the text holds ${tunes.length} tune${tunes.length === 1 ? '' : 's'} — pick 0 to ${tunes.length - 1}`,
      1,
      String(index),
    );
  }
  const voice = firstVoice(tune.lines as unknown as readonly { staff?: AbcStaff[] }[]);

  const problem = tune.warnings?.find((w) => !VISUAL_WARNINGS.some((v) => w.includes(`: ${v}:`)));
  if (problem) {
    const book = new abcjs.TuneBook(prepared).tunes[index];
    throw warningError(problem, book?.abc ?? prepared, book?.startPos ?? 0, voice);
  }

  const { notes: timed, chords: symbols, firstBar, timeSignature, key } = walk(voice, prepared);
  if (timed.length === 0) {
    throw new NotationError(
      "bar 1: no notes found in the ABC; the notes go on the lines after the K: line, like 'K:G' then 'GABc dedB|'",
      1,
      text.trim().slice(0, 40),
    );
  }
  const bar = stepsPerBar(timeSignature);
  const pickup = firstBar === null ? 0 : Math.round(firstBar * WHOLE_STEPS);
  const shift = pickup > 0 && pickup < bar ? bar - pickup : 0;
  const notes = quantise(timed, shift);
  const chords = chordSpans(symbols, timed, notes, shift, bar);

  const title = tune.metaText.title?.trim();
  const tempo = tune.metaText.tempo as AbcTempo | undefined;
  return {
    notes,
    tempo: tempoOf(tempo),
    ...(tempo?.bpm ? {} : { tempoIsDefault: true }),
    timeSignature,
    ...(title ? { title } : {}),
    ...(chords.length > 0 ? { chords } : {}),
    ...(key ? { key } : {}),
  };
}

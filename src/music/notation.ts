/**
 * The note-list notation people type in chat: a melody as a list of notes, one token each.
 * (docs/notation.md has the same summary with more examples.)
 *
 *   tempo=90 time=3/4 key=Gm          settings, before the first note or rest (any order; optional);
 *   title="Waltz"                     key= as parseKey reads it (G, F#m, "Bb minor")
 *   C4  F#5/8  Bb3/2.  E/8  G4.       notes: letter A–G (either case), accidental # ## b bb,
 *                                     octave (C4 = middle C = MIDI 60; -1…9), duration /1 /2 /4 /8 /16
 *                                     (whole … sixteenth), then an optional dot (×1.5)
 *   R  r/8  R/2.                      rests, with the same optional duration and dot
 *   C4/2~C4/8                         a tie joins two notes of the same pitch into one
 *   |  ||  |]                         optional bar lines; when present each bar is checked
 *   "G7" G4  "N.C."                   a chord symbol, quoted, before the note or rest it starts on (it may
 *                                     touch it: "G7"G4); it lasts to the next chord symbol or to the end
 *                                     of the melody's last bar; "N.C." stops the chord before
 *
 * Omitted parts carry over from the note before: the octave (starting at 4) and the duration
 * (starting at a quarter, /4). The dot does not carry: it lengthens only the note it is written on.
 * Tokens are separated by whitespace or commas; bar lines and ties may touch their notes (`C4|D4`).
 *
 * Time is on the domain's 16th-note grid (STEPS_PER_QUARTER steps per quarter), so a dotted 16th
 * (1.5 steps) is rejected. When bar lines are written, every bar must hold exactly one bar of the
 * time signature, except the first (a pickup, shifted so that the next bar line falls on a bar of
 * the result) and the last (which may end early). Without bar lines nothing is checked and the first
 * note starts bar 1. Errors are NotationErrors naming the bar (counted as written, from 1) and the
 * token, and saying what would be valid.
 */
import { NotationError } from '../errors.js';
import type { Chord } from './chord.js';
import { CHORD_HINT, readChordSymbol, spansFromMarks, type ChordMark } from './chord-bars.js';
import { parseKey, type Key } from './key.js';
import {
  COMMON_TIME,
  DEFAULT_TEMPO,
  MAX_MELODY_BARS,
  STEPS_PER_QUARTER,
  endStep,
  stepsPerBar,
  type Melody,
  type Note,
  type TimeSignature,
} from './melody.js';
import { isMidiPitch, midiNumber } from './pitch.js';

export const TEMPO_MIN = 20;
export const TEMPO_MAX = 400;
/** Text notations (this one and ABC) carry no dynamics: every note gets this velocity. */
export const NOTATION_VELOCITY = 100;

const WHOLE_STEPS = STEPS_PER_QUARTER * 4;
const DENOMINATORS = [1, 2, 4, 8, 16];
const NOTE_HINT = 'use a pitch letter A–G with an optional # or b and an octave, like C4 or F#5/8, or R for a rest';
const DURATION_HINT = 'use /1, /2, /4, /8 or /16 (whole, half, quarter, eighth or sixteenth), with an optional dot';
const SETTING_HINT = 'use tempo=120, time=3/4, key=G or title="My tune"';

const NOTE_RE = /^([A-Ga-g])(##|bb|#|b)?(-1|\d+)?(?:\/(\d+))?(\.)?$/;
const REST_RE = /^[Rr](?:\/(\d+))?(\.)?$/;
const SETTING_RE = /^([A-Za-z]+)=(.*)$/s;
// Bar lines and ties may touch their notes; longer bar forms first so `||` is not read as two bars.
const SPLIT_RE = /(\|\||\|\]|:\||\|:|\||~)/;
const QUOTES = '"“”';
// A chord symbol in quotes, possibly touching the note after it ("G7"G4).
const CHORD_RE = /^["“”]([^"“”]*)["“”](.*)$/s;
const ACCIDENTALS: Record<string, number> = { '#': 1, '##': 2, b: -1, bb: -2 };

/** A bar's first note or rest, written without a duration, that keeps one written in an earlier bar. */
interface Carried {
  readonly token: string;
  readonly denominator: number;
  readonly from: string;
  readonly fromBar: number;
}

interface Settings {
  tempo: number;
  tempoIsDefault?: boolean;
  timeSignature: TimeSignature;
  title?: string;
  key?: Key;
}

/** A note as parsed, with where it was written (for errors found after the whole text is read). */
interface Written {
  note: Note;
  bar: number;
  token: string;
}

/** Splits on whitespace and commas, keeping quoted text (a title) in one token. */
function rawTokens(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (QUOTES.includes(ch)) quoted = !quoted;
    if (!quoted && (/\s/.test(ch) || ch === ',')) {
      if (current) tokens.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) {
    const hint = /^["“”]/.test(current) ? `close the chord symbol, like "G7" G4` : SETTING_HINT;
    throw new NotationError(`bar 1: '${current}' has no closing quote; ${hint}`, 1, current);
  }
  if (current) tokens.push(current);
  return tokens;
}

/** A chord symbol that touches its note (`"G7"G4`) becomes two tokens. */
function splitChordSymbol(part: string): string[] {
  const match = CHORD_RE.exec(part);
  if (!match || match[2] === '') return [part];
  return [part.slice(0, part.length - match[2]!.length), ...splitChordSymbol(match[2]!)];
}

/** Settings stay whole (a title may hold `|`); everything else is split at bar lines, ties and chord symbols. */
function tokens(text: string): string[] {
  return rawTokens(text).flatMap((raw) =>
    SETTING_RE.test(raw) ? [raw] : raw.split(SPLIT_RE).filter((part) => part !== '').flatMap(splitChordSymbol),
  );
}

function isBarLine(token: string): boolean {
  return token === '|' || token === '||' || token === '|]';
}

function formatBeats(steps: number, ts: TimeSignature): string {
  const beats = (steps * ts.denominator) / WHOLE_STEPS;
  const text = Number.isInteger(beats) ? String(beats) : beats.toFixed(2).replace(/0+$/, '');
  return `${text} beat${beats === 1 ? '' : 's'}`;
}

function applySetting(settings: Settings, token: string, bar: number): void {
  const [, rawKey = '', rawValue = ''] = SETTING_RE.exec(token) ?? [];
  const key = rawKey.toLowerCase();
  const value = rawValue.trim();
  if (key === 'tempo' || key === 'bpm') {
    const tempo = Number(value);
    if (!/^\d+$/.test(value) || tempo < TEMPO_MIN || tempo > TEMPO_MAX) {
      throw new NotationError(
        `bar ${bar}: '${token}' is not a tempo; use a whole number of quarter notes per minute from ${TEMPO_MIN} to ${TEMPO_MAX}, like tempo=120`,
        bar,
        token,
      );
    }
    settings.tempo = tempo;
    settings.tempoIsDefault = false;
  } else if (key === 'time') {
    const match = /^(\d+)\/(\d+)$/.exec(value);
    const numerator = Number(match?.[1]);
    const denominator = Number(match?.[2]);
    if (!match || numerator < 1 || numerator > 16 || !DENOMINATORS.includes(denominator)) {
      throw new NotationError(
        `bar ${bar}: '${token}' is not a time signature; use time=N/D with N from 1 to 16 and D one of 1, 2, 4, 8, 16, like time=3/4`,
        bar,
        token,
      );
    }
    settings.timeSignature = { numerator, denominator };
  } else if (key === 'title') {
    const title = [...value].filter((ch) => !QUOTES.includes(ch)).join('').trim();
    if (title) settings.title = title;
  } else if (key === 'key') {
    const parsed = parseKey([...value].filter((ch) => !QUOTES.includes(ch)).join(''));
    if (!parsed) {
      throw new NotationError(`bar ${bar}: '${token}' is not a key; use a tonic A–G with an optional # or b, and m for minor, like key=G, key=F#m or key=Bbm`, bar, token);
    }
    settings.key = parsed;
  } else {
    throw new NotationError(`bar ${bar}: '${token}' is not a setting; ${SETTING_HINT}`, bar, token);
  }
}

/** Steps of a `/N` duration with an optional dot; `denominator` is the written or carried N. */
function durationSteps(denominator: number, dotted: boolean, token: string, bar: number): number {
  if (!DENOMINATORS.includes(denominator)) {
    throw new NotationError(`bar ${bar}: '${token}' has an unknown duration; ${DURATION_HINT}`, bar, token);
  }
  const steps = WHOLE_STEPS / denominator;
  if (!dotted) return steps;
  if (steps % 2 !== 0) {
    throw new NotationError(
      `bar ${bar}: '${token}' is a dotted 16th, which falls between the steps of Continuo's 16th-note grid; use /16 or /8 instead`,
      bar,
      token,
    );
  }
  return steps * 1.5;
}

/** Parses the note-list notation described at the top of this file. */
export function parseNotation(text: string): Melody {
  const list = tokens(text);
  const settings: Settings = { tempo: DEFAULT_TEMPO, tempoIsDefault: true, timeSignature: COMMON_TIME };
  const hasBarLines = list.some(isBarLine);
  const written: Written[] = [];

  let pos = 0; // step where the next note or rest starts (before any pickup shift)
  let octave = 4;
  let denominator = 4;
  let started = false; // a note or rest has been read: settings are closed
  let tie: { pitch: number; token: string } | null = null;
  let lastWasNote = false;
  const marks: ChordMark[] = []; // chord symbols, at the step of the note or rest after them
  let pendingChord: { chord: Chord | null; token: string } | null = null;

  // Bar bookkeeping, used only when bar lines are written.
  let bar = 1;
  let barStart = 0;
  let barTokens: string[] = [];
  let pickup: number | null = null; // length of a short first bar
  let shortBar: { bar: number; steps: number; tokens: string[]; carried: Carried | null } | null = null;
  let musicAfterFirstBar = false;
  let durationWritten: { bar: number; token: string; denominator: number } | null = null; // the duration in effect
  let barCarried: Carried | null = null; // the bar's first note took a duration other than /4 from an earlier bar
  let barHasEvent = false;

  const barSteps = (): number => stepsPerBar(settings.timeSignature);
  const barHere = (): number => (hasBarLines ? bar : Math.floor(pos / barSteps()) + 1);
  const describeBar = (n: number, toks: readonly string[]): string => `bar ${n} ('${toks.join(' ')}')`;
  // A duration carries over bar lines, so a bar can be wrong only because of the one before it.
  const carriedNote = (c: Carried | null): string =>
    c ? `'${c.token}' has no duration and keeps the /${c.denominator} of '${c.from}' in bar ${c.fromBar} (a duration carries over to the notes after it); ` : '';

  const checkOverfull = (): void => {
    const steps = pos - barStart;
    if (steps > barSteps()) {
      const ts = settings.timeSignature;
      throw new NotationError(
        `${describeBar(bar, barTokens)} holds ${formatBeats(steps, ts)}; a ${ts.numerator}/${ts.denominator} bar holds ${formatBeats(barSteps(), ts)} — ${carriedNote(barCarried)}check the durations`,
        bar,
        barTokens.join(' '),
      );
    }
  };

  const closeBar = (): void => {
    const steps = pos - barStart;
    if (bar === 1 && barTokens.length === 0) return; // a bar line before the first note
    checkOverfull();
    if (bar === 1) {
      if (steps < barSteps()) pickup = steps;
    } else if (steps < barSteps()) {
      shortBar = { bar, steps, tokens: barTokens, carried: barCarried };
    }
    bar += 1;
    barStart = pos;
    barTokens = [];
    barCarried = null;
    barHasEvent = false;
  };

  // A short bar is fine as the last one; it is an error once more music follows it.
  const beginEvent = (): void => {
    started = true;
    if (shortBar) {
      const ts = settings.timeSignature;
      throw new NotationError(
        `${describeBar(shortBar.bar, shortBar.tokens)} holds ${formatBeats(shortBar.steps, ts)}; a ${ts.numerator}/${ts.denominator} bar holds ${formatBeats(barSteps(), ts)} — only the first bar (a pickup) and the last may be shorter; ${carriedNote(shortBar.carried)}check the durations`,
        shortBar.bar,
        shortBar.tokens.join(' '),
      );
    }
    if (hasBarLines && bar > 1) musicAfterFirstBar = true;
  };

  for (const token of list) {
    if (SETTING_RE.test(token)) {
      if (started) {
        throw new NotationError(
          `bar ${barHere()}: '${token}' comes after the first note; put settings before the first note or rest`,
          barHere(),
          token,
        );
      }
      applySetting(settings, token, 1);
      continue;
    }
    const chordSymbol = CHORD_RE.exec(token);
    if (chordSymbol) {
      if (pendingChord) {
        throw new NotationError(
          `bar ${barHere()}: '${pendingChord.token}' and '${token}' are two chord symbols before one note or rest; keep one`,
          barHere(),
          token,
        );
      }
      const chord = readChordSymbol(chordSymbol[1] ?? '');
      if (chord === undefined) {
        throw new NotationError(`bar ${barHere()}: '${token}' is not a chord symbol; ${CHORD_HINT}, in quotes before the note it starts on, like "G7" G4`, barHere(), token);
      }
      pendingChord = { chord, token };
      continue;
    }
    if (isBarLine(token)) {
      closeBar();
      continue;
    }
    if (token === ':|' || token === '|:') {
      throw new NotationError(
        `bar ${barHere()}: '${token}' is a repeat sign, which this notation does not have; write the repeated bars out`,
        barHere(),
        token,
      );
    }
    if (token === '~') {
      if (!lastWasNote || tie) {
        throw new NotationError(`bar ${barHere()}: '~' must come right after a note, to tie it to the next note of the same pitch`, barHere(), token);
      }
      const last = written[written.length - 1];
      tie = { pitch: last?.note.pitch ?? 0, token: last?.token ?? '' };
      barTokens.push(token);
      continue;
    }

    const rest = REST_RE.exec(token);
    const note = rest ? null : NOTE_RE.exec(token);
    if (!rest && !note) {
      // Name the actual problem when the token looks like a note with a bad duration.
      if (/^[A-Ga-gRr](?:##|bb|#|b)?(?:-1|\d+)?\/\d*\.?$/.test(token)) {
        throw new NotationError(`bar ${barHere()}: '${token}' has an unknown duration; ${DURATION_HINT}`, barHere(), token);
      }
      throw new NotationError(`bar ${barHere()}: '${token}' is not a note; ${NOTE_HINT}`, barHere(), token);
    }

    beginEvent();
    if (pendingChord) {
      marks.push({ start: pos, chord: pendingChord.chord });
      pendingChord = null;
    }
    const writtenDenominator = rest ? rest[1] : note?.[4];
    if (writtenDenominator !== undefined) {
      denominator = Number(writtenDenominator);
      durationWritten = { bar: barHere(), token, denominator };
    } else if (hasBarLines && !barHasEvent && durationWritten && durationWritten.bar < bar && denominator !== 4) {
      // A bare note is taken for a quarter: say when it is not.
      barCarried = { token, denominator, from: durationWritten.token, fromBar: durationWritten.bar };
    }
    barHasEvent = true;
    const dotted = (rest ? rest[2] : note?.[5]) === '.';
    const duration = durationSteps(denominator, dotted, token, barHere());
    barTokens.push(token);

    if (rest) {
      if (tie) {
        throw new NotationError(`bar ${barHere()}: '~' after '${tie.token}' is followed by the rest '${token}'; a tie joins two notes of the same pitch`, barHere(), token);
      }
      lastWasNote = false;
    } else if (note) {
      const [, letter = 'C', accidental = '', octaveText] = note;
      if (octaveText !== undefined) octave = Number(octaveText);
      const pitch = midiNumber(letter, ACCIDENTALS[accidental] ?? 0, octave);
      if (!isMidiPitch(pitch)) {
        throw new NotationError(
          `bar ${barHere()}: '${token}' is MIDI ${pitch}, outside 0–127; use a pitch from C-1 to G9 (octaves -1 to 9)`,
          barHere(),
          token,
        );
      }
      const previous = written[written.length - 1];
      if (tie && previous) {
        if (tie.pitch !== pitch) {
          throw new NotationError(
            `bar ${barHere()}: '~' ties '${tie.token}' to '${token}', a different pitch; a tie joins two notes of the same pitch`,
            barHere(),
            token,
          );
        }
        written[written.length - 1] = { ...previous, note: { ...previous.note, duration: previous.note.duration + duration } };
      } else {
        written.push({ note: { pitch, start: pos, duration, velocity: NOTATION_VELOCITY }, bar: barHere(), token });
      }
      lastWasNote = true;
    }
    tie = null;
    pos += duration;
  }

  if (tie) {
    throw new NotationError(`bar ${barHere()}: '~' after '${tie.token}' has no note to tie to; end with a note or remove the '~'`, barHere(), '~');
  }
  if (pendingChord) {
    throw new NotationError(
      `bar ${barHere()}: the chord symbol '${pendingChord.token}' has no note or rest after it; write a chord symbol before the note it starts on, like "G7" G4`,
      barHere(),
      pendingChord.token,
    );
  }
  if (hasBarLines && barTokens.length > 0) checkOverfull(); // the last bar, when no bar line closes it
  if (written.length === 0) {
    const token = text.trim().slice(0, 40);
    const what = token ? `no notes found in '${token}'` : 'the melody is empty';
    throw new NotationError(`bar 1: ${what}; write notes like C4 D4 E4/2 (R is a rest)`, 1, token);
  }

  // A short first bar is a pickup: shift it so that the second bar starts on a bar line.
  const shift = pickup !== null && musicAfterFirstBar ? barSteps() - pickup : 0;
  const limit = MAX_MELODY_BARS * barSteps();
  const notes = written.map(({ note, bar: at, token }) => {
    const shifted = { ...note, start: note.start + shift };
    if (shifted.start + shifted.duration > limit) {
      throw new NotationError(
        `bar ${at}: '${token}' ends after bar ${MAX_MELODY_BARS}; Continuo takes melodies of up to ${MAX_MELODY_BARS} bars — shorten it`,
        at,
        token,
      );
    }
    return shifted;
  });
  const end = Math.ceil(endStep(notes) / barSteps()) * barSteps();
  const chords = spansFromMarks(marks.map((m) => ({ ...m, start: m.start + shift })), end);

  return {
    notes,
    tempo: settings.tempo,
    ...(settings.tempoIsDefault ? { tempoIsDefault: true } : {}),
    timeSignature: settings.timeSignature,
    ...(settings.title !== undefined ? { title: settings.title } : {}),
    ...(chords.length > 0 ? { chords } : {}),
    ...(settings.key ? { key: settings.key } : {}),
  };
}

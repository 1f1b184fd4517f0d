import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Chord, ChordQuality, ChordSpan } from '../../music/chord.js';
import { InvalidInputError } from '../../errors.js';
import { monophonic, type Note, type TimeSignature } from '../../music/melody.js';
import { timedTracksFromMidi, type TimedNote } from '../../music/midi.js';
import { splitBass } from '../../music/voicing.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { TrainingData } from '../train-model.js';
import { declaredMeter, meterMatches, meterName, regularStretches, type MeterChoice, type PieceContent } from './harmony.js';
import { filesUnder, piecesFromFiles, skipSummary } from './midi-folder.js';
import { sheetRows } from './xlsx.js';

/**
 * Pop instrumentation for POP909's roles: the sung MELODY as a flute-like lead, the BRIDGE (secondary
 * melody) on electric piano, and the PIANO part split into its chords and its lowest line, which a bass
 * guitar plays.
 */
export const POP_TRACKS: ModelTrack[] = [
  { name: 'Melody', program: 73, isDrum: false, role: 'melody', monophonic: true },
  { name: 'Bridge', program: 4, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Piano', program: 0, isDrum: false, role: 'accompaniment', monophonic: false },
  { name: 'Bass', program: 33, isDrum: false, role: 'accompaniment', monophonic: true },
];

/** The piano's lowest line counts as bass below G3 (left-hand register); higher, it stays in the chords. */
const BASS_BELOW = 55;

const ROOTS: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/**
 * Harte-syntax chord qualities (POP909's `chord_midi.txt`, `Root:quality(extensions)/bass`) reduced to
 * ours: sixths and added tones to their triad, sus2 to major (pop uses it as a coloured major chord),
 * 7sus4 (`sus4(b7)`) to the dominant seventh it stands for, ninths and beyond to their seventh.
 */
const HARTE_QUALITIES: Readonly<Record<string, ChordQuality>> = {
  maj: 'maj', min: 'min', dim: 'dim', aug: 'aug', sus4: 'sus4', sus2: 'maj', '5': 'maj', '1': 'maj',
  '7': '7', maj7: 'maj7', min7: 'm7', hdim7: 'm7b5', dim7: 'dim7', minmaj7: 'min', maj6: 'maj', min6: 'min',
  '9': '7', maj9: 'maj7', min9: 'm7', '11': '7', min11: 'm7', '13': '7', maj13: 'maj7', min13: 'm7',
};

/** A Harte chord label (`C:maj`, `A:min7/b7`, `D:sus4(b7)`, `Bb:maj6`); undefined for `N`, `X` and unknown labels. */
export function parseHarteChord(label: string): Chord | undefined {
  const m = /^([A-G])([b#]*):?([^(/]*)(\(([^)]*)\))?/.exec(label.trim());
  if (!m) return undefined;
  const root = (ROOTS[m[1]] + [...m[2]].reduce((a, c) => a + (c === '#' ? 1 : -1), 0) + 12) % 12;
  const written = m[3] || 'maj';
  const extensions = (m[5] ?? '').split(',').map((e) => e.trim());
  // sus4 with a flat seventh is the suspended dominant.
  const quality = written === 'sus4' && extensions.includes('b7') ? '7' : HARTE_QUALITIES[written];
  return quality ? { root, quality } : undefined;
}

/** A song's metre in index.xlsx: beats per bar and 8ths per beat (2 and 2: 4/4 counted in half bars). */
interface SongMeter {
  readonly beatsPerMeasure: number;
  readonly quaversPerBeat: number;
}

/**
 * How a song's annotated beats become bars: which `beat_midi.txt` column marks the bar lines (1: every
 * measure, 2: every other one), beats per bar and steps per beat.
 */
interface Grid {
  readonly timeSignature: TimeSignature;
  readonly barColumn: 1 | 2;
  readonly beatsPerBar: number;
  readonly stepsPerBeat: number;
}

/**
 * POP909 counts most songs in 2-beat measures (`beat_midi.txt` column 2) and marks every other one
 * (column 3): that is a 4/4 bar of quarter beats. Songs of 3 beats are 3/4; songs of 2 beats of three
 * 8ths are 6/8 (a beat is a dotted quarter, 6 steps); 3 beats of three 8ths (9/8) are left out.
 */
function gridOf(meter: SongMeter): Grid | undefined {
  const { beatsPerMeasure: beats, quaversPerBeat: quavers } = meter;
  if (beats === 2 && quavers === 2) return { timeSignature: { numerator: 4, denominator: 4 }, barColumn: 2, beatsPerBar: 4, stepsPerBeat: 4 };
  if (beats === 3 && quavers === 2) return { timeSignature: { numerator: 3, denominator: 4 }, barColumn: 1, beatsPerBar: 3, stepsPerBeat: 4 };
  if (beats === 2 && quavers === 3) return { timeSignature: { numerator: 6, denominator: 8 }, barColumn: 1, beatsPerBar: 2, stepsPerBeat: 6 };
  return undefined;
}

/** The meters in `index.xlsx` (columns song_id, num_beats_per_measure, num_quavers_per_beat), by song. */
async function songMeters(dir: string): Promise<Map<string, SongMeter>> {
  const meters = new Map<string, SongMeter>();
  const file = join(dir, 'index.xlsx');
  if (!existsSync(file)) return meters;
  for (const row of sheetRows(await readFile(file))) {
    const beatsPerMeasure = Number(row.num_beats_per_measure);
    const quaversPerBeat = Number(row.num_quavers_per_beat);
    if (row.song_id && beatsPerMeasure > 0 && quaversPerBeat > 0) meters.set(row.song_id.padStart(3, '0'), { beatsPerMeasure, quaversPerBeat });
  }
  return meters;
}

/** Without index.xlsx: 3-beat measures when column 2 mostly marks every third beat, else 2; two 8ths a beat. */
function meterFromBeats(flags: readonly (readonly [number, number])[]): SongMeter {
  const marks = flags.flatMap((f, i) => (f[0] === 1 ? [i] : []));
  const gaps = marks.slice(1).map((m, i) => m - marks[i]);
  const threes = gaps.filter((g) => g === 3).length;
  return { beatsPerMeasure: threes > gaps.length / 2 ? 3 : 2, quaversPerBeat: 2 };
}

/** Beat times (s) and their downbeat flags: `beat_midi.txt` rows `time flag(measure) flag(two measures)`. */
function readBeats(text: string): { times: number[]; flags: [number, number][] } {
  const rows = text.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter((r) => r.length >= 3 && r.every(Number.isFinite));
  return { times: rows.map((r) => r[0]), flags: rows.map((r) => [r[1], r[2]]) };
}

/** Seconds → fractional beat index, linear between annotated beats (and beyond them at the nearest beat's pace). */
export function beatPosition(times: readonly number[], t: number): number {
  const n = times.length;
  if (n < 2) return 0;
  if (t <= times[0]) return (t - times[0]) / (times[1] - times[0]);
  if (t >= times[n - 1]) return n - 1 + (t - times[n - 1]) / (times[n - 1] - times[n - 2]);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo + (t - times[lo]) / (times[lo + 1] - times[lo]);
}

type Timed = readonly TimedNote[];

/** Notes whose onset lies in a stretch, on its step grid from its first downbeat; cut at its end. */
function stretchNotes(notes: Timed, times: readonly number[], stretch: { start: number; end: number }, stepsPerBeat: number): Note[] {
  const limit = (stretch.end - stretch.start) * stepsPerBeat;
  const out: Note[] = [];
  for (const n of notes) {
    const on = beatPosition(times, n.time);
    if (on < stretch.start - 0.5 / stepsPerBeat || on >= stretch.end - 0.5 / stepsPerBeat) continue;
    const start = Math.max(0, Math.round((on - stretch.start) * stepsPerBeat));
    const end = Math.min(limit, Math.round((beatPosition(times, n.time + n.duration) - stretch.start) * stepsPerBeat));
    if (start < limit) out.push({ pitch: n.pitch, start, duration: Math.max(1, end - start), velocity: n.velocity });
  }
  return out;
}

/** `chord_midi.txt` rows `start end label` on a stretch's grid; `N` (no chord) leaves a gap. */
function stretchChords(text: string, times: readonly number[], stretch: { start: number; end: number }, stepsPerBeat: number): ChordSpan[] {
  const limit = (stretch.end - stretch.start) * stepsPerBeat;
  const spans: ChordSpan[] = [];
  for (const line of text.split('\n')) {
    const [from, to, label] = line.trim().split(/\s+/);
    const chord = label ? parseHarteChord(label) : undefined;
    if (!chord) continue;
    const step = (t: number) => Math.round((beatPosition(times, t) - stretch.start) * stepsPerBeat);
    const start = Math.max(0, step(Number(from)));
    const end = Math.min(limit, step(Number(to)));
    if (Number.isFinite(start) && end > start) spans.push({ start, duration: end - start, chord });
  }
  return spans;
}

/**
 * One song as pieces: its stretches of whole bars (usually one per section), each from its first downbeat.
 * Notes are placed by interpolating their times between the annotated beats, so that tempo drift and
 * notes played a little early or late land on the beat grid; notes before the first downbeat (a pickup,
 * count-in noise) are dropped. A reason string when skipped.
 */
export function pop909Song(files: { midi: Uint8Array; beats: string; chords?: string }, meter: SongMeter | undefined, meters: MeterChoice = 'duple'): PieceContent[] | string {
  const tracks = timedTracksFromMidi(files.midi);
  const track = (name: string) => tracks.find((t) => t.name.trim().toUpperCase() === name)?.notes;
  const [melody, bridge, piano] = [track('MELODY'), track('BRIDGE'), track('PIANO')];
  if (!melody?.length || !bridge || !piano?.length) return 'without MELODY, BRIDGE and PIANO tracks';
  const { times, flags } = readBeats(files.beats);
  if (times.length < 4) return 'without beats';
  const grid = gridOf(meter ?? meterFromBeats(flags));
  if (!grid) return `in ${meter?.beatsPerMeasure ?? '?'} beats of ${meter?.quaversPerBeat ?? '?'} 8ths`;
  if (!meterMatches(grid.timeSignature, meters)) return `in ${meterName(grid.timeSignature)}`;
  const bars = flags.flatMap((f, i) => (f[grid.barColumn - 1] === 1 ? [i] : []));
  if (bars.length === 0) return 'without downbeats';
  const pieces: PieceContent[] = [];
  for (const stretch of regularStretches(bars, times.length, grid.beatsPerBar)) {
    const at = (notes: Timed) => stretchNotes(notes, times, stretch, grid.stepsPerBeat);
    const line = monophonic(at(melody));
    if (line.length === 0) continue;
    const chords = files.chords === undefined ? undefined : stretchChords(files.chords, times, stretch, grid.stepsPerBeat);
    // A chord-conditioned model needs chords on every piece: a stretch labelled N throughout is left out.
    if (chords?.length === 0) continue;
    const { bass, upper } = splitBass(at(piano), BASS_BELOW);
    pieces.push({
      tracks: [line, monophonic(at(bridge)), upper, bass],
      ...(chords ? { chords, chordSource: 'label' as const } : {}),
      timeSignature: grid.timeSignature,
    });
  }
  return pieces.length > 0 ? pieces : 'without melody in whole bars';
}

/**
 * POP909 (`POP909/NNN/NNN.mid`, tracks MELODY, BRIDGE and PIANO, with `beat_midi.txt`, `chord_midi.txt`
 * and the meters in `index.xlsx`): songs of the chosen meter family, on their annotated beats (4 steps a
 * beat, 6 in 6/8), each stretch of whole bars a piece (`NNN/NNN.mid#k`); the split goes by song.
 */
export async function pop909TrainingData(given: string, options: { meters?: MeterChoice } = {}): Promise<TrainingData> {
  const meters = options.meters ?? 'duple';
  // The repository's folder (holding POP909/) reads as its POP909 folder: pieces are named, and so
  // split, the same way whichever of the two a user names.
  const dir = !existsSync(join(given, 'index.xlsx')) && existsSync(join(given, 'POP909', 'index.xlsx')) ? join(given, 'POP909') : given;
  const files = await filesUnder(dir, /^\d+\.mid$/i);
  if (files.length === 0) throw new InvalidInputError(`no POP909 songs (NNN/NNN.mid) under ${given}`);
  const indexDir = dir;
  const songMeter = await songMeters(indexDir);
  const { splits, skips, pieces } = await piecesFromFiles(
    dir,
    files,
    async (file) => {
      const folder = dirname(file);
      const text = async (name: string) => (existsSync(join(folder, name)) ? readFile(join(folder, name), 'utf8') : undefined);
      const beats = await text('beat_midi.txt');
      if (beats === undefined) return 'without beat_midi.txt';
      const song = pop909Song({ midi: await readFile(file), beats, chords: await text('chord_midi.txt') }, songMeter.get(basename(folder)), meters);
      return typeof song === 'string' ? song : { segments: song };
    },
  );
  const all = [...splits.train, ...splits.valid, ...splits.test];
  const timeSignature = declaredMeter(all.map((p) => p.timeSignature), meters);
  return {
    name: `POP909 ${meters} (${files.length - skips.length} songs in ${pieces} stretches of whole bars on the annotated beats, chords from chord_midi.txt; ${skipSummary(skips)}); piano split into chords and bass`,
    ...splits,
    tracks: POP_TRACKS.map((t) => ({ ...t })),
    ...(timeSignature ? { timeSignature } : {}),
  };
}

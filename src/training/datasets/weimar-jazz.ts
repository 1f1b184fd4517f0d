import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InvalidInputError } from '../../errors.js';
import { monophonic, STEPS_PER_QUARTER, type Note } from '../../music/melody.js';
import { chordPitchClasses, voiceChord } from '../../music/voicing.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { TrainingData } from '../train-model.js';
import { parseChordSymbol, spansFromSteps, type Chord, type ChordSpan } from '../../music/chord.js';
import { filesUnder, piecesFromFiles, skipSummary } from './midi-folder.js';

/** A jazz trio behind the soloist: tenor sax on the melody, walking acoustic bass, piano comping. */
export const JAZZ_TRACKS: ModelTrack[] = [
  { name: 'Tenor sax', program: 66, isDrum: false, role: 'melody', monophonic: true },
  { name: 'Bass', program: 32, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Piano', program: 0, isDrum: false, role: 'accompaniment', monophonic: false },
];

type Row = Record<string, string>;

/** Step of a beat (1-based) in a bar, counted from the piece's first bar (see `firstWholeBar`). */
const beatStep = (bar: number, beat: number, firstBar: number) => ((bar - firstBar) * 4 + beat - 1) * STEPS_PER_QUARTER;

const signatureOf = (row: Row) => row.signature.replace(/['"]/g, '');

function isCommonTime(rows: readonly Row[]): boolean {
  return rows.every((r) => signatureOf(r) === '4/4');
}

/**
 * The piece's first bar: the first bar whose downbeat is in the beat track. The database numbers the
 * first chorus from bar 1; a solo that starts early does so in bar 0 (or −1), and the beat track starts
 * with that bar's first annotated beat: a whole bar there (beat 1 annotated) is a bar of the piece, beats
 * 2–4 only are a pickup, dropped.
 */
export function firstWholeBar(beats: readonly Row[]): number {
  return Math.min(...beats.filter((r) => Number(r.beat) === 1).map((r) => Number(r.bar)));
}

/** The chord labels of the beat track as spans: each beat's chord for its four steps, equal neighbours merged; NC is no chord. */
function labelledChords(beats: readonly Row[], firstBar: number): ChordSpan[] {
  const perStep: (Chord | undefined)[] = [];
  for (const r of beats) {
    const start = beatStep(Number(r.bar), Number(r.beat), firstBar);
    if (start < 0) continue;
    const chord = parseChordSymbol(r.chord);
    for (let s = start; s < start + STEPS_PER_QUARTER; s++) perStep[s] = chord;
  }
  return spansFromSteps(Array.from(perStep));
}

/** The soloist's notes on the 16th grid, placed by bar, beat and tatum (the database's own metrical grid). */
function soloNotes(rows: readonly Row[], firstBar: number): Note[] {
  const notes: Note[] = [];
  for (const r of rows) {
    const [bar, beat, tatum, division] = [Number(r.bar), Number(r.beat), Number(r.tatum), Number(r.division)];
    const pitch = Math.round(Number(r.pitch));
    if (![bar, beat, tatum, division, pitch].every(Number.isFinite) || division <= 0) continue;
    const start = beatStep(bar, beat, firstBar) + Math.round(((tatum - 1) / division) * STEPS_PER_QUARTER);
    const duration = Math.max(1, Math.round((Number(r.duration) / Number(r.beat_duration)) * STEPS_PER_QUARTER));
    if (start >= 0 && Number.isFinite(duration)) notes.push({ pitch, start, duration, velocity: 90 });
  }
  return monophonic(notes);
}

/** The annotated walking bass: one quarter note per beat that has a bass pitch. */
function bassNotes(beats: readonly Row[], firstBar: number): Note[] {
  return beats.flatMap((r) => {
    const pitch = Number(r.bass);
    if (r.bass === '' || !Number.isFinite(pitch)) return [];
    return [{ pitch: Math.round(pitch), start: beatStep(Number(r.bar), Number(r.beat), firstBar), duration: STEPS_PER_QUARTER, velocity: 85 }];
  });
}

/**
 * Piano comping voiced from the chord labels: each chord sounds from its first beat to the next change
 * (struck again on every bar line), as a close four-note voicing that moves as little as it can.
 */
function compingNotes(beats: readonly Row[], firstBar: number): Note[] {
  const notes: Note[] = [];
  let previous: number[] | undefined;
  let i = 0;
  while (i < beats.length) {
    const chord = beats[i].chord;
    let j = i + 1;
    while (j < beats.length && beats[j].chord === chord && Number(beats[j].bar) === Number(beats[i].bar)) j++;
    const parsed = chordPitchClasses(chord);
    if (parsed) {
      const voicing = voiceChord(parsed.pitchClasses, parsed.root, previous);
      const start = beatStep(Number(beats[i].bar), Number(beats[i].beat), firstBar);
      const duration = (j - i) * STEPS_PER_QUARTER;
      if (start >= 0) for (const pitch of voicing) notes.push({ pitch, start, duration, velocity: 70 });
      previous = voicing;
    }
    i = j;
  }
  return notes;
}

/**
 * The Weimar Jazz Database solos as prepared for the Jazz Transformer: `mcsv_melody/*_FINAL.csv` (the
 * solo) and `mcsv_beat/*_FINAL_beattrack.csv` (per beat: chord label and walking-bass pitch). Solos in
 * 4/4 with a bass annotation are read, from their first whole bar; the piano part is voiced from the
 * chord labels, which are also the piece's chords.
 */
export async function weimarJazzTrainingData(dir: string): Promise<TrainingData> {
  const files = await filesUnder(join(dir, 'mcsv_melody'), /_FINAL\.csv$/);
  if (files.length === 0) throw new InvalidInputError(`no solos (mcsv_melody/*_FINAL.csv) under ${dir}`);
  const { splits, skips } = await piecesFromFiles(join(dir, 'mcsv_melody'), files, async (file) => {
    const beatFile = join(dir, 'mcsv_beat', basename(file).replace(/\.csv$/, '_beattrack.csv'));
    const options = { columns: true, skip_empty_lines: true } as const;
    const melody = parse(await readFile(file, 'utf8'), options) as Row[];
    const beats = (parse(await readFile(beatFile, 'utf8'), options) as Row[]).filter((r) => Number.isFinite(Number(r.bar)));
    if (melody.length === 0 || beats.length === 0) return 'without notes or beats';
    if (!isCommonTime(melody) || !isCommonTime(beats)) return `in ${signatureOf(beats.find((r) => signatureOf(r) !== '4/4') ?? melody[0])}`;
    const firstBar = firstWholeBar(beats);
    const bass = bassNotes(beats, firstBar).filter((n) => n.start >= 0);
    if (bass.length === 0) return 'without walking bass';
    // A chord-conditioned model needs chords on every piece: free-jazz solos (all NC) are left out.
    const chords = labelledChords(beats, firstBar);
    if (chords.length === 0) return 'without chord labels';
    return {
      tracks: [soloNotes(melody, firstBar), bass, compingNotes(beats, firstBar)],
      chords,
      chordSource: 'label' as const,
      timeSignature: { numerator: 4, denominator: 4 },
    };
  });
  return {
    name: `Weimar Jazz Database solos (${files.length - skips.length} in 4/4 with walking bass, from the first whole bar; ${skipSummary(skips)}); piano voiced from the chord labels`,
    ...splits,
    tracks: JAZZ_TRACKS.map((t) => ({ ...t })),
  };
}

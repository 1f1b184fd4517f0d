import { readFile } from 'node:fs/promises';
import toneMidi from '@tonejs/midi';
import { InvalidInputError } from '../../errors.js';
import { monophonic, STEPS_PER_QUARTER, stepsPerBar, type Note, type TimeSignature } from '../../music/melody.js';
import { scoreToMidiWithBars } from '../../music/musicxml.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { TrainingData } from '../train-model.js';
import { analysedChords, beatSteps, declaredMeter, meterMatches, meterName, regularStretches, type MeterChoice, type PieceContent } from './harmony.js';
import { filesUnder, piecesFromFiles, skipSummary } from './midi-folder.js';
import { musicXmlText } from './score-file.js';
import { unescapeXml } from './xlsx.js';

const { Midi } = toneMidi;

/** DeepComposer's "symphony", as the data allows: a string quartet. */
export const STRING_QUARTET_TRACKS: ModelTrack[] = [
  { name: '1st violin', program: 40, isDrum: false, role: 'melody', monophonic: true },
  { name: '2nd violin', program: 40, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Viola', program: 41, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Cello', program: 42, isDrum: false, role: 'accompaniment', monophonic: true },
];

/** Part names as quartet scores spell them: "Violin I", "1st Violin", "Violin 2", "Viola", "Violoncello". */
const QUARTET_PARTS = [/violin/i, /violin/i, /viola/i, /cello/i];

/** The part names of a MusicXML score's part list, in order. */
export function partNames(xml: string): string[] {
  return [...xml.matchAll(/<score-part\b[\s\S]*?<part-name\b[^>]*>([\s\S]*?)<\/part-name>/g)].map((m) => unescapeXml(m[1]).trim());
}

/** A stretch of one movement: whole bars of one meter, from a downbeat. */
interface Stretch {
  readonly content: PieceContent;
  /** The movement it belongs to (the split goes by movement). */
  readonly movement: number;
}

/**
 * A quartet score's movements and their stretches of whole bars. Verovio plays the score (repeats written
 * out) to MIDI and gives the measures' start times. A change of meter starts a new movement (a multi-movement
 * file changes meter between movements; a movement that changes meter inside is split there). Within a
 * movement, only runs of whole bars are kept, each from its first downbeat: an upbeat, and a measure cut
 * short at a repeat or a first-time ending, would put the bar lines off the grid.
 */
export function quartetStretches(midiBytes: Uint8Array, barQuarters: readonly number[], meters: MeterChoice): { stretches: Stretch[]; skippedMeters: string[] } {
  const midi = new Midi(midiBytes);
  const ticksPerStep = midi.header.ppq / STEPS_PER_QUARTER;
  const parts = midi.tracks.filter((t) => t.notes.length > 0).map((t) =>
    t.notes.map((n) => ({ pitch: n.midi, start: n.ticks / ticksPerStep, end: (n.ticks + n.durationTicks) / ticksPerStep })),
  );
  const barLines = barQuarters.map((q) => Math.round(q * STEPS_PER_QUARTER));
  const end = Math.max(...parts.flat().map((n) => n.end));
  // One meter from each time signature to the next (the file repeats them per track and per restatement).
  const changes: { step: number; ts: TimeSignature }[] = [];
  for (const s of [...midi.header.timeSignatures].sort((a, b) => a.ticks - b.ticks)) {
    const ts = { numerator: s.timeSignature[0], denominator: s.timeSignature[1] };
    const last = changes[changes.length - 1];
    if (!last || meterName(last.ts) !== meterName(ts)) changes.push({ step: Math.round(s.ticks / ticksPerStep), ts });
  }
  if (changes.length === 0) changes.push({ step: 0, ts: { numerator: 4, denominator: 4 } });
  const stretches: Stretch[] = [];
  const skippedMeters: string[] = [];
  changes.forEach(({ step: from, ts }, movement) => {
    const to = movement + 1 < changes.length ? changes[movement + 1].step : end;
    if (!meterMatches(ts, meters)) {
      skippedMeters.push(meterName(ts));
      return;
    }
    const bar = stepsPerBar(ts);
    const bars = barLines.filter((b) => b >= from && b < to);
    for (const run of regularStretches(bars, to, bar)) {
      const runEnd = Math.min(run.end, to);
      const tracks: Note[][] = parts.map((notes) =>
        monophonic(
          notes
            .filter((n) => n.start >= run.start - 0.5 && n.start < runEnd - 0.5)
            .map((n) => {
              const start = Math.max(0, Math.round(n.start - run.start)); // an onset a hair early (−0) is on the downbeat
              return { pitch: n.pitch, start, duration: Math.max(1, Math.round(Math.min(n.end, runEnd) - run.start) - start), velocity: 90 };
            }),
        ),
      );
      if (tracks[0].length === 0) continue;
      const steps = Math.round(runEnd - run.start);
      stretches.push({ movement, content: { tracks, chords: analysedChords(tracks, steps, beatSteps(ts)), chordSource: 'analysis', timeSignature: ts } });
    }
  });
  return { stretches, skippedMeters };
}

/**
 * The corpus holds some 35 movements per meter family: 10 % held out would be two or three, too few to
 * measure on, so a fifth goes to each of test and valid.
 */
const HELD_OUT = { test: 0.2, valid: 0.2 };

/**
 * String quartets among the scores under a folder (MusicXML, compressed or not, UTF-8 or UTF-16): scores
 * whose four parts are named violin, violin, viola and cello. Each part is read as one line (the top note
 * of a double stop); chords by harmonic analysis of the four parts per beat. Movements (or sections) of
 * the chosen meter family become pieces `file#k`; the split goes by movement (a hash of `file#movement`),
 * so that one file's movements spread over train, valid and test.
 */
export async function stringQuartetTrainingData(dir: string, options: { meters?: MeterChoice } = {}): Promise<TrainingData> {
  const meters = options.meters ?? 'duple';
  const files = await filesUnder(dir, /\.(mxl|musicxml|xml)$/i);
  if (files.length === 0) throw new InvalidInputError(`no MusicXML scores (.mxl, .musicxml, .xml) under ${dir}`);
  let movements = 0;
  const { splits, skips, pieces } = await piecesFromFiles(dir, files, async (file) => {
    const xml = musicXmlText(await readFile(file));
    const names = partNames(xml);
    if (names.length !== 4 || !names.every((n, i) => QUARTET_PARTS[i].test(n))) return 'not string quartets';
    const { midi, barLines } = await scoreToMidiWithBars(xml);
    const { stretches, skippedMeters } = quartetStretches(midi, barLines, meters);
    if (stretches.length === 0) return skippedMeters.length > 0 ? `in ${[...new Set(skippedMeters)].join(' and ')}` : 'without whole bars';
    movements += new Set(stretches.map((s) => s.movement)).size;
    return { segments: stretches.map((s) => s.content), groups: stretches.map((s) => String(s.movement)) };
  }, HELD_OUT);
  const all = [...splits.train, ...splits.valid, ...splits.test];
  const timeSignature = declaredMeter(all.map((p) => p.timeSignature), meters);
  return {
    name: `string quartets in MusicXML (${files.length - skips.length} scores, ${movements} ${meters}-meter movements in ${pieces} stretches of whole bars; ${skipSummary(skips, 'other scores skipped')}); chords by analysis`,
    ...splits,
    tracks: STRING_QUARTET_TRACKS.map((t) => ({ ...t })),
    ...(timeSignature ? { timeSignature } : {}),
  };
}

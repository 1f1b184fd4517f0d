import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.js';
import { COMMON_TIME, type Note, type TimeSignature } from '../../music/melody.js';
import type { Piece } from '../dataset.js';
import type { TrainingData } from '../train-model.js';
import { analysedChords, beatSteps, declaredMeter, fromDownbeat, meterMatches, meterName, type MeterChoice } from './harmony.js';
import { alignChorale, gridMeter, scoreLines, type ScoreLine } from './jsb-alignment.js';
import { JSB_METERS } from './jsb-meters.js';

export type JsbSplit = 'train' | 'valid' | 'test';
export const JSB_VOICES = ['soprano', 'alto', 'tenor', 'bass'] as const;

/** Where a chorale's bars are: its meter on the grid and the step of its first downbeat. */
export interface ChoraleBars {
  readonly timeSignature: TimeSignature;
  readonly downbeat: number;
}

function voiceNotes(steps: readonly (readonly number[])[], voice: number): Note[] {
  const notes: Note[] = [];
  let current: { pitch: number; start: number } | undefined;
  for (let s = 0; s <= steps.length; s++) {
    const raw = s < steps.length ? steps[s][voice] : -1;
    const pitch = raw === null || raw === undefined || Number.isNaN(raw) ? -1 : raw;
    if (current && pitch !== current.pitch) {
      notes.push({ pitch: current.pitch, start: current.start, duration: s - current.start, velocity: 90 });
      current = undefined;
    }
    if (!current && pitch >= 0) current = { pitch, start: s };
  }
  return notes;
}

/**
 * One chorale as a piece: the four voices, from its first downbeat (the upbeat dropped) when its bars are
 * known, with chords by harmonic analysis of the voices per beat. Without bars it is read from its first
 * note, as the grid has it.
 */
export function choralePiece(id: string, steps: readonly (readonly number[])[], bars?: ChoraleBars): Piece {
  const downbeat = bars?.downbeat ?? 0;
  const { tracks } = fromDownbeat({ tracks: JSB_VOICES.map((_, v) => voiceNotes(steps, v)) }, downbeat);
  const length = steps.length - downbeat;
  const chords = analysedChords(tracks, length, beatSteps(bars?.timeSignature ?? COMMON_TIME));
  return { id, steps: length, tracks, chords, chordSource: 'analysis', ...(bars ? { timeSignature: bars.timeSignature } : {}) };
}

/** The committed alignment (`jsb-meters.ts`) of a chorale, when the chorale is that one (same length). */
function tableBars(split: JsbSplit, index: number, length: number): ChoraleBars | undefined {
  const entry: string | undefined = JSB_METERS[split][index];
  const [steps, score, meter, downbeat] = entry?.split(' ') ?? [];
  if (Number(steps) !== length || score === '-' || !meter) return undefined;
  const [numerator, denominator] = meter.split('/').map(Number);
  return { timeSignature: { numerator, denominator }, downbeat: Number(downbeat) };
}

export interface JsbReadOptions {
  /** Bach chorale scores to align the chorales to now, instead of the committed alignment. */
  readonly scores?: ReadonlyMap<string, ScoreLine>;
}

/**
 * The JSB chorales in the `Jsb16thSeparated.json` layout: per split, chorales as lists of 16th-note
 * steps `[S, A, T, B]` (MIDI pitch, −1 = rest). The grid cannot tell a held note from a repeated one,
 * so equal consecutive pitches become one note. The grid starts on each chorale's first note and has no
 * bar lines: meter and upbeat come from aligning the chorale to its score (see `jsb-alignment.ts`).
 */
export async function loadJsbChorales(file: string, split: JsbSplit, options: JsbReadOptions = {}): Promise<Piece[]> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, number[][][]>;
  const chorales = json[split];
  if (!Array.isArray(chorales)) throw new InvalidInputError(`${file} has no '${split}' split; expected keys train, valid, test`);
  return chorales.map((steps, i) => {
    const aligned = options.scores ? alignChorale(steps, options.scores) : undefined;
    const bars = aligned ? { timeSignature: gridMeter(aligned), downbeat: aligned.downbeat } : options.scores ? undefined : tableBars(split, i, steps.length);
    return choralePiece(`${split}-${i}`, steps, bars);
  });
}

/** The chorale voices as instruments: the soprano sings the tune, an organ plays the other voices. */
export const JSB_TRACKS = [
  { name: 'Soprano', program: 52, isDrum: false, role: 'melody', monophonic: true },
  { name: 'Alto', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Tenor', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Bass', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
] as const;

export interface JsbOptions {
  /** 'duple' (default): the 4/4 chorales; 'triple': the 3/4 ones; or one meter by name. */
  readonly meters?: MeterChoice;
  /** A folder of Bach chorale scores (MusicXML) to align the chorales to, instead of the committed alignment. */
  readonly scores?: string;
}

/**
 * All three splits of the JSB file as training data (the Boulanger-Lewandowski split, kept so that results
 * compare with earlier models), each chorale from its first downbeat, with analysed chords; chorales of
 * other meters are left out. A chorale whose meter is unknown (another file than the one aligned, or no
 * score matched) is read from its first note as if in 4/4.
 */
export async function jsbTrainingData(file: string, options: JsbOptions = {}): Promise<TrainingData> {
  const meters = options.meters ?? 'duple';
  const scores = options.scores ? await scoreLines(options.scores) : undefined;
  const [train, valid, test] = await Promise.all((['train', 'valid', 'test'] as const).map((s) => loadJsbChorales(file, s, { scores })));
  const all = [...train, ...valid, ...test];
  const keep = (pieces: readonly Piece[]) => pieces.filter((p) => meterMatches(p.timeSignature ?? COMMON_TIME, meters));
  const unknown = all.filter((p) => !p.timeSignature).length;
  const counts = new Map<string, number>();
  for (const p of all) if (p.timeSignature && !meterMatches(p.timeSignature, meters)) counts.set(meterName(p.timeSignature), (counts.get(meterName(p.timeSignature)) ?? 0) + 1);
  const left = [...counts].map(([m, n]) => `${n} in ${m}`).join(', ');
  const kept = { train: keep(train), valid: keep(valid), test: keep(test) };
  const timeSignature = declaredMeter([...kept.train, ...kept.valid, ...kept.test].map((p) => p.timeSignature), meters);
  return {
    name: `JSB chorales (Boulanger-Lewandowski 2012 split, 16th grid; ${kept.train.length + kept.valid.length + kept.test.length} ${meters} chorales from their first downbeat${left ? `; ${left} left out` : ''}${unknown ? `; ${unknown} of unknown meter read from their first note` : ''}); chords by analysis`,
    ...kept,
    tracks: JSB_TRACKS.map((t) => ({ ...t })),
    ...(timeSignature ? { timeSignature } : {}),
  };
}

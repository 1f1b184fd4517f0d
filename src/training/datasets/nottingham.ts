import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { monophonic, stepsPerBar, type Note } from '../../music/melody.js';
import { tracksFromMidi } from '../../music/midi.js';
import { bassFromChords } from '../../music/voicing.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { TrainingData } from '../train-model.js';
import { blockChordSpans, declaredMeter, fromDownbeat, meterMatches, meterName, type MeterChoice, type PieceContent } from './harmony.js';
import { piecesFromFiles, skipSummary } from './midi-folder.js';

/** A folk band: fiddle on the tune, accordion chords, and an acoustic bass on the chords' lowest notes. */
export const FOLK_TRACKS: ModelTrack[] = [
  { name: 'Fiddle', program: 110, isDrum: false, role: 'melody', monophonic: true },
  { name: 'Accordion', program: 21, isDrum: false, role: 'accompaniment', monophonic: false },
  { name: 'Bass', program: 32, isDrum: false, role: 'accompaniment', monophonic: true },
];

export interface NottinghamOptions {
  /** 'duple' (default): 2/4, 4/4 and 2/2 tunes; 'triple': 3/4 and 6/8 (and 3/8, 12/8) tunes; or one meter ('9/8'). */
  readonly meters?: MeterChoice;
}

/**
 * The first downbeat of a tune. The files put a pickup at the end of an otherwise silent bar 0, so bar
 * lines of the file fall on multiples of the bar (checked against the ABC sources: all 1,018 single-meter
 * tunes that parse agree). A tune whose first note lies inside bar 0 but not on its bar line starts with
 * a pickup, and bar 1 is the downbeat; a tune whose first note comes later starts with rests in a full
 * bar (3 tunes, `z` in the ABC), whose bar line is the downbeat.
 */
export function nottinghamDownbeat(firstNote: number, bar: number): number {
  if (firstNote === 0) return 0;
  return firstNote < bar ? bar : Math.floor(firstNote / bar) * bar;
}

/**
 * One tune: melody, block chords and a bass from their lowest notes, chords labelled from the chord track,
 * moved so that step 0 is the first downbeat (the pickup is dropped). A reason string when skipped.
 */
export function nottinghamTune(bytes: Uint8Array, meters: MeterChoice = 'duple'): PieceContent | string {
  const content = tracksFromMidi(bytes);
  const [tune, chordTrack] = content.tracks.filter((t) => t.notes.length > 0);
  if (!tune) return 'without notes';
  if (!chordTrack) return 'without chords';
  if (content.meterChanges) return 'changing meter';
  if (!meterMatches(content.timeSignature, meters)) return `in ${meterName(content.timeSignature)}`;
  const chords: Note[] = chordTrack.notes;
  const first = Math.min(...tune.notes.map((n) => n.start));
  const downbeat = nottinghamDownbeat(first, stepsPerBar(content.timeSignature));
  return fromDownbeat(
    {
      tracks: [monophonic(tune.notes), chords, bassFromChords(chords)],
      chords: blockChordSpans(chords),
      chordSource: 'label',
      timeSignature: content.timeSignature,
    },
    downbeat,
  );
}

/**
 * The Nottingham collection's MIDI files (`MIDI/*.mid`: track 1 the tune, track 2 block chords). Only the
 * files in the folder itself are read (its `melody/` and `chords/` subfolders repeat them), and only tunes
 * with chords in a meter of the chosen family (or the one meter named); tunes that change meter are
 * skipped. A triple set declares its most common meter (6/8) to the trainer.
 */
export async function nottinghamTrainingData(dir: string, options: NottinghamOptions = {}): Promise<TrainingData> {
  const meters = options.meters ?? 'duple';
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && /\.mid$/i.test(e.name)).map((e) => join(dir, e.name)).sort();
  if (files.length === 0) throw new InvalidInputError(`no Nottingham tunes (*.mid) in ${dir}`);
  const { splits, skips } = await piecesFromFiles(dir, files, async (file) => nottinghamTune(await readFile(file), meters));
  const which = meters === 'duple' ? '2/4, 4/4 or 2/2' : meters === 'triple' ? '3/4 or 6/8' : meters;
  const timeSignature = declaredMeter([...splits.train, ...splits.valid, ...splits.test].map((p) => p.timeSignature), meters);
  return {
    name: `Nottingham (${files.length - skips.length} tunes with chords in ${which}, from the first downbeat; ${skipSummary(skips)}); bass from the chords' lowest notes`,
    ...splits,
    tracks: FOLK_TRACKS.map((t) => ({ ...t })),
    // Spread, so that this compiles whether or not TrainingData declares a meter yet.
    ...(timeSignature ? { timeSignature } : {}),
  };
}

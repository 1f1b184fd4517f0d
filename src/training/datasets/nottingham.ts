import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { monophonic } from '../../music/melody.js';
import { tracksFromMidi } from '../../music/midi.js';
import { bassFromChords } from '../../music/voicing.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { TrainingData } from '../train-model.js';
import { fitsWindows, piecesFromFiles } from './midi-folder.js';

/** A folk band: fiddle on the tune, accordion chords, and an acoustic bass on the chords' lowest notes. */
export const FOLK_TRACKS: ModelTrack[] = [
  { name: 'Fiddle', program: 110, isDrum: false, role: 'melody', monophonic: true },
  { name: 'Accordion', program: 21, isDrum: false, role: 'accompaniment', monophonic: false },
  { name: 'Bass', program: 32, isDrum: false, role: 'accompaniment', monophonic: true },
];

/**
 * The Nottingham collection's MIDI files (`MIDI/*.mid`: track 1 the tune, track 2 block chords). Only the
 * files in the folder itself are read (its `melody/` and `chords/` subfolders repeat them), and only tunes
 * with chords in a duple meter: jigs (6/8), waltzes (3/4) and tunes that change meter are skipped.
 */
export async function nottinghamTrainingData(dir: string): Promise<TrainingData> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && /\.mid$/i.test(e.name)).map((e) => join(dir, e.name)).sort();
  if (files.length === 0) throw new InvalidInputError(`no Nottingham tunes (*.mid) in ${dir}`);
  const { splits, skipped } = await piecesFromFiles(dir, files, async (file) => {
    const content = tracksFromMidi(await readFile(file));
    const [tune, chords] = content.tracks.filter((t) => t.notes.length > 0);
    if (!tune || !chords || !fitsWindows(content)) return undefined;
    return [monophonic(tune.notes), chords.notes, bassFromChords(chords.notes)];
  });
  return {
    name: `Nottingham (${files.length - skipped} tunes with chords in 2/4 or 4/4; ${skipped} skipped); bass from the chords' lowest notes`,
    ...splits,
    tracks: FOLK_TRACKS.map((t) => ({ ...t })),
  };
}

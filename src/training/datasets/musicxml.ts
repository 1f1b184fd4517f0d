import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.js';
import { monophonic } from '../../music/melody.js';
import { tracksFromMidi } from '../../music/midi.js';
import { scoreToMidi } from '../../music/musicxml.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { TrainingData } from '../train-model.js';
import { filesUnder, fitsWindows, piecesFromFiles } from './midi-folder.js';

/** DeepComposer's "symphony", as the data allows: a string quartet. */
export const STRING_QUARTET_TRACKS: ModelTrack[] = [
  { name: '1st violin', program: 40, isDrum: false, role: 'melody', monophonic: true },
  { name: '2nd violin', program: 40, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Viola', program: 41, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Cello', program: 42, isDrum: false, role: 'accompaniment', monophonic: true },
];

/** Part names as quartet scores spell them: "Violin I", "1st Violin", "Violin 2", "Viola", "Violoncello". */
const QUARTET_PARTS = [/violin/i, /violin/i, /viola/i, /cello/i];

/**
 * String quartets among the scores under a folder (MusicXML, compressed or not): scores whose four parts
 * are named violin, violin, viola and cello, in a duple meter. Each part is
 * read as one line (the top note of a double stop).
 */
export async function stringQuartetTrainingData(dir: string): Promise<TrainingData> {
  const files = await filesUnder(dir, /\.(mxl|musicxml|xml)$/i);
  if (files.length === 0) throw new InvalidInputError(`no MusicXML scores (.mxl, .musicxml, .xml) under ${dir}`);
  const { splits, skipped } = await piecesFromFiles(dir, files, async (file) => {
    const content = tracksFromMidi(await scoreToMidi(await readFile(file)));
    const parts = content.tracks.filter((t) => t.notes.length > 0);
    const quartet = parts.length === 4 && parts.every((p, i) => QUARTET_PARTS[i].test(p.name));
    if (!quartet || !fitsWindows(content)) return undefined;
    return parts.map((p) => monophonic(p.notes));
  });
  return {
    name: `string quartets in MusicXML (${files.length - skipped} movements in 2/4, 4/4 or 2/2; ${skipped} other scores skipped)`,
    ...splits,
    tracks: STRING_QUARTET_TRACKS.map((t) => ({ ...t })),
  };
}

import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.js';
import { monophonic } from '../../music/melody.js';
import { tracksFromMidi } from '../../music/midi.js';
import { splitBass } from '../../music/voicing.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { TrainingData } from '../train-model.js';
import { filesUnder, fitsWindows, piecesFromFiles } from './midi-folder.js';

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

/** POP909 (`POP909/NNN/NNN.mid`, tracks MELODY, BRIDGE and PIANO): songs in a duple meter. */
export async function pop909TrainingData(dir: string): Promise<TrainingData> {
  const files = await filesUnder(dir, /^\d+\.mid$/i);
  if (files.length === 0) throw new InvalidInputError(`no POP909 songs (NNN/NNN.mid) under ${dir}`);
  const { splits, skipped } = await piecesFromFiles(dir, files, async (file) => {
    const content = tracksFromMidi(await readFile(file));
    const track = (name: string) => content.tracks.find((t) => t.name.trim().toUpperCase() === name)?.notes;
    const [melody, bridge, piano] = [track('MELODY'), track('BRIDGE'), track('PIANO')];
    if (!melody?.length || !bridge || !piano?.length || !fitsWindows(content)) return undefined;
    const { bass, upper } = splitBass(piano, BASS_BELOW);
    return [monophonic(melody), monophonic(bridge), upper, bass];
  });
  return {
    name: `POP909 (${files.length - skipped} songs in 2/4 or 4/4; ${skipped} skipped); piano split into chords and bass`,
    ...splits,
    tracks: POP_TRACKS.map((t) => ({ ...t })),
  };
}

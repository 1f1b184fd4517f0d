import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { monophonic, stepsPerBar } from '../../music/melody.js';
import { tracksFromMidi, type MidiTracks } from '../../music/midi.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { Piece } from '../dataset.js';
import type { TrainingData } from '../train-model.js';

export interface MidiFolderSpec {
  readonly dir: string;
  /** Name of the melody track in every file (case-insensitive). */
  readonly melody: string;
  /** Names of the accompaniment tracks, in output order. */
  readonly accompaniment: readonly string[];
  /** Fractions of files held out, chosen by a hash of the file path so that the split is stable. */
  readonly validFraction?: number;
  readonly testFraction?: number;
}

async function midiFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.midi?$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** 0…1 from the file's path inside the folder: the same file always lands in the same split. */
function splitKey(path: string): number {
  return createHash('sha1').update(path).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Any folder of MIDI files whose tracks are named by role, e.g. POP909's MELODY, BRIDGE and PIANO.
 * Files without one of the named tracks, or not in 4/4, are skipped (and counted in the name).
 */
export async function midiFolderTrainingData(spec: MidiFolderSpec): Promise<TrainingData> {
  const files = await midiFiles(spec.dir);
  if (files.length === 0) throw new InvalidInputError(`no .mid or .midi files under ${spec.dir}`);
  const wanted = [spec.melody, ...spec.accompaniment].map((n) => n.toLowerCase());
  const programs = new Array<number>(wanted.length).fill(0);
  const splits: Record<'train' | 'valid' | 'test', Piece[]> = { train: [], valid: [], test: [] };
  let skipped = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    let content: MidiTracks;
    try {
      content = tracksFromMidi(bytes);
    } catch {
      skipped++;
      continue;
    }
    const picked = wanted.map((name) => content.tracks.find((t) => t.name.trim().toLowerCase() === name));
    // The windows are 4/4 bars; 2/4 and 2/2 fit them, other meters would be cut across bar lines.
    if (picked.some((t) => !t || t.notes.length === 0) || content.meterChanges || 16 % stepsPerBar(content.timeSignature) !== 0) {
      skipped++;
      continue;
    }
    picked.forEach((t, i) => (programs[i] = t!.program));
    const notes = picked.map((t, i) => (i === 0 ? monophonic(t!.notes) : t!.notes));
    const steps = Math.max(...notes.flat().map((n) => n.start + n.duration));
    const id = relative(spec.dir, file);
    const key = splitKey(id);
    const test = spec.testFraction ?? 0.1;
    const valid = spec.validFraction ?? 0.1;
    const split = key < test ? 'test' : key < test + valid ? 'valid' : 'train';
    splits[split].push({ id, steps, tracks: notes });
  }
  const trackList: ModelTrack[] = [spec.melody, ...spec.accompaniment].map((name, i) => ({
    name, program: programs[i], isDrum: false, role: i === 0 ? 'melody' : 'accompaniment', monophonic: i === 0,
  }));
  return { name: `MIDI folder ${spec.dir} (${files.length - skipped} files, ${skipped} skipped)`, ...splits, tracks: trackList };
}

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { monophonic, stepsPerBar, type Note } from '../../music/melody.js';
import { tracksFromMidi, type MidiTracks } from '../../music/midi.js';
import type { ModelTrack } from '../../inference/model-card.js';
import type { Piece } from '../dataset.js';
import type { PieceContent } from './harmony.js';
import type { TrainingData } from '../train-model.js';

export type Split = 'train' | 'valid' | 'test';

/** Files with one of these extensions under `dir`, sorted. */
export async function filesUnder(dir: string, extensions: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && extensions.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Which split a file belongs to, from a hash of its path inside the data set: the same file always lands
 * in the same split, whatever else is in the folder.
 */
export function splitOf(id: string, testFraction = 0.1, validFraction = 0.1): Split {
  const key = createHash('sha1').update(id).digest().readUInt32BE(0) / 2 ** 32;
  return key < testFraction ? 'test' : key < testFraction + validFraction ? 'valid' : 'train';
}

/** The windows are 4/4 bars: 2/4 and 2/2 fit them, other meters (and changes of meter) would be cut across bar lines. */
export function fitsWindows(content: MidiTracks): boolean {
  return !content.meterChanges && 16 % stepsPerBar(content.timeSignature) === 0;
}

/** A file a reader left out, and why. */
export interface Skip {
  readonly id: string;
  readonly reason: string;
  /** The error, for an unreadable file. */
  readonly detail?: string;
}

/**
 * What a reader returns for a file: its tracks, a piece's content, several pieces (stretches of one song
 * or score: ids `file#1`, `file#2`…), or why it is skipped (undefined: "not fitting").
 */
export type ReadResult = Note[][] | PieceContent | Segments | string | undefined;

/** Several pieces of one file; `groups` (one per segment) split them by group (a movement) instead of by file. */
export interface Segments {
  readonly segments: readonly PieceContent[];
  readonly groups?: readonly string[];
}

/**
 * Skips counted by reason, most common first, files named where a reason has three or fewer:
 * "14 skipped: 12 without chords, 2 unreadable (a.mid, b.mid)" ("0 skipped" for none).
 */
export function skipSummary(skips: readonly Skip[], what = 'skipped'): string {
  const byReason = new Map<string, string[]>();
  for (const s of skips) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.id]);
  const reasons = [...byReason]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([reason, ids]) => `${ids.length} ${reason}${ids.length <= 3 ? ` (${ids.join(', ')})` : ''}`)
    .join(', ');
  return `${skips.length} ${what}${reasons ? `: ${reasons}` : ''}`;
}

/**
 * Pieces read from files, sorted into splits by `splitOf` of the file's id (of `id#group` for grouped
 * segments), 10 % each to test and valid unless `fractions` says otherwise; `read` returns a reason (or
 * undefined) to skip a file. A file that throws is skipped as unreadable.
 */
export async function piecesFromFiles(
  dir: string,
  files: readonly string[],
  read: (file: string) => Promise<ReadResult>,
  fractions: { readonly test: number; readonly valid: number } = { test: 0.1, valid: 0.1 },
): Promise<{ splits: Record<Split, Piece[]>; skipped: number; skips: Skip[]; pieces: number }> {
  const splits: Record<Split, Piece[]> = { train: [], valid: [], test: [] };
  const skips: Skip[] = [];
  let pieces = 0;
  for (const file of files) {
    const id = relative(dir, file);
    let result: ReadResult;
    try {
      result = await read(file);
    } catch (error) {
      skips.push({ id, reason: 'unreadable', detail: (error as Error).message });
      continue;
    }
    const listed: Segments = Array.isArray(result)
      ? { segments: [{ tracks: result }] }
      : typeof result === 'object'
        ? 'segments' in result ? result : { segments: [result] }
        : { segments: [] };
    const usable = listed.segments
      .map((content, k) => ({ content, group: listed.groups?.[k] }))
      .filter(({ content }) => content.tracks.length > 0 && content.tracks[0].length > 0);
    if (usable.length === 0) {
      skips.push({ id, reason: typeof result === 'string' ? result : listed.segments.length > 0 ? 'without a melody' : 'not fitting' });
      continue;
    }
    usable.forEach(({ content, group }, k) => {
      const steps = Math.max(...content.tracks.flat().map((n) => n.start + n.duration));
      const split = splitOf(group === undefined ? id : `${id}#${group}`, fractions.test, fractions.valid);
      splits[split].push({ id: usable.length > 1 ? `${id}#${k + 1}` : id, steps, ...content });
      pieces++;
    });
  }
  return { splits, skipped: skips.length, skips, pieces };
}

export interface MidiFolderSpec {
  readonly dir: string;
  /** Name of the melody track in every file (case-insensitive). */
  readonly melody: string;
  /** Names of the accompaniment tracks, in output order. */
  readonly accompaniment: readonly string[];
}

/**
 * Any folder of MIDI files whose tracks are named by role, e.g. POP909's MELODY, BRIDGE and PIANO.
 * Files without one of the named tracks, or not in a duple meter, are skipped (and counted in the name).
 */
export async function midiFolderTrainingData(spec: MidiFolderSpec): Promise<TrainingData> {
  const files = await filesUnder(spec.dir, /\.midi?$/i);
  if (files.length === 0) throw new InvalidInputError(`no .mid or .midi files under ${spec.dir}`);
  const wanted = [spec.melody, ...spec.accompaniment].map((n) => n.toLowerCase());
  const programs = new Array<number>(wanted.length).fill(0);
  const { splits, skipped } = await piecesFromFiles(spec.dir, files, async (file) => {
    const content = tracksFromMidi(await readFile(file));
    const picked = wanted.map((name) => content.tracks.find((t) => t.name.trim().toLowerCase() === name));
    if (picked.some((t) => !t || t.notes.length === 0) || !fitsWindows(content)) return undefined;
    picked.forEach((t, i) => (programs[i] = t!.program));
    return picked.map((t, i) => (i === 0 ? monophonic(t!.notes) : t!.notes));
  });
  const trackList: ModelTrack[] = [spec.melody, ...spec.accompaniment].map((name, i) => ({
    name, program: programs[i], isDrum: false, role: i === 0 ? 'melody' : 'accompaniment', monophonic: i === 0,
  }));
  return { name: `MIDI folder ${spec.dir} (${files.length - skipped} files, ${skipped} skipped)`, ...splits, tracks: trackList };
}

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { monophonic, stepsPerBar, type Note, type TimeSignature } from '../../music/melody.js';
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
  /** The melody track in every file: its name (case-insensitive), or its index in the file (digits, from 0). */
  readonly melody: string;
  /** The accompaniment tracks, in output order, named or numbered as `melody`. */
  readonly accompaniment: readonly string[];
  /** What the model's card calls the data (default: `MIDI folder <dir>`). */
  readonly label?: string;
}

/** A track of a MIDI file as a mapping sees it. */
export interface MidiTrackSummary {
  /** Its place in the file, from 0 (what a numeric track reference names). */
  readonly index: number;
  readonly name: string;
  readonly channel: number;
  readonly program: number;
  readonly notes: number;
}

/** What a folder scan found in one file: its meter and tracks (absent for a file that does not parse). */
export interface MidiFileScan {
  readonly timeSignature: TimeSignature;
  readonly tracks: readonly MidiTrackSummary[];
}

export interface MidiFolderScan {
  readonly data: TrainingData;
  /** The files read, by id (the path inside the folder). */
  readonly files: readonly string[];
  readonly scans: ReadonlyMap<string, MidiFileScan>;
  readonly skips: readonly Skip[];
}

/**
 * The track a reference names: all digits are an index into the file's tracks (as ComposeInput's
 * midiTrack), anything else a name, compared without case and surrounding spaces.
 */
export function findTrack<T extends { readonly name: string }>(tracks: readonly T[], ref: string): T | undefined {
  const wanted = ref.trim();
  if (/^\d+$/.test(wanted)) return tracks[Number(wanted)];
  return tracks.find((t) => t.name.trim().toLowerCase() === wanted.toLowerCase());
}

const quoted = (ref: string) => (/^\d+$/.test(ref.trim()) ? `track ${ref.trim()}` : `a track '${ref.trim()}'`);

/**
 * Any folder of MIDI files whose tracks are mapped to roles, e.g. POP909's MELODY, BRIDGE and PIANO,
 * with what was read of each file and why a file was left out: without one of the tracks, with a track
 * that has no notes, two roles on one track, not in a duple meter, or unreadable.
 */
export async function scanMidiFolder(spec: MidiFolderSpec): Promise<MidiFolderScan> {
  const all = await filesUnder(spec.dir, /\.midi?$/i);
  if (all.length === 0) throw new InvalidInputError(`no .mid or .midi files under ${spec.label ?? spec.dir}`);
  const refs = [spec.melody, ...spec.accompaniment];
  const programs = new Array<number>(refs.length).fill(0);
  // A track named by its index is called by its name in the file where the card can.
  const names = refs.map((ref) => (/^\d+$/.test(ref.trim()) ? '' : ref));
  const scans = new Map<string, MidiFileScan>();
  const { splits, skipped, skips } = await piecesFromFiles(spec.dir, all, async (file) => {
    const content = tracksFromMidi(await readFile(file));
    const summaries = content.tracks.map((t, index) => ({ index, name: t.name, channel: t.channel, program: t.program, notes: t.notes.length }));
    scans.set(relative(spec.dir, file), { timeSignature: content.timeSignature, tracks: summaries });
    const picked = refs.map((ref) => findTrack(content.tracks, ref));
    const missing = refs.findIndex((_, i) => !picked[i]);
    if (missing >= 0) return `without ${quoted(refs[missing])}`;
    const silent = refs.findIndex((_, i) => picked[i]!.notes.length === 0);
    if (silent >= 0) return `with no notes in ${quoted(refs[silent])}`;
    if (new Set(picked).size < picked.length) return 'with one track in two roles';
    if (content.meterChanges) return 'with changes of meter';
    if (!fitsWindows(content)) return `in ${content.timeSignature.numerator}/${content.timeSignature.denominator} (the windows take 4/4, 2/4 and 2/2)`;
    picked.forEach((t, i) => {
      programs[i] = t!.program;
      if (!names[i]) names[i] = t!.name.trim();
    });
    return picked.map((t, i) => (i === 0 ? monophonic(t!.notes) : t!.notes));
  });
  const trackList: ModelTrack[] = refs.map((ref, i) => ({
    name: names[i] || `track ${ref.trim()}`, program: programs[i], isDrum: false, role: i === 0 ? 'melody' : 'accompaniment', monophonic: i === 0,
  }));
  const data: TrainingData = { name: `${spec.label ?? `MIDI folder ${spec.dir}`} (${all.length - skipped} files, ${skipped} skipped)`, ...splits, tracks: trackList };
  return { data, files: all.map((file) => relative(spec.dir, file)), scans, skips };
}

/** The training data of a MIDI folder (see `scanMidiFolder`). */
export async function midiFolderTrainingData(spec: MidiFolderSpec): Promise<TrainingData> {
  return (await scanMidiFolder(spec)).data;
}

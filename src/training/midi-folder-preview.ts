import { COMMON_TIME, type TimeSignature } from '../music/melody.js';
import { measuredWindows, windowsOf, type Piece } from './dataset.js';
import { scanMidiFolder, type MidiFolderSpec, type MidiTrackSummary, type Split } from './datasets/midi-folder.js';
import { windowGeometry, windowHop } from './train-model.js';

/** One file of a mapping preview. */
export interface PreviewFile {
  readonly name: string;
  /** Absent for a file that does not parse. */
  readonly timeSignature?: TimeSignature;
  readonly tracks: readonly (MidiTrackSummary & { readonly role?: 'melody' | 'accompaniment' })[];
  /** Where a usable file goes (by a hash of its name, 80/10/10); absent for a skipped one. */
  readonly split?: Split;
  /** Windows it gives its split: training windows (every half bar) in train, back-to-back windows in valid and test. */
  readonly windows: number;
  /** Why it is left out; absent for a usable file. */
  readonly skipped?: string;
  /** What the parser said of an unreadable file. */
  readonly detail?: string;
}

export interface MidiFolderPreview {
  readonly files: readonly PreviewFile[];
  readonly windows: Readonly<Record<Split, number>>;
  /** What will go wrong or be missing when training on this mapping (empty: nothing). */
  readonly warnings: readonly string[];
}

/**
 * What training on a MIDI folder with a track mapping would see, before it starts: each file's tracks
 * and their roles, the split it lands in and the windows it gives, or why it is left out. Windows are
 * counted as training counts them (whole 4/4 windows with a melody for at least half of them, every
 * note within the model's pitch rows).
 */
export async function previewMidiFolder(spec: MidiFolderSpec, rows: { readonly pitchLow: number; readonly pitchCount: number }): Promise<MidiFolderPreview> {
  const scan = await scanMidiFolder(spec);
  const { steps } = windowGeometry(COMMON_TIME);
  const hop = windowHop(COMMON_TIME);
  const pieces = new Map<string, { split: Split; piece: Piece }>();
  for (const split of ['train', 'valid', 'test'] as const) for (const piece of scan.data[split]) pieces.set(piece.id, { split, piece });
  const skips = new Map(scan.skips.map((s) => [s.id, s]));
  const windowsIn = (split: Split, piece: Piece) =>
    split === 'train'
      ? windowsOf([piece], { steps, hop, maxMelodyRest: 0.5, pitchLow: rows.pitchLow, pitchCount: rows.pitchCount }).length
      : measuredWindows([piece], steps, rows.pitchLow, rows.pitchCount).length;
  const refs = [spec.melody, ...spec.accompaniment].map((r) => r.trim().toLowerCase());
  const roleOf = (track: MidiTrackSummary): 'melody' | 'accompaniment' | undefined => {
    const k = refs.findIndex((ref) => (/^\d+$/.test(ref) ? Number(ref) === track.index : track.name.trim().toLowerCase() === ref));
    return k < 0 ? undefined : k === 0 ? 'melody' : 'accompaniment';
  };
  const windows: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  const files = scan.files.map((name): PreviewFile => {
    const found = scan.scans.get(name);
    const tracks = (found?.tracks ?? []).map((t) => {
      const role = roleOf(t);
      return role ? { ...t, role } : t;
    });
    const skip = skips.get(name);
    const head = { name, ...(found ? { timeSignature: found.timeSignature } : {}), tracks };
    if (skip) return { ...head, windows: 0, skipped: skip.reason, ...(skip.detail ? { detail: skip.detail } : {}) };
    const used = pieces.get(name)!;
    const count = windowsIn(used.split, used.piece);
    windows[used.split] += count;
    return { ...head, split: used.split, windows: count };
  });
  const low = rows.pitchLow;
  const high = rows.pitchLow + rows.pitchCount - 1;
  const warnings = [
    ...(windows.train === 0
      ? [`no training window: every file was left out, or no 2-bar stretch of the training files has a melody for half of it with every note within MIDI ${low}–${high}; training would be refused`]
      : []),
    ...(windows.valid === 0
      ? ['no validation window (files go 80/10/10 to train, valid and test by a hash of their names): training measures no similarity index and calibrates no decoding; add files']
      : []),
    ...(windows.test === 0 ? ["no test window: the model's card will carry no metrics; add files"] : []),
  ];
  return { files, windows, warnings };
}

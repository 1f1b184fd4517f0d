import { cp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, NotFoundError, TooLargeError } from '../errors.js';
import { MAX_MIDI_BYTES } from '../music/melody-input.js';
import { countMidiEvents } from '../music/midi-scan.js';
import { ID_PATTERN } from '../store/new-id.js';
import type { ApiKeyRecord } from '../store/records.js';
import type { MidiFolderPreview } from '../training/midi-folder-preview.js';
import { firstUnreadableMidi, previewMidiFolderInThread } from '../training/midi-set-reader.js';

/** Which track of every file is the melody and which are the accompaniment: names, or indexes from 0. */
export interface TrackMapping {
  readonly melody: string;
  readonly accompaniment: readonly string[];
}

export interface UploadedFile {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface TrainingSetFile {
  readonly name: string;
  readonly bytes: number;
  readonly updatedAt: string;
}

export interface TrainingSet {
  readonly name: string;
  readonly files: readonly TrainingSetFile[];
  readonly bytes: number;
  readonly updatedAt: string;
}

export interface TrainingSetLimits {
  /** Files in one set. */
  readonly files: number;
  /** Bytes of all the files of one set. */
  readonly bytes: number;
  /** Bytes of one file. */
  readonly fileBytes: number;
  /** Notes in one file: the MIDI library's parse grows faster than the notes, and previews parse every file. */
  readonly fileNotes: number;
  /** Sets of one key. */
  readonly sets: number;
}

export const TRAINING_SET_LIMITS: TrainingSetLimits = { files: 200, bytes: 32 * 1024 * 1024, fileBytes: MAX_MIDI_BYTES, fileNotes: 20_000, sets: 20 };

/** Accompaniment tracks a mapping may name (the model writes one track per role). */
const MAX_ACCOMPANIMENT = 8;
const SET_NAME = /^[a-z0-9][a-z0-9-]{0,40}$/;
const MIDI_NAME = /\.midi?$/i;

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

function checkSetName(name: string): void {
  if (!SET_NAME.test(name)) throw new InvalidInputError(`training set name '${name}' must be lower-case letters, digits and dashes (up to 41)`, { field: 'set' });
}

function checkFileName(name: string): void {
  // A plain file name: no folders, nothing hidden, nothing a shell or a file system reads specially.
  const plain = name.length <= 120 && !/[/\\\u0000-\u001f\u007f]/.test(name) && !name.startsWith('.');
  if (!plain || !MIDI_NAME.test(name)) {
    throw new InvalidInputError(`file name '${name.slice(0, 120)}' must be a plain file name (up to 120 characters, no folders) ending in .mid or .midi`, { field: 'files', file: name.slice(0, 120) });
  }
}

/** A mapping's problems before any file is read: empty, too many parts, a name the data-set spec cannot carry. */
export function checkMapping(mapping: TrackMapping): void {
  const refs = [mapping.melody, ...mapping.accompaniment];
  if (mapping.accompaniment.length === 0 || mapping.accompaniment.length > MAX_ACCOMPANIMENT) {
    throw new InvalidInputError(`name 1 to ${MAX_ACCOMPANIMENT} accompaniment tracks, got ${mapping.accompaniment.length}`, { field: 'accompaniment' });
  }
  for (const ref of refs) {
    if (!ref.trim() || ref.length > 100) throw new InvalidInputError(`a track is named by its name or its index (from 0), up to 100 characters; got '${ref.slice(0, 100)}'`, { field: 'mapping' });
    if (ref.includes(',')) throw new InvalidInputError(`track '${ref}' has a comma in its name, which a mapping cannot hold; name that track by its index`, { field: 'mapping' });
  }
  const seen = new Set<string>();
  for (const ref of refs.map((r) => r.trim().toLowerCase())) {
    if (seen.has(ref)) throw new InvalidInputError(`track '${ref}' is mapped twice; give each role its own track`, { field: 'mapping' });
    seen.add(ref);
  }
}

/** Checks an uploaded file before it is kept: its size and its notes (that it parses is checked in a thread). */
function checkMidiFile(file: UploadedFile, limits: TrainingSetLimits): void {
  if (file.data.length > limits.fileBytes) {
    throw new TooLargeError(`file '${file.name}' is ${size(file.data.length)}; a file may have up to ${size(limits.fileBytes)}`, { file: file.name, limit: limits.fileBytes });
  }
  if (file.data.length < 14 || String.fromCharCode(...file.data.subarray(0, 4)) !== 'MThd') {
    throw new InvalidInputError(`file '${file.name}' is not a Standard MIDI File (it does not start with MThd); export it as .mid from your editor`, { file: file.name });
  }
  const { notes } = countMidiEvents(file.data);
  if (notes > limits.fileNotes) {
    throw new TooLargeError(`file '${file.name}' has ${notes} notes; a file may have up to ${limits.fileNotes} — split the song`, { file: file.name, limit: limits.fileNotes });
  }
}

/**
 * Users' training data: named sets of MIDI files, each owned by the API key that uploaded it, kept in
 * the data folder (`training-sets/<key id>/<set>/`). Files come in batches (each within the request
 * size), a file of the same name replaces the one before, and the limits on files, bytes and sets are
 * checked before anything is written. The preview reads a set with a track mapping as training will.
 */
export class TrainingSetService {
  /** Uploads, deletions and copies of one key run one at a time, so that the limits hold. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly root: string,
    /** The pitch rows of the models trained from sets, for counting the windows that fit. */
    private readonly rows: { readonly pitchLow: number; readonly pitchCount: number },
    private readonly limits: TrainingSetLimits = TRAINING_SET_LIMITS,
  ) {}

  private ownerDir(owner: ApiKeyRecord): string {
    // Ids are the store's own (base64url); anything else must never become a path.
    if (!ID_PATTERN.test(owner.id)) throw new Error(`not a stored key id: ${owner.id}`);
    return join(this.root, owner.id);
  }

  private setDir(owner: ApiKeyRecord, name: string): string {
    checkSetName(name);
    return join(this.ownerDir(owner), name);
  }

  private exclusive<T>(owner: ApiKeyRecord, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(owner.id) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(work);
    this.locks.set(owner.id, run);
    void run.finally(() => {
      if (this.locks.get(owner.id) === run) this.locks.delete(owner.id);
    }).catch(() => undefined);
    return run;
  }

  private async read(dir: string, name: string): Promise<TrainingSet | undefined> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (!entries) return undefined;
    const files: TrainingSetFile[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || !MIDI_NAME.test(entry.name) || entry.name.startsWith('.')) continue;
      const s = await stat(join(dir, entry.name));
      files.push({ name: entry.name, bytes: s.size, updatedAt: s.mtime.toISOString() });
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const updatedAt = files.reduce((latest, f) => (f.updatedAt > latest ? f.updatedAt : latest), (await stat(dir)).mtime.toISOString());
    return { name, files, bytes: files.reduce((sum, f) => sum + f.bytes, 0), updatedAt };
  }

  /** The caller's sets, by name. */
  async list(owner: ApiKeyRecord): Promise<TrainingSet[]> {
    const dir = this.ownerDir(owner);
    const names = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && SET_NAME.test(e.name)).map((e) => e.name).sort();
    const sets: TrainingSet[] = [];
    for (const name of names) {
      const set = await this.read(join(dir, name), name);
      if (set) sets.push(set);
    }
    return sets;
  }

  /** One of the caller's sets; NOT_FOUND when it has none of that name (another key's set too). */
  async get(owner: ApiKeyRecord, name: string): Promise<TrainingSet> {
    const set = await this.read(this.setDir(owner, name), name);
    if (!set) throw new NotFoundError('training set', name, 'upload files into it with uploadTrainingFiles');
    return set;
  }

  /** Adds files to a set (made if new); a file of the same name replaces the old one. */
  async upload(owner: ApiKeyRecord, name: string, files: readonly UploadedFile[]): Promise<TrainingSet> {
    const dir = this.setDir(owner, name);
    if (files.length === 0) throw new InvalidInputError('give at least one file to upload', { field: 'files' });
    const names = new Set<string>();
    for (const file of files) {
      checkFileName(file.name);
      if (names.has(file.name.toLowerCase())) throw new InvalidInputError(`file '${file.name}' is given twice in one upload`, { field: 'files', file: file.name });
      names.add(file.name.toLowerCase());
    }
    if (files.length > this.limits.files) {
      throw new TooLargeError(`a training set holds up to ${this.limits.files} files; this upload has ${files.length}`, { limit: this.limits.files });
    }
    for (const file of files) checkMidiFile(file, this.limits);
    const unreadable = await firstUnreadableMidi(files.map((file) => file.data));
    if (unreadable) {
      const file = files[unreadable.index]!;
      throw new InvalidInputError(`file '${file.name}': ${unreadable.message}`, { file: file.name });
    }
    return this.exclusive(owner, async () => {
      const existing = await this.read(dir, name);
      if (!existing && (await this.list(owner)).length >= this.limits.sets) {
        throw new TooLargeError(`a key keeps up to ${this.limits.sets} training sets; delete one with deleteTrainingSet first`, { limit: this.limits.sets });
      }
      // Same names (case aside) are replaced; .mid and .MID of one song would otherwise be two files.
      const kept = (existing?.files ?? []).filter((f) => !names.has(f.name.toLowerCase()));
      const count = kept.length + files.length;
      if (count > this.limits.files) {
        throw new TooLargeError(`training set '${name}' would hold ${count} files; a set holds up to ${this.limits.files} — delete the set, or upload into another`, {
          limit: this.limits.files, files: count,
        });
      }
      const bytes = kept.reduce((sum, f) => sum + f.bytes, 0) + files.reduce((sum, f) => sum + f.data.length, 0);
      if (bytes > this.limits.bytes) {
        throw new TooLargeError(`training set '${name}' would hold ${size(bytes)}; a set holds up to ${size(this.limits.bytes)}`, { limit: this.limits.bytes, bytes });
      }
      await mkdir(dir, { recursive: true });
      for (const old of existing?.files ?? []) if (names.has(old.name.toLowerCase()) && !files.some((f) => f.name === old.name)) await rm(join(dir, old.name), { force: true });
      for (const file of files) {
        // Written beside and renamed: a file is whole or absent, never half there for a training run.
        const tmp = join(dir, `.${file.name}.tmp`);
        await writeFile(tmp, file.data);
        await rename(tmp, join(dir, file.name));
      }
      return (await this.read(dir, name))!;
    });
  }

  /** Deletes a set and its files; false when there was none. Training runs keep their own copy. */
  delete(owner: ApiKeyRecord, name: string): Promise<boolean> {
    const dir = this.setDir(owner, name);
    return this.exclusive(owner, async () => {
      if (!(await this.read(dir, name))) return false;
      await rm(dir, { recursive: true, force: true });
      return true;
    });
  }

  /** What training on a set with a mapping would see: each file's tracks, split and windows, and what was left out. */
  async preview(owner: ApiKeyRecord, name: string, mapping: TrackMapping): Promise<MidiFolderPreview> {
    checkMapping(mapping);
    const set = await this.get(owner, name);
    if (set.files.length === 0) throw new InvalidInputError(`training set '${name}' has no files; upload some with uploadTrainingFiles`, { field: 'set' });
    return previewMidiFolderInThread({ dir: this.setDir(owner, name), ...mapping, label: `training set '${name}'` }, this.rows, set.bytes);
  }

  /** Copies a set for a training run, so that later uploads or a deletion leave the run (and its resumption) as it was. */
  copyTo(owner: ApiKeyRecord, name: string, target: string): Promise<void> {
    const dir = this.setDir(owner, name);
    return this.exclusive(owner, async () => {
      await rm(target, { recursive: true, force: true });
      await cp(dir, target, { recursive: true, filter: (source) => !source.endsWith('.tmp') });
    });
  }
}

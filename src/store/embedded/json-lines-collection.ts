import { open, readFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '../../logger.js';
import type { RecordCollection, RecordKind } from '../record-collection.js';
import { applyPatch } from '../record-patch.js';
import { DuplicateRecordError, StoreUnavailableError } from '../store-errors.js';
import { isNotFound, syncDirectory, writeFileAtomically } from './durable-file.js';

/** One line of the log: a whole record as it now is, or the id of a removed record. */
type LogEntry<T> = { readonly put: T } | { readonly del: string };

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** A log this much longer than the live records (and past a minimum) is rewritten while running. */
const COMPACT_MIN_LINES = 1000;
const COMPACT_RATIO = 4;

/**
 * One collection of records, all in memory, kept in an append-only JSON-lines file.
 *
 * - Each change appends one line (`{"put":record}` or `{"del":id}`); replaying the lines in order
 *   gives the records back, and replaying a line twice changes nothing.
 * - Changes are applied in memory synchronously, in call order, so concurrent updates never lose one
 *   another; their lines go to the file in that same order.
 * - A change resolves once its line is on disk (`fdatasync`). Lines that arrive while a write is in
 *   flight are written together with one sync (group commit).
 * - Opening replays the log and, when it has stale lines or a torn last line from a crash, rewrites
 *   it with one line per live record (temp file + rename).
 */
export class JsonLinesCollection<T extends { readonly id: string }> implements RecordCollection<T> {
  private pending: string[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly path: string,
    readonly kind: RecordKind<T>,
    private readonly records: Map<string, T>,
    private handle: FileHandle,
    private lineCount: number,
    private readonly log: Logger,
  ) {}

  /** Opens (or creates) the log at `path` of one kind of record. */
  static async open<T extends { readonly id: string }>(path: string, kind: RecordKind<T>, log: Logger): Promise<JsonLinesCollection<T>> {
    const loaded = await loadLog<T>(path, log);
    let lineCount = loaded.lineCount;
    if (!loaded.clean || lineCount !== loaded.records.size) {
      await writeSnapshot(path, [...loaded.records.values()]);
      log.info({ file: basename(path), lines: lineCount, records: loaded.records.size }, 'compacted the log');
      lineCount = loaded.records.size;
    }
    // Owner only (records hold webhook URLs, which are credentials), also for a log made before this rule.
    const handle = await open(path, 'a', 0o600);
    await handle.chmod(0o600);
    return new JsonLinesCollection(path, kind, loaded.records, handle, lineCount, log);
  }

  /** True while writes can reach the disk. */
  get healthy(): boolean {
    return !this.closed && this.failure === null;
  }

  async get(id: string): Promise<T | null> {
    this.assertOpen();
    const record = this.records.get(id);
    return record ? structuredClone(record) : null;
  }

  /** Matching records in `order`, at most `limit` of them; only those returned are copied. */
  select(predicate: (record: T) => boolean, order?: (a: T, b: T) => number, limit = Number.POSITIVE_INFINITY): T[] {
    this.assertOpen();
    const found: T[] = [];
    for (const record of this.records.values()) if (predicate(record)) found.push(record);
    if (order) found.sort(order);
    return found.slice(0, limit).map((record) => structuredClone(record));
  }

  count(predicate: (record: T) => boolean): number {
    this.assertOpen();
    let count = 0;
    for (const record of this.records.values()) if (predicate(record)) count += 1;
    return count;
  }

  /** Adds a record; its unique fields are checked in the same tick as the insert, so there is no race. */
  async insert(record: T): Promise<T> {
    this.assertWritable();
    if (this.records.has(record.id)) throw new DuplicateRecordError(this.kind.what, 'id', record.id);
    for (const { field, name } of this.kind.unique ?? []) {
      for (const existing of this.records.values()) if (existing[field] === record[field]) throw new DuplicateRecordError(this.kind.what, name);
    }
    return this.put(record);
  }

  /** Replaces a record with `change(current)`; null when there is none. */
  async update(id: string, change: (current: T) => T): Promise<T | null> {
    this.assertWritable();
    const current = this.records.get(id);
    if (!current) return null;
    return this.put({ ...change(structuredClone(current)), id });
  }

  async patch(id: string, patch: object, updatedAt: string | null): Promise<T | null> {
    this.assertWritable();
    const current = this.records.get(id);
    if (!current) return null;
    // No copy first: a patch makes a new record beside the stored one, and `put` stores a parse of it.
    return this.put({ ...applyPatch(current, patch, updatedAt), id });
  }

  async remove(id: string): Promise<boolean> {
    this.assertWritable();
    if (!this.records.delete(id)) return false;
    await this.append(JSON.stringify({ del: id } satisfies LogEntry<T>));
    return true;
  }

  /** Writes what is pending and closes the file; later calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    try {
      await this.handle.close();
    } catch (error) {
      // A failed compaction may have closed it already; anything else is worth knowing.
      if (!this.failure) throw error;
    }
  }

  private async put(record: T): Promise<T> {
    const line = JSON.stringify({ put: record } satisfies LogEntry<T>);
    // The stored copy is parsed from the line itself: memory holds exactly what a restart will read.
    const stored = (JSON.parse(line) as { put: T }).put;
    this.records.set(stored.id, stored);
    await this.append(line);
    // The caller's copy, parsed again: half the cost of a structured clone of the record.
    return (JSON.parse(line) as { put: T }).put;
  }

  private append(line: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push(line);
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const lines = this.pending;
        const waiters = this.waiters;
        this.pending = [];
        this.waiters = [];
        try {
          await this.handle.appendFile(`${lines.join('\n')}\n`);
          await this.handle.datasync();
          this.lineCount += lines.length;
        } catch (error) {
          this.fail(error, [...waiters, ...this.waiters]);
          return;
        }
        for (const waiter of waiters) waiter.resolve();
        if (this.lineCount > COMPACT_MIN_LINES && this.lineCount > COMPACT_RATIO * this.records.size) await this.compact();
      }
    } finally {
      this.flushing = null;
    }
  }

  /**
   * Rewrites the log with the live records. Lines still pending are appended after it; they may
   * repeat what the snapshot holds, which replay tolerates.
   */
  private async compact(): Promise<void> {
    const snapshot = [...this.records.values()];
    try {
      await writeSnapshot(this.path, snapshot);
      await this.handle.close();
      this.handle = await open(this.path, 'a', 0o600);
      this.log.debug({ file: basename(this.path), lines: this.lineCount, records: snapshot.length }, 'compacted the log');
      this.lineCount = snapshot.length;
    } catch (error) {
      this.fail(error, this.waiters);
    }
  }

  /**
   * After a failed write, memory may hold changes the disk does not: refuse further writes (reads still
   * work) rather than let the two drift further apart. Reopening the store reads what the disk holds.
   */
  private fail(error: unknown, waiters: readonly Waiter[]): void {
    // Named by its file only: the message may reach a client, the full path is in the log.
    const code = (error as NodeJS.ErrnoException | null)?.code;
    this.failure = new StoreUnavailableError(`cannot write ${basename(this.path)}${code ? ` (${code})` : ''}; see /readyz`);
    this.log.error({ err: error, file: this.path }, 'log write failed; the store refuses further writes');
    this.pending = [];
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(this.failure);
  }

  private async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('it was closed');
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.failure) throw this.failure;
  }
}

interface LoadedLog<T> {
  readonly records: Map<string, T>;
  readonly lineCount: number;
  /** False when the file is missing, has blank lines, or ends in a torn line. */
  readonly clean: boolean;
}

async function loadLog<T extends { readonly id: string }>(path: string, log: Logger): Promise<LoadedLog<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return { records: new Map(), lineCount: 0, clean: false };
    throw error;
  }
  const records = new Map<string, T>();
  const lines = text.split('\n');
  // After the last newline comes '' for a whole file, or part of a line cut by a crash.
  let clean = lines.at(-1) === '';
  if (clean) lines.pop();
  let lineCount = 0;
  let badLine = -1;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') {
      clean = false;
      continue;
    }
    const entry = parseEntry<T>(line);
    if (!entry) {
      if (badLine < 0) badLine = index;
      continue;
    }
    if (badLine >= 0) {
      // A bad line followed by good ones is not a torn append: refuse rather than drop records silently.
      throw new StoreUnavailableError(`${path} line ${badLine + 1} is not a valid record; restore the file from a backup or remove that line`);
    }
    lineCount += 1;
    if ('put' in entry) records.set(entry.put.id, entry.put);
    else records.delete(entry.del);
  }
  if (badLine >= 0) {
    // Only the last write can be torn, and it was never acknowledged: dropping it loses nothing promised.
    log.warn({ file: path, line: badLine + 1 }, 'dropped a torn last write (the process stopped while writing)');
    clean = false;
  }
  return { records, lineCount, clean };
}

function parseEntry<T extends { readonly id: string }>(line: string): LogEntry<T> | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if ('put' in value && typeof value.put === 'object' && value.put !== null && 'id' in value.put && typeof value.put.id === 'string') {
    return value as LogEntry<T>;
  }
  if ('del' in value && typeof value.del === 'string') return value as LogEntry<T>;
  return null;
}

async function writeSnapshot<T>(path: string, records: readonly T[]): Promise<void> {
  await writeFileAtomically(path, snapshotChunks(records));
  await syncDirectory(dirname(path));
}

function* snapshotChunks<T>(records: readonly T[]): Generator<string> {
  const size = 1000;
  for (let start = 0; start < records.length; start += size) {
    yield `${records
      .slice(start, start + size)
      .map((record) => JSON.stringify({ put: record }))
      .join('\n')}\n`;
  }
}

import type { Readable } from 'node:stream';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exactBytes } from '../exact-bytes.js';
import { idForKey, newId, ID_PATTERN } from '../new-id.js';
import type { ByteRange, FileInfo, FileStorage, PutOptions } from '../ports.js';
import { StoreUnavailableError } from '../store-errors.js';
import { isNotFound, SharedDirectorySync, writeFileAtomically } from './durable-file.js';

/** What the `<id>.json` sidecar holds. */
interface Sidecar extends FileInfo {
  readonly createdAt: string;
}

/**
 * Files as `<id>.bin`, with their metadata in `<id>.json`. The sidecar is written last and removed
 * first, so a file exists exactly when its sidecar does; data left without one (a crash in between)
 * is removed on open.
 */
export class EmbeddedFileStorage implements FileStorage {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  private readonly directory: SharedDirectorySync;

  private constructor(private readonly dir: string) {
    this.directory = new SharedDirectorySync(dir);
  }

  static async open(dir: string): Promise<EmbeddedFileStorage> {
    await mkdir(dir, { recursive: true });
    const names = new Set(await readdir(dir));
    for (const name of names) {
      const orphan = name.endsWith('.tmp') || (name.endsWith('.bin') && !names.has(`${name.slice(0, -'.bin'.length)}.json`));
      if (orphan) await rm(join(dir, name), { force: true });
    }
    return new EmbeddedFileStorage(dir);
  }

  /** Under a key stored already, the data and then the sidecar are replaced, each in one rename. */
  put(data: Uint8Array, meta: { filename: string; contentType: string }, options: PutOptions = {}): Promise<FileInfo> {
    return this.track(async () => {
      const id = options.key === undefined ? newId() : idForKey(options.key);
      const info: FileInfo = { id, filename: meta.filename, contentType: meta.contentType, bytes: data.byteLength };
      const sidecar: Sidecar = { ...info, createdAt: new Date().toISOString() };
      await writeFileAtomically(this.dataPath(info.id), [data]);
      await writeFileAtomically(this.sidecarPath(info.id), [JSON.stringify(sidecar)]);
      await this.directory.sync();
      return info;
    });
  }

  async get(id: string): Promise<{ info: FileInfo; data: Uint8Array } | null> {
    this.assertOpen();
    const info = await this.info(id);
    if (!info) return null;
    try {
      const data = await readFile(this.dataPath(id));
      return { info, data: exactBytes(data) };
    } catch (error) {
      if (isNotFound(error)) return null; // deleted meanwhile
      throw error;
    }
  }

  async stream(id: string, range?: ByteRange): Promise<{ info: FileInfo; stream: NodeJS.ReadableStream } | null> {
    this.assertOpen();
    const info = await this.info(id);
    if (!info) return null;
    try {
      // Opened before returning, so a missing file is a null here rather than an error mid-stream.
      const handle = await open(this.dataPath(id), 'r');
      const stream: Readable = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
      return { info, stream };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  delete(id: string): Promise<boolean> {
    return this.track(async () => {
      if (!ID_PATTERN.test(id)) return false;
      try {
        await rm(this.sidecarPath(id));
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
      await rm(this.dataPath(id), { force: true });
      await this.directory.sync();
      return true;
    });
  }

  async listIdsBefore(before: string): Promise<string[]> {
    this.assertOpen();
    const ids: string[] = [];
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const sidecar = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Sidecar;
        if (sidecar.createdAt < before && ID_PATTERN.test(sidecar.id)) ids.push(sidecar.id);
      } catch {
        // deleted meanwhile, or not ours
      }
    }
    return ids;
  }

  /** Waits for writes under way; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  async info(id: string): Promise<FileInfo | null> {
    this.assertOpen();
    // Ids become file names: anything but our own id alphabet cannot name a stored file.
    if (!ID_PATTERN.test(id)) return null;
    try {
      const sidecar = JSON.parse(await readFile(this.sidecarPath(id), 'utf8')) as Sidecar;
      return { id: sidecar.id, filename: sidecar.filename, contentType: sidecar.contentType, bytes: sidecar.bytes };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const promise = work();
    this.inFlight.add(promise);
    void promise.then(
      () => this.inFlight.delete(promise),
      () => this.inFlight.delete(promise),
    );
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('it was closed');
  }

  private dataPath(id: string): string {
    return join(this.dir, `${id}.bin`);
  }

  private sidecarPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}

import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { toStoredTime } from '../clock.js';
import { exactBytes } from '../exact-bytes.js';
import { ID_PATTERN, idForKey, newId } from '../new-id.js';
import type { ByteRange, FileInfo, FileStorage, PutOptions } from '../ports.js';
import { StoreUnavailableError } from '../store-errors.js';

/** How much one read of a streamed file fetches: a few pages of the column, little memory per listener. */
const SLICE_BYTES = 256 * 1024;

interface FileRow {
  readonly filename: string;
  readonly content_type: string;
  /** bigint, which the driver hands over as a string. */
  readonly bytes: string;
}

/**
 * Files in the database (`files.data`, bytea), beside the records, rather than in a folder shared
 * between machines: every server and worker reaches them over the connection it already has, with no
 * network file system to mount and keep consistent; one backup (pg_dump) holds records and files
 * alike; and a file is there or not, never half-written. Continuo's files are small (MIDI of a few KB,
 * audio and pictures of a few MB). Streams read the column in slices (substring of uncompressed
 * storage reads only those pages), so a range or a slow listener never loads a whole file.
 */
export class PostgresFileStorage implements FileStorage {
  constructor(private readonly pool: Pool) {}

  async put(data: Uint8Array, meta: { filename: string; contentType: string }, options: PutOptions = {}): Promise<FileInfo> {
    const id = options.key === undefined ? newId() : idForKey(options.key);
    const info: FileInfo = { id, filename: meta.filename, contentType: meta.contentType, bytes: data.byteLength };
    // A put under a key stored already replaces the row, in one statement even when two run at once.
    const sql =
      'INSERT INTO files (id, filename, content_type, bytes, created_at, data) VALUES ($1, $2, $3, $4, $5, $6) ' +
      'ON CONFLICT (id) DO UPDATE SET filename = EXCLUDED.filename, content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes, created_at = EXCLUDED.created_at, data = EXCLUDED.data';
    await this.pool.query(sql, [
      info.id,
      info.filename,
      info.contentType,
      info.bytes,
      new Date().toISOString(),
      Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    ]);
    return info;
  }

  async get(id: string): Promise<{ info: FileInfo; data: Uint8Array } | null> {
    if (!ID_PATTERN.test(id)) return null;
    const { rows } = await this.pool.query<FileRow & { data: Buffer }>('SELECT filename, content_type, bytes, data FROM files WHERE id = $1', [id]);
    const row = rows[0];
    return row ? { info: toInfo(id, row), data: exactBytes(row.data) } : null;
  }

  async info(id: string): Promise<FileInfo | null> {
    if (!ID_PATTERN.test(id)) return null;
    const { rows } = await this.pool.query<FileRow>('SELECT filename, content_type, bytes FROM files WHERE id = $1', [id]);
    return rows[0] ? toInfo(id, rows[0]) : null;
  }

  async stream(id: string, range?: ByteRange): Promise<{ info: FileInfo; stream: NodeJS.ReadableStream } | null> {
    const info = await this.info(id);
    if (!info) return null;
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? info.bytes - 1, info.bytes - 1);
    return { info, stream: Readable.from(this.slices(id, start, end), { objectMode: false }) };
  }

  async delete(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    const { rowCount } = await this.pool.query('DELETE FROM files WHERE id = $1', [id]);
    return rowCount === 1;
  }

  async listIdsBefore(before: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM files WHERE created_at < $1', [toStoredTime(before, 'before')]);
    return rows.map((row) => row.id);
  }

  /** Bytes `start` to `end` (both included), one slice per read, fetched only when the reader wants more. */
  private async *slices(id: string, start: number, end: number): AsyncGenerator<Buffer> {
    for (let at = start; at <= end; at += SLICE_BYTES) {
      const length = Math.min(SLICE_BYTES, end - at + 1);
      // substring counts from 1.
      const { rows } = await this.pool.query<{ slice: Buffer }>('SELECT substring(data FROM $2 FOR $3) AS slice FROM files WHERE id = $1', [id, at + 1, length]);
      if (!rows[0]) throw new StoreUnavailableError(`file ${id} was deleted while it was being read`);
      yield rows[0].slice;
    }
  }
}

function toInfo(id: string, row: FileRow): FileInfo {
  return { id, filename: row.filename, contentType: row.content_type, bytes: Number(row.bytes) };
}

import { finished } from 'node:stream/promises';
import { MongoRuntimeError, type GridFSBucket, type GridFSFile, type ObjectId } from 'mongodb';
import { exactBytes } from '../exact-bytes.js';
import { idForKey, newId } from '../new-id.js';
import { isDuplicateKey } from './mongo-duplicate-key.js';
import type { ByteRange, FileInfo, FileStorage, PutOptions } from '../ports.js';

/**
 * GridFS is typed for ObjectId ids, but the driver and the server take any `_id`. File ids are random
 * strings as in the embedded store, so that they cannot be guessed from one another (ObjectIds can).
 */
function fileId(id: string): ObjectId {
  return id as unknown as ObjectId;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Files in a GridFS bucket; the content type lives in the file's `metadata`. */
export class GridFsFileStorage implements FileStorage {
  constructor(private readonly bucket: GridFSBucket) {}

  async put(data: Uint8Array, meta: { filename: string; contentType: string }, options: PutOptions = {}): Promise<FileInfo> {
    const id = options.key === undefined ? newId() : idForKey(options.key);
    const info: FileInfo = { id, filename: meta.filename, contentType: meta.contentType, bytes: data.byteLength };
    // GridFS cannot overwrite a file: one put under a key stored already removes the old one first.
    if (options.key !== undefined) await this.delete(id);
    const upload = this.bucket.openUploadStreamWithId(fileId(id), meta.filename, { metadata: { contentType: meta.contentType } });
    upload.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    try {
      await finished(upload);
    } catch (error) {
      // Another put under the same key, at the same moment, stored its file first: the same file.
      if (options.key !== undefined && isDuplicateKey(error)) return info;
      throw error;
    }
    return info;
  }

  async get(id: string): Promise<{ info: FileInfo; data: Uint8Array } | null> {
    const file = await this.find(id);
    if (!file) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(fileId(id))) chunks.push(chunk as Buffer);
    return { info: toInfo(id, file), data: exactBytes(Buffer.concat(chunks)) };
  }

  async info(id: string): Promise<FileInfo | null> {
    const file = await this.find(id);
    return file ? toInfo(id, file) : null;
  }

  async stream(id: string, range?: ByteRange): Promise<{ info: FileInfo; stream: NodeJS.ReadableStream } | null> {
    const file = await this.find(id);
    if (!file) return null;
    // GridFS counts `end` exclusive; a range here includes it.
    const options = range ? { start: range.start, end: range.end + 1 } : {};
    return { info: toInfo(id, file), stream: this.bucket.openDownloadStream(fileId(id), options) };
  }

  async delete(id: string): Promise<boolean> {
    try {
      await this.bucket.delete(fileId(id));
      return true;
    } catch (error) {
      // The driver reports a missing file only by this message (NODE-3483).
      if (error instanceof MongoRuntimeError && error.message.startsWith('File not found')) return false;
      throw error;
    }
  }

  async listIdsBefore(before: string): Promise<string[]> {
    const files = await this.bucket.find({ uploadDate: { $lt: new Date(before) } }, { projection: { _id: 1 } }).toArray();
    return files.map((file) => String(file._id));
  }

  private find(id: string): Promise<GridFSFile | null> {
    return this.bucket.find({ _id: fileId(id) }, { limit: 1 }).next();
  }
}

function toInfo(id: string, file: GridFSFile): FileInfo {
  const contentType: unknown = file.metadata?.contentType;
  return { id, filename: file.filename, contentType: typeof contentType === 'string' ? contentType : DEFAULT_CONTENT_TYPE, bytes: file.length };
}

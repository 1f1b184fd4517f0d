import type { ApiKeyRecord, CompositionRecord, JobRecord, ShareRecord } from './records.js';

/** A page of records, newest first, and the cursor for the next page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly totalCount: number;
}

export interface PageRequest {
  /** 1–100 */
  readonly first: number;
  /** Cursor from a previous page. */
  readonly after?: string | null;
}

type New<T> = Omit<T, 'id' | 'createdAt' | 'updatedAt'>;
type Patch<T> = Partial<Omit<T, 'id' | 'createdAt'>>;

export interface CompositionRepository {
  create(record: New<CompositionRecord>): Promise<CompositionRecord>;
  get(id: string): Promise<CompositionRecord | null>;
  /** Applies the patch and returns the new record; null if there is none. */
  update(id: string, patch: Patch<CompositionRecord>): Promise<CompositionRecord | null>;
  delete(id: string): Promise<boolean>;
  listByOwner(ownerId: string, page: PageRequest): Promise<Page<CompositionRecord>>;
  /** Compositions made by an owner since a time (for quotas). */
  countByOwnerSince(ownerId: string, since: string): Promise<number>;
  /** Compositions in any of the statuses, oldest first (for recovery after a restart). */
  listByStatus(statuses: readonly CompositionRecord['status'][]): Promise<CompositionRecord[]>;
  /** An owner's compositions in any of the statuses (jobs in flight per key). */
  countByOwnerInStatus(ownerId: string, statuses: readonly CompositionRecord['status'][]): Promise<number>;
}

export interface JobRepository {
  create(record: New<JobRecord>): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  update(id: string, patch: Patch<JobRecord>): Promise<JobRecord | null>;
  /** Jobs in any of the statuses, oldest first (for recovery after a restart). */
  listByStatus(statuses: readonly JobRecord['status'][]): Promise<JobRecord[]>;
  /**
   * Jobs of a type an owner started since a time: what a key has had made, for quotas. A job record
   * outlives what it made (deleting a composition leaves its job), so a cleanup of old jobs must keep
   * those of the quota period.
   */
  countByOwnerSince(ownerId: string, type: JobRecord['type'], since: string): Promise<number>;
  /**
   * The creation time of the `index`-th (from 0, oldest first) of those jobs, or null when there are
   * not that many: when a used-up quota frees a place again.
   */
  createdAtByOwnerSince(ownerId: string, type: JobRecord['type'], since: string, index: number): Promise<string | null>;
  /**
   * Removes finished jobs (done, failed, cancelled) last changed before `before`, except compose jobs
   * made since `keepComposeSince` (the quota counts them). Returns how many went.
   */
  deleteFinishedBefore(before: string, keepComposeSince: string): Promise<number>;
}

export interface ApiKeyRepository {
  create(record: Omit<ApiKeyRecord, 'id' | 'createdAt'>): Promise<ApiKeyRecord>;
  get(id: string): Promise<ApiKeyRecord | null>;
  findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string): Promise<ApiKeyRecord | null>;
}

export interface ShareRepository {
  create(record: New<ShareRecord>): Promise<ShareRecord>;
  get(id: string): Promise<ShareRecord | null>;
  update(id: string, patch: Patch<ShareRecord>): Promise<ShareRecord | null>;
  listByComposition(compositionId: string): Promise<ShareRecord[]>;
}

export interface FileInfo {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: number;
}

/** Bytes `start` to `end` of a file, both included (as HTTP's Range counts them). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface PutOptions {
  /**
   * Makes the put idempotent: the file's id follows from the key, and a put under a key stored already
   * replaces that file, so that a job run again writes over what it wrote before, never beside it.
   * A key must be as hard to guess as an id (built from ids no client sees, such as a job's).
   */
  readonly key?: string;
}

/** Binary files (MIDI, audio, pictures). */
export interface FileStorage {
  put(data: Uint8Array, meta: { filename: string; contentType: string }, options?: PutOptions): Promise<FileInfo>;
  /** null when there is no such file. */
  get(id: string): Promise<{ info: FileInfo; data: Uint8Array } | null>;
  /** What is stored under an id, without its data; null when there is no such file. */
  info(id: string): Promise<FileInfo | null>;
  /** Streams large files (audio), whole or one byte range of them; null when there is no such file. */
  stream(id: string, range?: ByteRange): Promise<{ info: FileInfo; stream: NodeJS.ReadableStream } | null>;
  delete(id: string): Promise<boolean>;
  /** Ids of the files stored before a time (for the clean-up of files no record names). */
  listIdsBefore(before: string): Promise<string[]>;
}

/** Everything the services keep, behind one object an adapter provides. */
export interface Store {
  readonly kind: 'embedded' | 'mongodb' | 'postgresql';
  readonly compositions: CompositionRepository;
  readonly jobs: JobRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly shares: ShareRepository;
  readonly files: FileStorage;
  /** Liveness of the backing database (for /readyz). */
  ping(): Promise<boolean>;
  /**
   * An id made once for the data this store holds (the data folder, the database schema): processes
   * with the same id share records, so they may share a job queue.
   */
  identity(): Promise<string>;
  close(): Promise<void>;
}

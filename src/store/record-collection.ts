/** A kind of record, described once for every adapter. */
export interface RecordKind<T> {
  /** Names one record in messages: "an API key". */
  readonly what: string;
  /** Fields no two records may share, each with the name a message gives it (secretHash: "secret"). */
  readonly unique?: readonly { readonly field: keyof T & string; readonly name: string }[];
}

/**
 * The records of one kind by id, as one adapter keeps them. This is all the repositories need to create,
 * get, update and delete (src/store/record-repository.ts); each adapter writes it once, and its
 * repositories add only their queries.
 */
export interface RecordCollection<T extends { readonly id: string }> {
  readonly kind: RecordKind<T>;
  /** Adds a record and returns it as stored; DuplicateRecordError when it shares a unique field with a stored one. */
  insert(record: T): Promise<T>;
  get(id: string): Promise<T | null>;
  /**
   * Applies a patch (src/store/record-patch.ts: a shallow merge, `undefined` removes a field) in one
   * atomic step, so that concurrent patches of different fields all land; sets `updatedAt` unless it
   * is null. Null when there is no such record.
   */
  patch(id: string, patch: object, updatedAt: string | null): Promise<T | null>;
  remove(id: string): Promise<boolean>;
}

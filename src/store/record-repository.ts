import { nowIso } from './clock.js';
import { newId } from './new-id.js';
import { plainCopy } from './plain-copy.js';
import type { RecordCollection } from './record-collection.js';

interface CreatedRecord {
  readonly id: string;
  readonly createdAt: string;
}

interface ChangingRecord extends CreatedRecord {
  readonly updatedAt: string;
}

/**
 * What every repository does alike, on any adapter's collection: the store makes the id and the
 * timestamps, and keeps and hands out plain copies (src/store/plain-copy.ts). Subclasses add the
 * queries of their port, reaching their adapter through `records`.
 */
abstract class RecordRepository<T extends CreatedRecord, C extends RecordCollection<T>> {
  constructor(protected readonly records: C) {}

  get(id: string): Promise<T | null> {
    return this.records.get(id);
  }

  protected insertNew(fields: object, timestamps: Partial<ChangingRecord>): Promise<T> {
    return this.records.insert({ ...plainCopy(fields), id: newId(), ...timestamps } as unknown as T);
  }
}

/** Records that say when they were made (API keys). */
export class CreatedRecordRepository<T extends CreatedRecord, C extends RecordCollection<T> = RecordCollection<T>> extends RecordRepository<T, C> {
  create(record: Omit<T, 'id' | 'createdAt'>): Promise<T> {
    return this.insertNew(record, { createdAt: nowIso() });
  }
}

/** Records that change after they are made, and say when they last did (compositions, jobs, shares). */
export class ChangingRecordRepository<T extends ChangingRecord, C extends RecordCollection<T> = RecordCollection<T>> extends RecordRepository<T, C> {
  create(record: Omit<T, 'id' | 'createdAt' | 'updatedAt'>): Promise<T> {
    const now = nowIso();
    return this.insertNew(record, { createdAt: now, updatedAt: now });
  }

  /** A shallow patch; fields patched with `undefined` are removed; the id and timestamps stay the store's. */
  update(id: string, patch: Partial<Omit<T, 'id' | 'createdAt'>>): Promise<T | null> {
    return this.records.patch(id, patch, nowIso());
  }
}

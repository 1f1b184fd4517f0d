import type { Collection, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import type { RecordCollection, RecordKind } from '../record-collection.js';
import { DuplicateRecordError } from '../store-errors.js';
import { toDocument, toRecord, type MongoDocument } from './mongo-documents.js';
import { isDuplicateKey } from './mongo-duplicate-key.js';
import { toUpdate } from './mongo-queries.js';

/** One kind of record in a MongoDB collection, the record id as `_id`; unique fields have unique indexes (mongo-indexes.ts). */
export class MongoRecordCollection<T extends { readonly id: string }> implements RecordCollection<T> {
  constructor(
    readonly collection: Collection<MongoDocument<T>>,
    readonly kind: RecordKind<T>,
  ) {}

  async insert(record: T): Promise<T> {
    try {
      await this.collection.insertOne(toDocument(record) as OptionalUnlessRequiredId<MongoDocument<T>>);
    } catch (error) {
      if (isDuplicateKey(error)) throw this.duplicate(error);
      throw error;
    }
    return record;
  }

  async get(id: string): Promise<T | null> {
    const document = await this.collection.findOne(byId<T>(id));
    return document ? toRecord<T>(document as MongoDocument<T>) : null;
  }

  /** One atomic findOneAndUpdate: concurrent patches of different fields all land. */
  async patch(id: string, patch: object, updatedAt: string | null): Promise<T | null> {
    const update = toUpdate(patch, updatedAt) as UpdateFilter<MongoDocument<T>>;
    const document = await this.collection.findOneAndUpdate(byId<T>(id), update, { returnDocument: 'after' });
    return document ? toRecord<T>(document as MongoDocument<T>) : null;
  }

  async remove(id: string): Promise<boolean> {
    const { deletedCount } = await this.collection.deleteOne(byId<T>(id));
    return deletedCount === 1;
  }

  /** Names the unique field the server reports (`keyPattern`), else the first one there is. */
  private duplicate(error: unknown): DuplicateRecordError {
    const keyPattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern ?? {};
    const unique = this.kind.unique ?? [];
    const clash = unique.find(({ field }) => field in keyPattern) ?? ('_id' in keyPattern ? undefined : unique[0]);
    return new DuplicateRecordError(this.kind.what, clash?.name ?? 'id');
  }
}

function byId<T extends { readonly id: string }>(id: string): Filter<MongoDocument<T>> {
  return { _id: id } as Filter<MongoDocument<T>>;
}

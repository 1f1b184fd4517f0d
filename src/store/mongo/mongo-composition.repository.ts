import type { Collection, Filter, UpdateFilter } from 'mongodb';
import { nowIso, toStoredTime } from '../clock.js';
import { newId } from '../new-id.js';
import { readPageRequest, toPage } from '../page-cursor.js';
import type { CompositionRepository, Page, PageRequest } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import type { CompositionRecord } from '../records.js';
import { toDocument, toRecord, type MongoDocument } from './mongo-documents.js';
import { afterPosition, NEWEST_FIRST, OLDEST_FIRST, toUpdate } from './mongo-queries.js';

type CompositionDocument = MongoDocument<CompositionRecord>;

export class MongoCompositionRepository implements CompositionRepository {
  constructor(private readonly collection: Collection<CompositionDocument>) {}

  async create(record: Omit<CompositionRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<CompositionRecord> {
    const now = nowIso();
    const created: CompositionRecord = { ...plainCopy(record), id: newId(), createdAt: now, updatedAt: now };
    await this.collection.insertOne(toDocument(created));
    return created;
  }

  async get(id: string): Promise<CompositionRecord | null> {
    const document = await this.collection.findOne({ _id: id });
    return document ? toRecord<CompositionRecord>(document) : null;
  }

  async update(id: string, patch: Partial<Omit<CompositionRecord, 'id' | 'createdAt'>>): Promise<CompositionRecord | null> {
    const update = toUpdate(patch, nowIso()) as UpdateFilter<CompositionDocument>;
    const document = await this.collection.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
    return document ? toRecord<CompositionRecord>(document) : null;
  }

  async delete(id: string): Promise<boolean> {
    const { deletedCount } = await this.collection.deleteOne({ _id: id });
    return deletedCount === 1;
  }

  async listByOwner(ownerId: string, page: PageRequest): Promise<Page<CompositionRecord>> {
    const { first, after } = readPageRequest(page);
    const filter = { ownerId, ...afterPosition(after) } as Filter<CompositionDocument>;
    const [documents, totalCount] = await Promise.all([
      // One more than asked says whether there is a next page.
      this.collection.find(filter).sort(NEWEST_FIRST).limit(first + 1).toArray(),
      this.collection.countDocuments({ ownerId }),
    ]);
    return toPage(documents.map(toRecord<CompositionRecord>), first, totalCount);
  }

  async countByOwnerSince(ownerId: string, since: string): Promise<number> {
    return this.collection.countDocuments({ ownerId, createdAt: { $gte: toStoredTime(since, 'since') } });
  }

  async countByOwnerInStatus(ownerId: string, statuses: readonly CompositionRecord['status'][]): Promise<number> {
    return this.collection.countDocuments({ ownerId, status: { $in: [...statuses] } });
  }

  async listByStatus(statuses: readonly CompositionRecord['status'][]): Promise<CompositionRecord[]> {
    if (statuses.length === 0) return [];
    const documents = await this.collection.find({ status: { $in: [...statuses] } }).sort(OLDEST_FIRST).toArray();
    return documents.map(toRecord<CompositionRecord>);
  }
}

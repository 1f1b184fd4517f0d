import type { Collection, UpdateFilter } from 'mongodb';
import { nowIso } from '../clock.js';
import { newId } from '../new-id.js';
import type { ShareRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import type { ShareRecord } from '../records.js';
import { toDocument, toRecord, type MongoDocument } from './mongo-documents.js';
import { OLDEST_FIRST, toUpdate } from './mongo-queries.js';

type ShareDocument = MongoDocument<ShareRecord>;

export class MongoShareRepository implements ShareRepository {
  constructor(private readonly collection: Collection<ShareDocument>) {}

  async create(record: Omit<ShareRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<ShareRecord> {
    const now = nowIso();
    const created: ShareRecord = { ...plainCopy(record), id: newId(), createdAt: now, updatedAt: now };
    await this.collection.insertOne(toDocument(created));
    return created;
  }

  async get(id: string): Promise<ShareRecord | null> {
    const document = await this.collection.findOne({ _id: id });
    return document ? toRecord<ShareRecord>(document) : null;
  }

  async update(id: string, patch: Partial<Omit<ShareRecord, 'id' | 'createdAt'>>): Promise<ShareRecord | null> {
    const update = toUpdate(patch, nowIso()) as UpdateFilter<ShareDocument>;
    const document = await this.collection.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
    return document ? toRecord<ShareRecord>(document) : null;
  }

  /** Oldest first: the order the shares were asked for. */
  async listByComposition(compositionId: string): Promise<ShareRecord[]> {
    const documents = await this.collection.find({ compositionId }).sort(OLDEST_FIRST).toArray();
    return documents.map(toRecord<ShareRecord>);
  }
}

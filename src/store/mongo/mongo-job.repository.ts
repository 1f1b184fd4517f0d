import type { Collection, UpdateFilter } from 'mongodb';
import { nowIso, toStoredTime } from '../clock.js';
import { newId } from '../new-id.js';
import type { JobRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import type { JobRecord } from '../records.js';
import { toDocument, toRecord, type MongoDocument } from './mongo-documents.js';
import { OLDEST_FIRST, toUpdate } from './mongo-queries.js';

type JobDocument = MongoDocument<JobRecord>;

export class MongoJobRepository implements JobRepository {
  constructor(private readonly collection: Collection<JobDocument>) {}

  async create(record: Omit<JobRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<JobRecord> {
    const now = nowIso();
    const created: JobRecord = { ...plainCopy(record), id: newId(), createdAt: now, updatedAt: now };
    await this.collection.insertOne(toDocument(created));
    return created;
  }

  async get(id: string): Promise<JobRecord | null> {
    const document = await this.collection.findOne({ _id: id });
    return document ? toRecord<JobRecord>(document) : null;
  }

  /** One atomic findOneAndUpdate: concurrent patches of different fields all land. */
  async update(id: string, patch: Partial<Omit<JobRecord, 'id' | 'createdAt'>>): Promise<JobRecord | null> {
    const update = toUpdate(patch, nowIso()) as UpdateFilter<JobDocument>;
    const document = await this.collection.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
    return document ? toRecord<JobRecord>(document) : null;
  }

  async listByStatus(statuses: readonly JobRecord['status'][]): Promise<JobRecord[]> {
    if (statuses.length === 0) return [];
    const documents = await this.collection
      .find({ status: { $in: [...statuses] } })
      .sort(OLDEST_FIRST)
      .toArray();
    return documents.map(toRecord<JobRecord>);
  }

  async deleteFinishedBefore(before: string, keepComposeSince: string): Promise<number> {
    const { deletedCount } = await this.collection.deleteMany({
      status: { $in: ['done', 'failed', 'cancelled'] },
      updatedAt: { $lt: toStoredTime(before, 'before') },
      $nor: [{ type: 'compose', createdAt: { $gte: toStoredTime(keepComposeSince, 'keepComposeSince') } }],
    });
    return deletedCount;
  }

  async countByOwnerSince(ownerId: string, type: JobRecord['type'], since: string): Promise<number> {
    return this.collection.countDocuments({ ownerId, type, createdAt: { $gte: toStoredTime(since, 'since') } });
  }
}

import { toStoredTime } from '../clock.js';
import type { JobRepository } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import type { JobRecord } from '../records.js';
import { toRecord } from './mongo-documents.js';
import { OLDEST_FIRST } from './mongo-queries.js';
import type { MongoRecordCollection } from './mongo-record-collection.js';

export class MongoJobRepository extends ChangingRecordRepository<JobRecord, MongoRecordCollection<JobRecord>> implements JobRepository {
  async listByStatus(statuses: readonly JobRecord['status'][]): Promise<JobRecord[]> {
    if (statuses.length === 0) return [];
    const documents = await this.records.collection
      .find({ status: { $in: [...statuses] } })
      .sort(OLDEST_FIRST)
      .toArray();
    return documents.map(toRecord<JobRecord>);
  }

  async deleteFinishedBefore(before: string, keepComposeSince: string): Promise<number> {
    const { deletedCount } = await this.records.collection.deleteMany({
      status: { $in: ['done', 'failed', 'cancelled'] },
      updatedAt: { $lt: toStoredTime(before, 'before') },
      $nor: [{ type: 'compose', createdAt: { $gte: toStoredTime(keepComposeSince, 'keepComposeSince') } }],
    });
    return deletedCount;
  }

  async countByOwnerSince(ownerId: string, type: JobRecord['type'], since: string): Promise<number> {
    return this.records.collection.countDocuments({ ownerId, type, createdAt: { $gte: toStoredTime(since, 'since') } });
  }

  async createdAtByOwnerSince(ownerId: string, type: JobRecord['type'], since: string, index: number): Promise<string | null> {
    const [job] = await this.records.collection
      .find({ ownerId, type, createdAt: { $gte: toStoredTime(since, 'since') } })
      .sort(OLDEST_FIRST)
      .skip(index)
      .limit(1)
      .toArray();
    return job ? toRecord<JobRecord>(job).createdAt : null;
  }
}

import type { Filter } from 'mongodb';
import { toStoredTime } from '../clock.js';
import { readPageRequest, toPage } from '../page-cursor.js';
import type { CompositionRepository, Page, PageRequest } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import type { CompositionRecord } from '../records.js';
import { toRecord, type MongoDocument } from './mongo-documents.js';
import { afterPosition, NEWEST_FIRST, OLDEST_FIRST } from './mongo-queries.js';
import type { MongoRecordCollection } from './mongo-record-collection.js';

type CompositionDocument = MongoDocument<CompositionRecord>;

export class MongoCompositionRepository
  extends ChangingRecordRepository<CompositionRecord, MongoRecordCollection<CompositionRecord>>
  implements CompositionRepository
{
  async delete(id: string): Promise<boolean> {
    return this.records.remove(id);
  }

  async listByOwner(ownerId: string, page: PageRequest): Promise<Page<CompositionRecord>> {
    const { first, after } = readPageRequest(page);
    const filter = { ownerId, ...afterPosition(after) } as Filter<CompositionDocument>;
    const [documents, totalCount] = await Promise.all([
      // One more than asked says whether there is a next page.
      this.records.collection.find(filter).sort(NEWEST_FIRST).limit(first + 1).toArray(),
      this.records.collection.countDocuments({ ownerId }),
    ]);
    return toPage(documents.map(toRecord<CompositionRecord>), first, totalCount);
  }

  async countByOwnerSince(ownerId: string, since: string): Promise<number> {
    return this.records.collection.countDocuments({ ownerId, createdAt: { $gte: toStoredTime(since, 'since') } });
  }

  async countByOwnerInStatus(ownerId: string, statuses: readonly CompositionRecord['status'][]): Promise<number> {
    return this.records.collection.countDocuments({ ownerId, status: { $in: [...statuses] } });
  }

  async listByStatus(statuses: readonly CompositionRecord['status'][]): Promise<CompositionRecord[]> {
    if (statuses.length === 0) return [];
    const documents = await this.records.collection.find({ status: { $in: [...statuses] } }).sort(OLDEST_FIRST).toArray();
    return documents.map(toRecord<CompositionRecord>);
  }
}

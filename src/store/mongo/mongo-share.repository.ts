import type { ShareRepository } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import type { ShareRecord } from '../records.js';
import { toRecord } from './mongo-documents.js';
import { OLDEST_FIRST } from './mongo-queries.js';
import type { MongoRecordCollection } from './mongo-record-collection.js';

export class MongoShareRepository extends ChangingRecordRepository<ShareRecord, MongoRecordCollection<ShareRecord>> implements ShareRepository {
  /** Oldest first: the order the shares were asked for. */
  async listByComposition(compositionId: string): Promise<ShareRecord[]> {
    const documents = await this.records.collection.find({ compositionId }).sort(OLDEST_FIRST).toArray();
    return documents.map(toRecord<ShareRecord>);
  }
}

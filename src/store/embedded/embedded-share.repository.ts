import type { ShareRepository } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import { oldestFirst } from '../record-order.js';
import type { ShareRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedShareRepository extends ChangingRecordRepository<ShareRecord, JsonLinesCollection<ShareRecord>> implements ShareRepository {
  /** Oldest first: the order the shares were asked for. */
  async listByComposition(compositionId: string): Promise<ShareRecord[]> {
    return this.records.select((record) => record.compositionId === compositionId, oldestFirst);
  }
}

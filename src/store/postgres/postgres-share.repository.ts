import type { ShareRepository } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import type { ShareRecord } from '../records.js';
import type { PostgresRecordTable } from './postgres-record-table.js';

export class PostgresShareRepository extends ChangingRecordRepository<ShareRecord, PostgresRecordTable<ShareRecord>> implements ShareRepository {
  /** Oldest first: the order the shares were asked for. */
  async listByComposition(compositionId: string): Promise<ShareRecord[]> {
    return this.records.select('composition_id = $1', [compositionId], 'oldest first');
  }
}

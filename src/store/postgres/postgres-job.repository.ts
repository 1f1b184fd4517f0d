import { toStoredTime } from '../clock.js';
import type { JobRepository } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import type { JobRecord } from '../records.js';
import type { PostgresRecordTable } from './postgres-record-table.js';

export class PostgresJobRepository extends ChangingRecordRepository<JobRecord, PostgresRecordTable<JobRecord>> implements JobRepository {
  async listByStatus(statuses: readonly JobRecord['status'][]): Promise<JobRecord[]> {
    if (statuses.length === 0) return [];
    return this.records.select('status = ANY($1)', [[...statuses]], 'oldest first');
  }

  /** One statement: what it removes is decided and removed at once. */
  async deleteFinishedBefore(before: string, keepComposeSince: string): Promise<number> {
    return this.records.removeWhere("status IN ('done', 'failed', 'cancelled') AND updated_at < $1 AND NOT (type = 'compose' AND created_at >= $2)", [
      toStoredTime(before, 'before'),
      toStoredTime(keepComposeSince, 'keepComposeSince'),
    ]);
  }

  async countByOwnerSince(ownerId: string, type: JobRecord['type'], since: string): Promise<number> {
    return this.records.count('owner_id = $1 AND type = $2 AND created_at >= $3', [ownerId, type, toStoredTime(since, 'since')]);
  }

  async createdAtByOwnerSince(ownerId: string, type: JobRecord['type'], since: string, index: number): Promise<string | null> {
    const jobs = await this.records.select('owner_id = $1 AND type = $2 AND created_at >= $3', [ownerId, type, toStoredTime(since, 'since')], 'oldest first', index + 1);
    return jobs[index]?.createdAt ?? null;
  }
}

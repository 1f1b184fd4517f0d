import { toStoredTime } from '../clock.js';
import { readPageRequest, toPage } from '../page-cursor.js';
import type { CompositionRepository, Page, PageRequest } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import type { CompositionRecord } from '../records.js';
import type { PostgresRecordTable } from './postgres-record-table.js';

export class PostgresCompositionRepository
  extends ChangingRecordRepository<CompositionRecord, PostgresRecordTable<CompositionRecord>>
  implements CompositionRepository
{
  async delete(id: string): Promise<boolean> {
    return this.records.remove(id);
  }

  async listByOwner(ownerId: string, page: PageRequest): Promise<Page<CompositionRecord>> {
    const { first, after } = readPageRequest(page);
    const [items, totalCount] = await Promise.all([
      // One more than asked says whether there is a next page.
      after
        ? this.records.select('owner_id = $1 AND (created_at, id) < ($2, $3)', [ownerId, after.createdAt, after.id], 'newest first', first + 1)
        : this.records.select('owner_id = $1', [ownerId], 'newest first', first + 1),
      this.records.count('owner_id = $1', [ownerId]),
    ]);
    return toPage(items, first, totalCount);
  }

  async countByOwnerSince(ownerId: string, since: string): Promise<number> {
    return this.records.count('owner_id = $1 AND created_at >= $2', [ownerId, toStoredTime(since, 'since')]);
  }

  async countByOwnerInStatus(ownerId: string, statuses: readonly CompositionRecord['status'][]): Promise<number> {
    return this.records.count('owner_id = $1 AND status = ANY($2)', [ownerId, [...statuses]]);
  }

  async listByStatus(statuses: readonly CompositionRecord['status'][]): Promise<CompositionRecord[]> {
    if (statuses.length === 0) return [];
    return this.records.select('status = ANY($1)', [[...statuses]], 'oldest first');
  }
}

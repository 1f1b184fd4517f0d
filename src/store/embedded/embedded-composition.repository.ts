import { toStoredTime } from '../clock.js';
import { isAfter, readPageRequest, toPage } from '../page-cursor.js';
import type { CompositionRepository, Page, PageRequest } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import { newestFirst, oldestFirst } from '../record-order.js';
import type { CompositionRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedCompositionRepository
  extends ChangingRecordRepository<CompositionRecord, JsonLinesCollection<CompositionRecord>>
  implements CompositionRepository
{
  async delete(id: string): Promise<boolean> {
    return this.records.remove(id);
  }

  async listByOwner(ownerId: string, page: PageRequest): Promise<Page<CompositionRecord>> {
    const { first, after } = readPageRequest(page);
    // All in memory: a scan is cheap at the sizes an embedded store is meant for.
    const items = this.records.select((record) => record.ownerId === ownerId && (!after || isAfter(record, after)), newestFirst, first + 1);
    return toPage(items, first, this.records.count((record) => record.ownerId === ownerId));
  }

  async countByOwnerSince(ownerId: string, since: string): Promise<number> {
    const from = toStoredTime(since, 'since');
    return this.records.count((record) => record.ownerId === ownerId && record.createdAt >= from);
  }

  async countByOwnerInStatus(ownerId: string, statuses: readonly CompositionRecord['status'][]): Promise<number> {
    const wanted = new Set(statuses);
    return this.records.count((record) => record.ownerId === ownerId && wanted.has(record.status));
  }

  async listByStatus(statuses: readonly CompositionRecord['status'][]): Promise<CompositionRecord[]> {
    const wanted = new Set(statuses);
    return this.records.select((record) => wanted.has(record.status), oldestFirst);
  }
}

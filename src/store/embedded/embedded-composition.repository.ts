import { nowIso, toStoredTime } from '../clock.js';
import { newId } from '../new-id.js';
import { isAfter, readPageRequest, toPage } from '../page-cursor.js';
import type { CompositionRepository, Page, PageRequest } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import { applyPatch } from '../record-patch.js';
import { newestFirst, oldestFirst } from '../record-order.js';
import type { CompositionRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedCompositionRepository implements CompositionRepository {
  constructor(private readonly records: JsonLinesCollection<CompositionRecord>) {}

  async create(record: Omit<CompositionRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<CompositionRecord> {
    const now = nowIso();
    return this.records.insert({ ...plainCopy(record), id: newId(), createdAt: now, updatedAt: now });
  }

  async get(id: string): Promise<CompositionRecord | null> {
    return this.records.get(id);
  }

  async update(id: string, patch: Partial<Omit<CompositionRecord, 'id' | 'createdAt'>>): Promise<CompositionRecord | null> {
    return this.records.update(id, (current) => applyPatch(current, patch, nowIso()));
  }

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

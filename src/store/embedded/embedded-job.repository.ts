import { nowIso, toStoredTime } from '../clock.js';
import { newId } from '../new-id.js';
import type { JobRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import { applyPatch } from '../record-patch.js';
import { oldestFirst } from '../record-order.js';
import type { JobRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedJobRepository implements JobRepository {
  constructor(private readonly records: JsonLinesCollection<JobRecord>) {}

  async create(record: Omit<JobRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<JobRecord> {
    const now = nowIso();
    return this.records.insert({ ...plainCopy(record), id: newId(), createdAt: now, updatedAt: now });
  }

  async get(id: string): Promise<JobRecord | null> {
    return this.records.get(id);
  }

  async update(id: string, patch: Partial<Omit<JobRecord, 'id' | 'createdAt'>>): Promise<JobRecord | null> {
    return this.records.update(id, (current) => applyPatch(current, patch, nowIso()));
  }

  async listByStatus(statuses: readonly JobRecord['status'][]): Promise<JobRecord[]> {
    const wanted = new Set(statuses);
    return this.records.select((record) => wanted.has(record.status), oldestFirst);
  }

  async deleteFinishedBefore(before: string, keepComposeSince: string): Promise<number> {
    const [until, keep] = [toStoredTime(before, 'before'), toStoredTime(keepComposeSince, 'keepComposeSince')];
    const old = this.records.select(
      (r) => (r.status === 'done' || r.status === 'failed' || r.status === 'cancelled') && r.updatedAt < until && !(r.type === 'compose' && r.createdAt >= keep),
    );
    for (const job of old) await this.records.remove(job.id);
    return old.length;
  }

  async countByOwnerSince(ownerId: string, type: JobRecord['type'], since: string): Promise<number> {
    const from = toStoredTime(since, 'since');
    return this.records.count((record) => record.ownerId === ownerId && record.type === type && record.createdAt >= from);
  }
}

import { toStoredTime } from '../clock.js';
import type { JobRepository } from '../ports.js';
import { ChangingRecordRepository } from '../record-repository.js';
import { oldestFirst } from '../record-order.js';
import type { JobRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedJobRepository extends ChangingRecordRepository<JobRecord, JsonLinesCollection<JobRecord>> implements JobRepository {
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

  async createdAtByOwnerSince(ownerId: string, type: JobRecord['type'], since: string, index: number): Promise<string | null> {
    const from = toStoredTime(since, 'since');
    const jobs = this.records.select((record) => record.ownerId === ownerId && record.type === type && record.createdAt >= from, oldestFirst, index + 1);
    return jobs[index]?.createdAt ?? null;
  }
}

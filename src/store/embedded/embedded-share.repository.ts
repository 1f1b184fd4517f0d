import { nowIso } from '../clock.js';
import { newId } from '../new-id.js';
import type { ShareRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import { applyPatch } from '../record-patch.js';
import { oldestFirst } from '../record-order.js';
import type { ShareRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedShareRepository implements ShareRepository {
  constructor(private readonly records: JsonLinesCollection<ShareRecord>) {}

  async create(record: Omit<ShareRecord, 'id' | 'createdAt' | 'updatedAt'>): Promise<ShareRecord> {
    const now = nowIso();
    return this.records.insert({ ...plainCopy(record), id: newId(), createdAt: now, updatedAt: now });
  }

  async get(id: string): Promise<ShareRecord | null> {
    return this.records.get(id);
  }

  async update(id: string, patch: Partial<Omit<ShareRecord, 'id' | 'createdAt'>>): Promise<ShareRecord | null> {
    return this.records.update(id, (current) => applyPatch(current, patch, nowIso()));
  }

  /** Oldest first: the order the shares were asked for. */
  async listByComposition(compositionId: string): Promise<ShareRecord[]> {
    return this.records.select((record) => record.compositionId === compositionId, oldestFirst);
  }
}

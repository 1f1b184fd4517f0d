import { nowIso } from '../clock.js';
import { newId } from '../new-id.js';
import type { ApiKeyRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import { oldestFirst } from '../record-order.js';
import type { ApiKeyRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly records: JsonLinesCollection<ApiKeyRecord>) {}

  async create(record: Omit<ApiKeyRecord, 'id' | 'createdAt'>): Promise<ApiKeyRecord> {
    return this.records.insert(
      { ...plainCopy(record), id: newId(), createdAt: nowIso() },
      // Keys are found by the hash of their secret, so two keys must never share one.
      { key: 'secret', clashes: (existing) => existing.secretHash === record.secretHash },
    );
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    return this.records.get(id);
  }

  async findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    return this.records.select((record) => record.secretHash === secretHash, undefined, 1)[0] ?? null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.records.select(() => true, oldestFirst);
  }

  /** Keeps the first revocation time when a key is revoked again. */
  async revoke(id: string): Promise<ApiKeyRecord | null> {
    const revokedAt = nowIso();
    return this.records.update(id, (current) => (current.revokedAt ? current : { ...current, revokedAt }));
  }
}

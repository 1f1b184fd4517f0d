import { nowIso } from '../clock.js';
import type { ApiKeyRepository } from '../ports.js';
import { CreatedRecordRepository } from '../record-repository.js';
import { oldestFirst } from '../record-order.js';
import type { ApiKeyRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

export class EmbeddedApiKeyRepository extends CreatedRecordRepository<ApiKeyRecord, JsonLinesCollection<ApiKeyRecord>> implements ApiKeyRepository {
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

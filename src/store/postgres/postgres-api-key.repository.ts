import { nowIso } from '../clock.js';
import type { ApiKeyRepository } from '../ports.js';
import { CreatedRecordRepository } from '../record-repository.js';
import type { ApiKeyRecord } from '../records.js';
import type { PostgresRecordTable } from './postgres-record-table.js';

export class PostgresApiKeyRepository extends CreatedRecordRepository<ApiKeyRecord, PostgresRecordTable<ApiKeyRecord>> implements ApiKeyRepository {
  async findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    return (await this.records.select('secret_hash = $1', [secretHash], 'oldest first', 1))[0] ?? null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.records.select('true', [], 'oldest first');
  }

  /** Keeps the first revocation time when a key is revoked again (under the row's lock, so two revocations agree). */
  async revoke(id: string): Promise<ApiKeyRecord | null> {
    return this.records.change(id, (current) => (current.revokedAt ? current : { ...current, revokedAt: nowIso() }));
  }
}

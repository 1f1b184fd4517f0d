import { nowIso } from '../clock.js';
import type { ApiKeyRepository } from '../ports.js';
import { CreatedRecordRepository } from '../record-repository.js';
import type { ApiKeyRecord } from '../records.js';
import { toRecord } from './mongo-documents.js';
import { OLDEST_FIRST } from './mongo-queries.js';
import type { MongoRecordCollection } from './mongo-record-collection.js';

export class MongoApiKeyRepository extends CreatedRecordRepository<ApiKeyRecord, MongoRecordCollection<ApiKeyRecord>> implements ApiKeyRepository {
  async findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    const document = await this.records.collection.findOne({ secretHash });
    return document ? toRecord<ApiKeyRecord>(document) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const documents = await this.records.collection.find().sort(OLDEST_FIRST).toArray();
    return documents.map(toRecord<ApiKeyRecord>);
  }

  /** Keeps the first revocation time when a key is revoked again. */
  async revoke(id: string): Promise<ApiKeyRecord | null> {
    const document = await this.records.collection.findOneAndUpdate(
      { _id: id, revokedAt: { $exists: false } },
      { $set: { revokedAt: nowIso() } },
      { returnDocument: 'after' },
    );
    return document ? toRecord<ApiKeyRecord>(document) : this.get(id);
  }
}

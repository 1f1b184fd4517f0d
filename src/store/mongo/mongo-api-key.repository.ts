import type { Collection } from 'mongodb';
import { nowIso } from '../clock.js';
import { newId } from '../new-id.js';
import type { ApiKeyRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import type { ApiKeyRecord } from '../records.js';
import { DuplicateRecordError } from '../store-errors.js';
import { toDocument, toRecord, type MongoDocument } from './mongo-documents.js';
import { isDuplicateKey } from './mongo-duplicate-key.js';
import { OLDEST_FIRST } from './mongo-queries.js';

type ApiKeyDocument = MongoDocument<ApiKeyRecord>;

export class MongoApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly collection: Collection<ApiKeyDocument>) {}

  async create(record: Omit<ApiKeyRecord, 'id' | 'createdAt'>): Promise<ApiKeyRecord> {
    const created: ApiKeyRecord = { ...plainCopy(record), id: newId(), createdAt: nowIso() };
    try {
      await this.collection.insertOne(toDocument(created));
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateRecordError('an API key', 'secret');
      throw error;
    }
    return created;
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const document = await this.collection.findOne({ _id: id });
    return document ? toRecord<ApiKeyRecord>(document) : null;
  }

  async findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    const document = await this.collection.findOne({ secretHash });
    return document ? toRecord<ApiKeyRecord>(document) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const documents = await this.collection.find().sort(OLDEST_FIRST).toArray();
    return documents.map(toRecord<ApiKeyRecord>);
  }

  /** Keeps the first revocation time when a key is revoked again. */
  async revoke(id: string): Promise<ApiKeyRecord | null> {
    const document = await this.collection.findOneAndUpdate(
      { _id: id, revokedAt: { $exists: false } },
      { $set: { revokedAt: nowIso() } },
      { returnDocument: 'after' },
    );
    return document ? toRecord<ApiKeyRecord>(document) : this.get(id);
  }
}

import type { Collection } from 'mongodb';
import { InvalidInputError } from '../../errors.js';
import { nowIso } from '../clock.js';
import type { ModelRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import type { ModelRecord } from '../records.js';
import { DuplicateRecordError } from '../store-errors.js';
import { toDocument, toRecord, type MongoDocument } from './mongo-documents.js';
import { isDuplicateKey } from './mongo-duplicate-key.js';
import { OLDEST_FIRST } from './mongo-queries.js';

type ModelDocument = MongoDocument<ModelRecord>;

/** Model ids are chosen by the caller (they name the model); a second model with an id is refused. */
export class MongoModelRepository implements ModelRepository {
  constructor(private readonly collection: Collection<ModelDocument>) {}

  async create(record: Omit<ModelRecord, 'createdAt'>): Promise<ModelRecord> {
    if (!record.id) throw new InvalidInputError('a model needs an id');
    const created: ModelRecord = { ...plainCopy(record), createdAt: nowIso() };
    try {
      await this.collection.insertOne(toDocument(created));
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateRecordError('a model', 'id', record.id);
      throw error;
    }
    return created;
  }

  async get(id: string): Promise<ModelRecord | null> {
    const document = await this.collection.findOne({ _id: id });
    return document ? toRecord<ModelRecord>(document) : null;
  }

  async list(): Promise<ModelRecord[]> {
    const documents = await this.collection.find().sort(OLDEST_FIRST).toArray();
    return documents.map(toRecord<ModelRecord>);
  }

  async delete(id: string): Promise<boolean> {
    const { deletedCount } = await this.collection.deleteOne({ _id: id });
    return deletedCount === 1;
  }
}

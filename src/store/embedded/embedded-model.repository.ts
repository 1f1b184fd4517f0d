import { InvalidInputError } from '../../errors.js';
import { nowIso } from '../clock.js';
import type { ModelRepository } from '../ports.js';
import { plainCopy } from '../plain-copy.js';
import { oldestFirst } from '../record-order.js';
import type { ModelRecord } from '../records.js';
import type { JsonLinesCollection } from './json-lines-collection.js';

/** Model ids are chosen by the caller (they name the model); a second model with an id is refused. */
export class EmbeddedModelRepository implements ModelRepository {
  constructor(private readonly records: JsonLinesCollection<ModelRecord>) {}

  async create(record: Omit<ModelRecord, 'createdAt'>): Promise<ModelRecord> {
    if (!record.id) throw new InvalidInputError('a model needs an id');
    return this.records.insert({ ...plainCopy(record), createdAt: nowIso() });
  }

  async get(id: string): Promise<ModelRecord | null> {
    return this.records.get(id);
  }

  async list(): Promise<ModelRecord[]> {
    return this.records.select(() => true, oldestFirst);
  }

  async delete(id: string): Promise<boolean> {
    return this.records.remove(id);
  }
}

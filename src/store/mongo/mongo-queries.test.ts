import { describe, expect, it } from 'vitest';
import type { CompositionRecord } from '../records.js';
import { toDocument, toRecord } from './mongo-documents.js';
import { afterPosition, databaseInUri, redactUri, toUpdate } from './mongo-queries.js';

/** The query building of the MongoDB adapter, without a server (test/store.contract.test.ts runs it against one). */
describe('MongoDB query building', () => {
  it('continues a newest-first page after the cursor position, ties broken by _id', () => {
    expect(afterPosition(null)).toStrictEqual({});
    expect(afterPosition({ createdAt: '2025-01-01T00:00:00.000Z', id: 'abc' })).toStrictEqual({
      $or: [{ createdAt: { $lt: '2025-01-01T00:00:00.000Z' } }, { createdAt: '2025-01-01T00:00:00.000Z', _id: { $lt: 'abc' } }],
    });
  });

  it('turns a patch into $set (plain JSON, new updatedAt) and $unset (fields patched with undefined)', () => {
    const update = toUpdate({ status: 'done', error: undefined, id: 'x', createdAt: 'y', result: { at: new Date(0) } }, '2025-01-02T00:00:00.000Z');
    expect(update).toStrictEqual({
      $set: { status: 'done', result: { at: '1970-01-01T00:00:00.000Z' }, updatedAt: '2025-01-02T00:00:00.000Z' },
      $unset: { error: '' },
    });
    expect(toUpdate({ progress: 1 }, null)).toStrictEqual({ $set: { progress: 1 } });
  });

  it('maps id to _id and back, leaving no _id in the record', () => {
    const record = { id: 'c1', ownerId: 'o', createdAt: 't' } as unknown as CompositionRecord;
    const document = toDocument(record);
    expect(document).toStrictEqual({ _id: 'c1', ownerId: 'o', createdAt: 't' });
    expect(toRecord<CompositionRecord>(document)).toStrictEqual(record);
  });

  it('reads the database name from a connection string and hides passwords', () => {
    expect(databaseInUri('mongodb://localhost:27017/continuo?retryWrites=true')).toBe('continuo');
    expect(databaseInUri('mongodb+srv://u:p@cluster0.example.net/prod')).toBe('prod');
    expect(databaseInUri('mongodb://h1:27017,h2:27017/?replicaSet=rs0')).toBeNull();
    expect(databaseInUri('mongodb://localhost')).toBeNull();
    expect(redactUri('mongodb://user:s3cret@db:27017/continuo')).toBe('mongodb://user:***@db:27017/continuo');
    expect(redactUri('mongodb://db:27017')).toBe('mongodb://db:27017');
  });
});

import type { RecordTableShape } from './postgres-record-table.js';
import type { ApiKeyRecord, CompositionRecord, JobRecord, ShareRecord } from '../records.js';

/** Each repository's table and the record fields it keeps in columns (postgres-migrations.ts makes them). */
export const TABLES: {
  readonly compositions: RecordTableShape<CompositionRecord>;
  readonly jobs: RecordTableShape<JobRecord>;
  readonly apiKeys: RecordTableShape<ApiKeyRecord>;
  readonly shares: RecordTableShape<ShareRecord>;
} = {
  compositions: { name: 'compositions', columns: { owner_id: 'ownerId', status: 'status', created_at: 'createdAt', updated_at: 'updatedAt' } },
  jobs: { name: 'jobs', columns: { type: 'type', owner_id: 'ownerId', status: 'status', created_at: 'createdAt', updated_at: 'updatedAt' } },
  apiKeys: { name: 'api_keys', columns: { secret_hash: 'secretHash', created_at: 'createdAt' } },
  shares: { name: 'shares', columns: { composition_id: 'compositionId', created_at: 'createdAt', updated_at: 'updatedAt' } },
};

import type { RecordKind } from './record-collection.js';
import type { ApiKeyRecord, CompositionRecord, JobRecord, ShareRecord } from './records.js';

/** The kinds of record the store keeps, named and constrained alike by every adapter. */
export const RECORD_KINDS: {
  readonly compositions: RecordKind<CompositionRecord>;
  readonly jobs: RecordKind<JobRecord>;
  readonly apiKeys: RecordKind<ApiKeyRecord>;
  readonly shares: RecordKind<ShareRecord>;
} = {
  compositions: { what: 'a composition' },
  jobs: { what: 'a job' },
  // Keys are found by the hash of their secret, so two keys must never share one.
  apiKeys: { what: 'an API key', unique: [{ field: 'secretHash', name: 'secret' }] },
  shares: { what: 'a share' },
};

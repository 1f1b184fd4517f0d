import type { IndexDescription } from 'mongodb';

/** The collections, one per repository. */
export const COLLECTIONS = {
  compositions: 'compositions',
  jobs: 'jobs',
  apiKeys: 'apiKeys',
  shares: 'shares',
} as const;

/** GridFS bucket for files (`files.files`, `files.chunks`; the driver indexes those itself). */
export const FILES_BUCKET = 'files';

/** The indexes the repositories' queries need; created at start (creating an existing one is a no-op). */
export const INDEXES: Readonly<Record<keyof typeof COLLECTIONS, readonly IndexDescription[]>> = {
  // listByOwner (newest first, cursor on createdAt + _id) and countByOwnerSince (range on createdAt);
  // listByStatus (recovery), oldest first.
  compositions: [
    { key: { ownerId: 1, createdAt: -1, _id: -1 }, name: 'ownerId_createdAt' },
    { key: { status: 1, createdAt: 1, _id: 1 }, name: 'status_createdAt' },
  ],
  // listByStatus, oldest first; countByOwnerSince (range on createdAt).
  jobs: [
    { key: { status: 1, createdAt: 1, _id: 1 }, name: 'status_createdAt' },
    { key: { ownerId: 1, type: 1, createdAt: -1 }, name: 'ownerId_type_createdAt' },
  ],
  // findBySecretHash; unique so that a secret can never open two keys.
  apiKeys: [{ key: { secretHash: 1 }, name: 'secretHash_unique', unique: true }],
  // listByComposition, oldest first.
  shares: [{ key: { compositionId: 1, createdAt: 1, _id: 1 }, name: 'compositionId_createdAt' }],
};

import { randomBytes } from 'node:crypto';
import { GridFSBucket, MongoClient, type Db } from 'mongodb';
import { ContinuoError } from '../../errors.js';
import { logger } from '../../logger.js';
import type { Store } from '../ports.js';
import { RECORD_KINDS } from '../record-kinds.js';
import type { ApiKeyRecord, CompositionRecord, JobRecord, ShareRecord } from '../records.js';
import { GridFsFileStorage } from './gridfs-file.storage.js';
import { MongoApiKeyRepository } from './mongo-api-key.repository.js';
import { MongoCompositionRepository } from './mongo-composition.repository.js';
import type { MongoDocument } from './mongo-documents.js';
import { COLLECTIONS, FILES_BUCKET, INDEXES } from './mongo-indexes.js';
import { MongoJobRepository } from './mongo-job.repository.js';
import { databaseInUri, redactUri } from './mongo-queries.js';
import { MongoRecordCollection } from './mongo-record-collection.js';
import { MongoShareRepository } from './mongo-share.repository.js';

const log = logger.child({ module: 'store', adapter: 'mongodb' });

/** Where the store's identity is kept. */
const META_COLLECTION = 'continuo_store';

/** Used when neither the options nor the connection string name a database. */
const DEFAULT_DATABASE = 'continuo';

class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly compositions: MongoCompositionRepository;
  readonly jobs: MongoJobRepository;
  readonly apiKeys: MongoApiKeyRepository;
  readonly shares: MongoShareRepository;
  readonly files: GridFsFileStorage;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {
    this.compositions = new MongoCompositionRepository(
      new MongoRecordCollection(db.collection<MongoDocument<CompositionRecord>>(COLLECTIONS.compositions), RECORD_KINDS.compositions),
    );
    this.jobs = new MongoJobRepository(new MongoRecordCollection(db.collection<MongoDocument<JobRecord>>(COLLECTIONS.jobs), RECORD_KINDS.jobs));
    this.apiKeys = new MongoApiKeyRepository(new MongoRecordCollection(db.collection<MongoDocument<ApiKeyRecord>>(COLLECTIONS.apiKeys), RECORD_KINDS.apiKeys));
    this.shares = new MongoShareRepository(new MongoRecordCollection(db.collection<MongoDocument<ShareRecord>>(COLLECTIONS.shares), RECORD_KINDS.shares));
    this.files = new GridFsFileStorage(new GridFSBucket(db, { bucketName: FILES_BUCKET }));
  }

  async ping(): Promise<boolean> {
    try {
      const reply = await this.client.db('admin').command({ ping: 1 });
      return reply.ok === 1;
    } catch (error) {
      log.warn({ err: error }, 'MongoDB ping failed');
      return false;
    }
  }

  /** Made by the first process that asks, in a collection of its own. */
  async identity(): Promise<string> {
    const meta = this.db.collection<{ _id: string; value: string }>(META_COLLECTION);
    const found = await meta.findOneAndUpdate({ _id: 'store-id' }, { $setOnInsert: { value: randomBytes(12).toString('hex') } }, { upsert: true, returnDocument: 'after' });
    return found!.value;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/**
 * The store on MongoDB: one collection per repository, files in GridFS. Connects, checks the server
 * answers and makes the indexes before returning, so that a wrong URI fails at start, not at the
 * first request. The database is `options.dbName`, else the one in the URI, else `continuo`.
 */
export async function createMongoStore(uri: string, options: { dbName?: string } = {}): Promise<Store> {
  // ignoreUndefined: an `undefined` field is absent, as in the embedded store (not stored as null).
  const client = new MongoClient(uri, { ignoreUndefined: true, appName: 'continuo' });
  const dbName = options.dbName ?? databaseInUri(uri) ?? DEFAULT_DATABASE;
  try {
    await client.connect();
    const db = client.db(dbName);
    await client.db('admin').command({ ping: 1 });
    await Promise.all(
      (Object.keys(INDEXES) as (keyof typeof INDEXES)[])
        .filter((key) => INDEXES[key].length > 0)
        .map((key) => db.collection(COLLECTIONS[key]).createIndexes([...INDEXES[key]])),
    );
    log.info({ uri: redactUri(uri), db: dbName }, 'MongoDB store open');
    return new MongoStore(client, db);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new ContinuoError('INTERNAL', `cannot use MongoDB at ${redactUri(uri)} (database ${dbName}): ${(error as Error).message}`, {
      uri: redactUri(uri),
      dbName,
    });
  }
}

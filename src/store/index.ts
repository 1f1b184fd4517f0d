import { createEmbeddedStore } from './embedded/embedded-store.js';
import type { Store } from './ports.js';
import type { PostgresStoreOptions } from './postgres/postgres-store.js';

export type * from './ports.js';
export type * from './records.js';
export { DuplicateRecordError, StoreUnavailableError } from './store-errors.js';
export { createEmbeddedStore };

export interface StoreConfig {
  /** When set, records and files go to PostgreSQL. */
  readonly databaseUrl?: string;
  /** When set, records and files go to MongoDB (the configuration refuses it beside `databaseUrl`). */
  readonly mongodbUri?: string;
  /** Otherwise they go to local files under `dataDir`. */
  readonly dataDir: string;
}

/** The store the configuration asks for: PostgreSQL or MongoDB when a URL is given, else the embedded store. */
export async function createStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl) return createPostgresStore(config.databaseUrl);
  if (config.mongodbUri) return createMongoStore(config.mongodbUri);
  return createEmbeddedStore(config.dataDir);
}

/** The MongoDB adapter; the driver is loaded only when it is used, so the embedded store never loads it. */
export async function createMongoStore(uri: string, options?: { dbName?: string }): Promise<Store> {
  const adapter = await import('./mongo/mongo-store.js');
  return adapter.createMongoStore(uri, options);
}

/** The PostgreSQL adapter, loaded (with its driver) only when it is used. */
export async function createPostgresStore(url: string, options?: PostgresStoreOptions): Promise<Store> {
  const adapter = await import('./postgres/postgres-store.js');
  return adapter.createPostgresStore(url, options);
}

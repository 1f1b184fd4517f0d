import { createEmbeddedStore } from './embedded/embedded-store.js';
import type { Store } from './ports.js';

export type * from './ports.js';
export type * from './records.js';
export { DuplicateRecordError, StoreUnavailableError } from './store-errors.js';
export { createEmbeddedStore };

export interface StoreConfig {
  /** When set, records and files go to MongoDB; otherwise to local files under `dataDir`. */
  readonly mongodbUri?: string;
  readonly dataDir: string;
}

/** The store the configuration asks for: MongoDB when a URI is given, else the embedded store. */
export async function createStore(config: StoreConfig): Promise<Store> {
  return config.mongodbUri ? createMongoStore(config.mongodbUri) : createEmbeddedStore(config.dataDir);
}

/** The MongoDB adapter; the driver is loaded only when it is used, so the embedded store never loads it. */
export async function createMongoStore(uri: string, options?: { dbName?: string }): Promise<Store> {
  const adapter = await import('./mongo/mongo-store.js');
  return adapter.createMongoStore(uri, options);
}

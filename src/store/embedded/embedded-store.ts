import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { logger } from '../../logger.js';
import type { Store } from '../ports.js';
import { RECORD_KINDS } from '../record-kinds.js';
import type { ApiKeyRecord, CompositionRecord, JobRecord, ShareRecord } from '../records.js';
import { StoreUnavailableError } from '../store-errors.js';
import { dataFolderId } from './data-folder-id.js';
import { DirectoryLock } from './directory-lock.js';
import { isNotFound, syncDirectory, writeFileAtomically } from './durable-file.js';
import { EmbeddedApiKeyRepository } from './embedded-api-key.repository.js';
import { EmbeddedCompositionRepository } from './embedded-composition.repository.js';
import { EmbeddedFileStorage } from './embedded-file.storage.js';
import { EmbeddedJobRepository } from './embedded-job.repository.js';
import { EmbeddedShareRepository } from './embedded-share.repository.js';
import { JsonLinesCollection } from './json-lines-collection.js';

const log = logger.child({ module: 'store', adapter: 'embedded' });

/** Written once per data directory, so that a later layout can tell which one it finds. */
const FORMAT = { format: 'continuo-embedded-store', version: 1 } as const;
const FORMAT_FILE = 'store.json';

class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  readonly compositions: EmbeddedCompositionRepository;
  readonly jobs: EmbeddedJobRepository;
  readonly apiKeys: EmbeddedApiKeyRepository;
  readonly shares: EmbeddedShareRepository;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly collections: {
      readonly compositions: JsonLinesCollection<CompositionRecord>;
      readonly jobs: JsonLinesCollection<JobRecord>;
      readonly apiKeys: JsonLinesCollection<ApiKeyRecord>;
      readonly shares: JsonLinesCollection<ShareRecord>;
    },
    readonly files: EmbeddedFileStorage,
    private readonly lock: DirectoryLock,
  ) {
    this.compositions = new EmbeddedCompositionRepository(collections.compositions);
    this.jobs = new EmbeddedJobRepository(collections.jobs);
    this.apiKeys = new EmbeddedApiKeyRepository(collections.apiKeys);
    this.shares = new EmbeddedShareRepository(collections.shares);
  }

  identity(): Promise<string> {
    return dataFolderId(this.lock.dir);
  }

  /** Ready while open and every log can still be written. */
  async ping(): Promise<boolean> {
    return Object.values(this.collections).every((collection) => collection.healthy);
  }

  /** Waits for every pending write to reach the disk, then releases the directory. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await Promise.all([...Object.values(this.collections).map((collection) => collection.close()), this.files.close()]);
      } finally {
        await this.lock.release();
      }
    })();
    return this.closing;
  }
}

/**
 * The store without a database server: every collection an append-only JSON-lines log under `dir`
 * (`compositions.jsonl`, …), files under `dir/files/`. One process at a time may open a directory.
 */
export async function createEmbeddedStore(dir: string): Promise<Store> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const lock = await DirectoryLock.acquire(root);
  const opened: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(item: T): T => {
    opened.push(item);
    return item;
  };
  try {
    await checkFormat(root);
    const collections = {
      compositions: track(await JsonLinesCollection.open(join(root, 'compositions.jsonl'), RECORD_KINDS.compositions, log)),
      jobs: track(await JsonLinesCollection.open(join(root, 'jobs.jsonl'), RECORD_KINDS.jobs, log)),
      apiKeys: track(await JsonLinesCollection.open(join(root, 'apiKeys.jsonl'), RECORD_KINDS.apiKeys, log)),
      shares: track(await JsonLinesCollection.open(join(root, 'shares.jsonl'), RECORD_KINDS.shares, log)),
    };
    const files = await EmbeddedFileStorage.open(join(root, 'files'));
    log.info({ dir: root }, 'embedded store open');
    return new EmbeddedStore(collections, files, lock);
  } catch (error) {
    await Promise.allSettled(opened.map((item) => item.close()));
    await lock.release();
    throw error;
  }
}

async function checkFormat(root: string): Promise<void> {
  const path = join(root, FORMAT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await writeFileAtomically(path, [`${JSON.stringify(FORMAT)}\n`]);
    await syncDirectory(root);
    return;
  }
  let found: Partial<typeof FORMAT>;
  try {
    found = JSON.parse(text) as Partial<typeof FORMAT>;
  } catch {
    throw new StoreUnavailableError(`${path} is damaged (it is not JSON); it should hold ${JSON.stringify(FORMAT)} — write that into it, or restore the data folder from a backup`);
  }
  if (found.format !== FORMAT.format || found.version !== FORMAT.version) {
    throw new StoreUnavailableError(`${path} says ${text.trim()}; this Continuo reads ${JSON.stringify(FORMAT)}`);
  }
}

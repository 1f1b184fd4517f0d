import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ConfigError } from '../config/config.js';
import type { Logger } from '../logger.js';

const ID_FILE = 'store-id';

/** The id of a data folder (written into it once), so that processes can tell whether they share one. */
export async function dataFolderId(dataDir: string): Promise<string> {
  const file = join(dataDir, ID_FILE);
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (id) return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = randomBytes(12).toString('hex');
  await writeFile(file, `${id}\n`, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}

export const prefixClaimKey = (prefix: string) => `${prefix}:continuo:store-id`;

/**
 * With the embedded store, jobs on Redis name records only that store holds: two servers on one
 * QUEUE_PREFIX with separate data folders would take each other's jobs and find nothing. The first to
 * start registers its data folder's id under the prefix; one with another id refuses to start. A Redis
 * that does not answer is left to /readyz (the check is skipped with a warning).
 */
export async function claimQueuePrefix(options: { redisUrl: string; prefix: string; dataDir: string; log: Logger }): Promise<void> {
  const id = await dataFolderId(options.dataDir);
  const redis = new Redis(options.redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const key = prefixClaimKey(options.prefix);
    await redis.set(key, id, 'NX');
    const owner = await redis.get(key);
    if (owner && owner !== id) {
      throw new ConfigError(
        `the Redis queue prefix '${options.prefix}' belongs to a Continuo with another data folder (embedded store ${owner}); ` +
          `each embedded store needs a QUEUE_PREFIX of its own — set QUEUE_PREFIX, or share one database with DATABASE_URL (or MONGODB_URI) ` +
          `(if that other server is gone for good, delete the Redis key ${key})`,
      );
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    options.log.warn({ err: error }, 'Redis does not answer: the queue prefix could not be checked; /readyz reports the queue');
  } finally {
    redis.disconnect();
  }
}

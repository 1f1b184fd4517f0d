import { Redis } from 'ioredis';
import { ConfigError } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/ports.js';

export const prefixClaimKey = (prefix: string) => `${prefix}:continuo:store-id`;

/**
 * Jobs on Redis name records only their store holds: two servers on one QUEUE_PREFIX with separate
 * stores (two data folders, two databases or schemas) would take each other's jobs and find nothing.
 * The first to start registers its store's identity under the prefix; one with another identity
 * refuses to start. A Redis that does not answer is left to /readyz (the check is skipped with a warning).
 */
export async function claimQueuePrefix(options: { redisUrl: string; prefix: string; store: Pick<Store, 'kind' | 'identity'>; log: Logger }): Promise<void> {
  const id = await options.store.identity();
  const redis = new Redis(options.redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const key = prefixClaimKey(options.prefix);
    await redis.set(key, id, 'NX');
    const owner = await redis.get(key);
    if (owner && owner !== id) {
      const mine = options.store.kind === 'embedded' ? 'data folder' : 'database';
      throw new ConfigError(
        `the Redis queue prefix '${options.prefix}' belongs to a Continuo with another ${mine} (store ${owner}, this one is ${id}); ` +
          `each store needs a QUEUE_PREFIX of its own — set QUEUE_PREFIX, or ` +
          `${options.store.kind === 'embedded' ? 'share one database with DATABASE_URL (or MONGODB_URI)' : 'give every server and worker the same DATABASE_URL (or MONGODB_URI)'} ` +
          `(if that other store is gone for good, delete the Redis key ${key})`,
      );
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    options.log.warn({ err: error }, 'Redis does not answer: the queue prefix could not be checked; /readyz reports the queue');
  } finally {
    redis.disconnect();
  }
}

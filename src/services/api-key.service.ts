import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RateLimitedError, UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ApiKeyRepository } from '../store/ports.js';
import type { ApiKeyRecord } from '../store/records.js';

const PREFIX = 'ck_';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** API keys: secrets are shown once at creation; only their SHA-256 is stored. */
export class ApiKeyService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly defaultQuota: number,
  ) {}

  async create(name: string, quota: number | null = this.defaultQuota): Promise<{ key: ApiKeyRecord; secret: string }> {
    const secret = `${PREFIX}${randomBytes(24).toString('base64url')}`;
    const key = await this.keys.create({ name, secretHash: hashSecret(secret), prefix: secret.slice(0, 8), quota });
    return { key, secret };
  }

  /** The key of an `Authorization: Bearer <secret>` header. */
  async authenticate(header: string | undefined): Promise<ApiKeyRecord> {
    if (!header) throw new UnauthenticatedError('an API key is required: send "Authorization: Bearer <key>" (create one with `continuo keys create`)');
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <key>"');
    const key = await this.keys.findBySecretHash(hashSecret(match[1]));
    if (!key) throw new UnauthenticatedError('this API key is not known; check for typing errors or create a new key with `continuo keys create`');
    if (key.revokedAt) throw new UnauthenticatedError(`this API key was revoked on ${key.revokedAt}; create a new one`);
    return key;
  }

  /**
   * Out of the box (no key yet) a first key is made for the local user and written to
   * `<dataDir>/api-key` (readable by the owner only), so that a fresh install works at once.
   */
  async ensureLocalKey(dataDir: string, log: Logger): Promise<string | undefined> {
    const file = join(dataDir, 'api-key');
    if ((await this.keys.list()).length > 0) return existsSync(file) ? (await readFile(file, 'utf8')).trim() : undefined;
    const { secret } = await this.create('local', null);
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    log.info({ file }, 'created the first API key (no quota) for local use; send it as "Authorization: Bearer <key>"');
    return secret;
  }
}

/** Token buckets per caller, refilled continuously: `perMinute` requests a minute, bursts up to that. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  take(caller: string): void {
    const t = this.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.perMinute, at: t };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((t - bucket.at) / 60_000) * this.perMinute);
    bucket.at = t;
    if (bucket.tokens < 1) {
      const wait = Math.ceil(((1 - bucket.tokens) / this.perMinute) * 60);
      this.buckets.set(caller, bucket);
      throw new RateLimitedError(`too many requests: the limit is ${this.perMinute} a minute; try again in ${wait} s`, wait);
    }
    bucket.tokens -= 1;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear(); // a bound on memory under a flood of callers
  }
}

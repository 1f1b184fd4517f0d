import { ContinuoError, UnauthenticatedError } from '../../errors.js';
import { logger } from '../../logger.js';
import { LOGIN_AGAIN } from './http-failure.js';
import type { SoundCloudOAuth } from './soundcloud-oauth.js';
import type { EncryptedTokenStore, StoredTokens } from './token-store.js';

const log = logger.child({ module: 'soundcloud' });

export interface TokenProviderOptions {
  /** Refresh this long before the access token expires, so it does not lapse mid-upload. */
  readonly refreshMarginMs?: number;
  readonly now?: () => number;
}

/**
 * Hands out a valid access token. Refresh tokens are single-use, so: one refresh at a time per process
 * (concurrent callers await the same one), and the new pair is on disk before anyone gets the new
 * access token — otherwise a crash right after would leave only a spent refresh token behind.
 */
export class TokenProvider {
  private current: StoredTokens | null | undefined;
  private refreshing: Promise<StoredTokens> | undefined;
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: EncryptedTokenStore,
    private readonly oauth: SoundCloudOAuth,
    options: TokenProviderOptions = {},
  ) {
    this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether tokens are stored (they may still have been revoked on SoundCloud's side). */
  async isLoggedIn(): Promise<boolean> {
    return (await this.load()) !== null;
  }

  /** A token that is valid for at least the margin, refreshed first when needed. */
  async accessToken(): Promise<string> {
    const tokens = await this.loadOrFail();
    if (tokens.expiresAt - this.now() > this.marginMs) return tokens.accessToken;
    return (await this.refreshOnce(tokens.accessToken)).accessToken;
  }

  /** After SoundCloud answered 401 to `rejected`: refresh once, however many callers saw it rejected. */
  async renewAfterRejection(rejected: string): Promise<string> {
    const tokens = await this.loadOrFail();
    if (tokens.accessToken !== rejected && tokens.expiresAt - this.now() > this.marginMs) return tokens.accessToken;
    return (await this.refreshOnce(rejected)).accessToken;
  }

  /** Stores a fresh pair (after a login); resolves once it is on disk. */
  async replace(tokens: StoredTokens): Promise<void> {
    await this.store.save(tokens);
    this.current = tokens;
  }

  async forget(): Promise<void> {
    await this.store.clear();
    this.current = null;
  }

  private async load(): Promise<StoredTokens | null> {
    if (this.current === undefined) this.current = await this.store.load();
    return this.current;
  }

  private async loadOrFail(): Promise<StoredTokens> {
    const tokens = await this.load();
    if (!tokens) throw new UnauthenticatedError(`Continuo is not logged in to SoundCloud; run \`continuo soundcloud login\` on the server`);
    return tokens;
  }

  private refreshOnce(stale: string): Promise<StoredTokens> {
    this.refreshing ??= this.refresh(stale).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(stale: string): Promise<StoredTokens> {
    // Another process (the CLI, a second worker) may have rotated the pair: the file holds the live one.
    const onDisk = await this.store.load();
    if (!onDisk) {
      this.current = null;
      throw new UnauthenticatedError(`the SoundCloud tokens are gone from ${this.store.file}; ${LOGIN_AGAIN}`);
    }
    if (onDisk.accessToken !== stale && onDisk.expiresAt - this.now() > this.marginMs) {
      this.current = onDisk;
      return onDisk;
    }
    const started = this.now();
    let next: StoredTokens;
    try {
      next = await this.oauth.refresh(onDisk.refreshToken);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        // Lost a race with another process that spent the same refresh token: take what it stored.
        const again = await this.store.load();
        if (again && again.refreshToken !== onDisk.refreshToken) {
          this.current = again;
          return again;
        }
      }
      throw error;
    }
    try {
      await this.store.save(next);
    } catch (error) {
      throw new ContinuoError(
        'INTERNAL',
        `SoundCloud renewed the sign-in but the new tokens could not be saved to ${this.store.file} (${(error as Error).message}); ` +
          `make the data folder writable, then ${LOGIN_AGAIN}`,
      );
    }
    this.current = next;
    log.info({ ms: this.now() - started, expiresAt: new Date(next.expiresAt).toISOString() }, 'SoundCloud tokens refreshed and stored');
    return next;
  }
}

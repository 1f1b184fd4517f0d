import type { SoundCloudConfig } from './soundcloud-config.js';
import { SoundCloudApi, type SoundCloudAccount } from './soundcloud-api.js';
import { loginWithBrowser, type LoginOptions } from './soundcloud-login.js';
import { SoundCloudOAuth } from './soundcloud-oauth.js';
import { retryPolicy, type RetryPolicy } from './retry-policy.js';
import { TokenProvider } from './token-provider.js';
import { EncryptedTokenStore } from './token-store.js';
import { TrackUploader, type TrackUploadRequest, type UploadedTrack } from './track-uploader.js';

export interface SoundCloudOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Refresh this long before expiry (default 5 minutes). */
  readonly refreshMarginMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  readonly uploadTimeoutMs?: number;
}

/** The SoundCloud integration, assembled from its configuration: login, account, upload. */
export class SoundCloud {
  readonly oauth: SoundCloudOAuth;
  readonly tokens: TokenProvider;
  readonly api: SoundCloudApi;
  readonly uploader: TrackUploader;

  constructor(
    readonly config: SoundCloudConfig,
    options: SoundCloudOptions = {},
  ) {
    const retry = retryPolicy(options.retry);
    this.oauth = new SoundCloudOAuth(config, retry, options.fetch, options.now);
    this.tokens = new TokenProvider(new EncryptedTokenStore(config.tokenFile, config.tokenKey), this.oauth, { refreshMarginMs: options.refreshMarginMs, now: options.now });
    this.api = new SoundCloudApi({ apiUrl: config.apiUrl, tokens: this.tokens, retry, fetch: options.fetch, timeoutMs: options.timeoutMs, uploadTimeoutMs: options.uploadTimeoutMs });
    this.uploader = new TrackUploader(this.api, retry, options.now);
  }

  login(options: LoginOptions): Promise<SoundCloudAccount> {
    return loginWithBrowser({ oauth: this.oauth, tokens: this.tokens, api: this.api, redirectPort: this.config.redirectPort }, options);
  }

  isLoggedIn(): Promise<boolean> {
    return this.tokens.isLoggedIn();
  }

  /** The account and its upload quota (GET /me). */
  account(): Promise<SoundCloudAccount> {
    return this.api.me();
  }

  /** Uploads once per `request.shareId`; see TrackUploader. */
  upload(request: TrackUploadRequest): Promise<UploadedTrack> {
    return this.uploader.upload(request);
  }

  /** Forgets the stored tokens (SoundCloud keeps the app's access until revoked on soundcloud.com). */
  logout(): Promise<void> {
    return this.tokens.forget();
  }
}

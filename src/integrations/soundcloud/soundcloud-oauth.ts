import { z } from 'zod';
import { ContinuoError, NotConfiguredError, UnauthenticatedError } from '../../errors.js';
import { logger } from '../../logger.js';
import { LOGIN_AGAIN, isTransient, noAnswer, readFailure, toContinuoError, type HttpFailure } from './http-failure.js';
import type { PkcePair } from './pkce.js';
import { backoffDelay, type RetryPolicy } from './retry-policy.js';
import type { StoredTokens } from './token-store.js';

const log = logger.child({ module: 'soundcloud' });

export interface OAuthClientConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /** https://secure.soundcloud.com, or a fake's address in tests. */
  readonly authUrl: string;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

/**
 * SoundCloud's OAuth 2.1 endpoints on the auth host: the browser consent page (authorization code +
 * PKCE) and the token endpoint (form-encoded), for the first exchange and for refresh rotations.
 */
export class SoundCloudOAuth {
  constructor(
    private readonly config: OAuthClientConfig,
    private readonly retry: RetryPolicy,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  authorizeUrl(pkce: PkcePair, state: string): string {
    const url = new URL(`${this.config.authUrl}/authorize`);
    url.search = new URLSearchParams({
      client_id: this.config.clientId,
      redirect_uri: this.config.redirectUri,
      response_type: 'code',
      code_challenge: pkce.challenge,
      code_challenge_method: pkce.method,
      state,
    }).toString();
    return url.toString();
  }

  exchangeCode(code: string, verifier: string): Promise<StoredTokens> {
    return this.tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: this.config.redirectUri }, 'finish the login');
  }

  /** Spends `refreshToken` (single-use); the caller must store the returned pair before using it. */
  refresh(refreshToken: string): Promise<StoredTokens> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, redirect_uri: this.config.redirectUri }, 'renew the sign-in');
  }

  private async tokenRequest(fields: Record<string, string>, action: string): Promise<StoredTokens> {
    const body = new URLSearchParams({ ...fields, client_id: this.config.clientId, client_secret: this.config.clientSecret });
    const url = new URL(`${this.config.authUrl}/oauth/token`);
    for (let attempt = 1; ; attempt++) {
      let failure: HttpFailure;
      try {
        const response = await this.fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        if (response.ok) return this.toTokens(await response.json(), action);
        failure = await readFailure(response);
      } catch (error) {
        if (error instanceof ContinuoError) throw error;
        // A dropped connection: a refresh may or may not have been spent; trying again costs nothing more.
        failure = noAnswer(error, url);
      }
      const retryable = failure.status === 0 || isTransient(failure.status);
      const wait = backoffDelay(this.retry, attempt, failure.retryAfterMs);
      if (!retryable || attempt >= this.retry.maxAttempts || wait > this.retry.maxRetryAfterMs) throw this.tokenError(failure, action, attempt, fields.grant_type!);
      log.warn({ status: failure.status, attempt, grant: fields.grant_type, waitMs: wait }, 'SoundCloud token endpoint failed; retrying');
      await this.retry.sleep(wait);
    }
  }

  private toTokens(json: unknown, action: string): StoredTokens {
    const parsed = tokenResponse.safeParse(json);
    if (!parsed.success) throw new ContinuoError('INTERNAL', `SoundCloud's answer to ${action} carried no usable tokens; try again later`);
    const t = parsed.data;
    return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: this.now() + t.expires_in * 1000, scope: t.scope };
  }

  private tokenError(failure: HttpFailure, action: string, attempts: number, grant: string): ContinuoError {
    const said = failure.detail ? ` (SoundCloud said: ${failure.detail})` : '';
    if (failure.status === 0) return toContinuoError(failure, action, attempts);
    if (failure.error === 'invalid_client' || (failure.status === 401 && grant !== 'refresh_token')) {
      return new NotConfiguredError(`SoundCloud does not accept the app's credentials${said}; check SOUNDCLOUD_CLIENT_ID and SOUNDCLOUD_CLIENT_SECRET`);
    }
    if (failure.status === 400 || failure.status === 401) {
      return grant === 'refresh_token'
        ? new UnauthenticatedError(`the SoundCloud sign-in has expired or was revoked${said}; ${LOGIN_AGAIN}`)
        : new UnauthenticatedError(`SoundCloud refused the login code${said}; start again with \`continuo soundcloud login\` and finish within a few minutes`);
    }
    return toContinuoError(failure, action, attempts);
  }
}

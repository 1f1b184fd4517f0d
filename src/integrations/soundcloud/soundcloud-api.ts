import { z } from 'zod';
import { ContinuoError } from '../../errors.js';
import { logger } from '../../logger.js';
import { isTransient, noAnswer, readFailure, toContinuoError, type HttpFailure } from './http-failure.js';
import { backoffDelay, type RetryPolicy } from './retry-policy.js';
import type { TokenProvider } from './token-provider.js';

const log = logger.child({ module: 'soundcloud' });

export interface SoundCloudAccount {
  readonly urn: string;
  readonly username: string;
  readonly fullName?: string;
  readonly permalinkUrl?: string;
  readonly plan?: string;
  readonly quota: {
    readonly unlimited: boolean;
    /** null when SoundCloud does not say (treated as no limit known). */
    readonly uploadSecondsLeft: number | null;
    readonly uploadSecondsUsed?: number;
  };
}

export interface SoundCloudTrack {
  readonly urn: string;
  /** The numeric part of the URN; SoundCloud deprecates numeric ids in paths, so keep the URN as the key. */
  readonly id: string;
  readonly title: string;
  readonly sharing: string;
  readonly permalinkUrl: string;
  readonly tagList: string;
  readonly description?: string;
}

/** One POST /tracks attempt: created, or failed; `mayExist` when the track could have been created anyway. */
export type CreateTrackOutcome =
  | { readonly kind: 'created'; readonly track: SoundCloudTrack }
  | { readonly kind: 'failed'; readonly failure: HttpFailure; readonly mayExist: boolean };

const nullableString = z.string().nullish().transform((v) => v ?? undefined);

const trackSchema = z
  .object({
    urn: z.string().min(1),
    id: z.union([z.number(), z.string()]).optional(),
    title: z.string().nullish(),
    sharing: z.string().nullish(),
    permalink_url: z.string().nullish(),
    tag_list: z.string().nullish(),
    description: nullableString,
  })
  .transform(
    (t): SoundCloudTrack => ({
      urn: t.urn,
      id: t.id !== undefined ? String(t.id) : (t.urn.split(':').pop() ?? t.urn),
      title: t.title ?? '',
      sharing: t.sharing ?? 'public',
      permalinkUrl: t.permalink_url ?? '',
      tagList: t.tag_list ?? '',
      description: t.description,
    }),
  );

// GET /me/tracks answers a paginated `{collection}` or, deprecated, a bare array.
const tracksSchema = z.union([z.object({ collection: z.array(z.unknown()) }).transform((p) => p.collection), z.array(z.unknown())]);

const meSchema = z.object({
  urn: z.string(),
  username: z.string(),
  full_name: nullableString,
  permalink_url: nullableString,
  plan: nullableString,
  upload_seconds_left: z.number().nullish(),
  quota: z
    .object({
      unlimited_upload_quota: z.boolean().nullish(),
      upload_seconds_used: z.number().nullish(),
      upload_seconds_left: z.number().nullish(),
    })
    .nullish(),
});

export interface SoundCloudApiOptions {
  /** https://api.soundcloud.com, or a fake's address in tests. */
  readonly apiUrl: string;
  readonly tokens: TokenProvider;
  readonly retry: RetryPolicy;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** Uploads carry whole audio files: a longer limit. */
  readonly uploadTimeoutMs?: number;
}

/**
 * The SoundCloud REST calls Continuo makes, each with `Authorization: OAuth <token>`. A 401 renews
 * the token once and repeats the call once. Reads are retried on 5xx/429; the upload is a single
 * attempt here, because whether to repeat it is the uploader's decision (it must never duplicate).
 */
export class SoundCloudApi {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly uploadTimeoutMs: number;

  constructor(private readonly options: SoundCloudApiOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 10 * 60_000;
  }

  async me(): Promise<SoundCloudAccount> {
    const parsed = meSchema.safeParse(await this.getJson('/me', 'read the account'));
    if (!parsed.success) throw new ContinuoError('INTERNAL', 'SoundCloud sent an account without urn or username; try again later');
    const m = parsed.data;
    return {
      urn: m.urn,
      username: m.username,
      fullName: m.full_name,
      permalinkUrl: m.permalink_url,
      plan: m.plan,
      quota: {
        unlimited: m.quota?.unlimited_upload_quota ?? false,
        uploadSecondsLeft: m.quota?.upload_seconds_left ?? m.upload_seconds_left ?? null,
        uploadSecondsUsed: m.quota?.upload_seconds_used ?? undefined,
      },
    };
  }

  /** The account's newest tracks first (private ones included). */
  async myTracks(limit = 50): Promise<SoundCloudTrack[]> {
    const query = new URLSearchParams({ limit: String(limit), linked_partitioning: 'true' });
    const list = tracksSchema.safeParse(await this.getJson(`/me/tracks?${query}`, 'list the account\'s tracks'));
    if (!list.success) throw new ContinuoError('INTERNAL', 'SoundCloud sent a track list Continuo cannot read; try again later');
    return list.data.flatMap((item) => {
      const track = trackSchema.safeParse(item);
      return track.success ? [track.data] : [];
    });
  }

  /** One upload attempt (multipart/form-data). */
  async createTrack(form: FormData): Promise<CreateTrackOutcome> {
    let response: Response;
    try {
      response = await this.authorized('POST', '/tracks', { body: form }, this.uploadTimeoutMs);
    } catch (error) {
      if (error instanceof ContinuoError) throw error;
      // Timeout or dropped connection: the body may have arrived and the track may exist.
      return { kind: 'failed', failure: noAnswer(error, `${this.options.apiUrl}/tracks`), mayExist: true };
    }
    if (response.ok) {
      const track = trackSchema.safeParse(await response.json().catch(() => undefined));
      if (track.success) return { kind: 'created', track: track.data };
      // Success status with an unreadable body: the track exists, but its URN must be looked up.
      return { kind: 'failed', failure: { status: response.status, detail: 'unreadable success answer' }, mayExist: true };
    }
    const failure = await readFailure(response);
    return { kind: 'failed', failure, mayExist: failure.status >= 500 };
  }

  private async getJson(path: string, action: string): Promise<unknown> {
    const { retry } = this.options;
    for (let attempt = 1; ; attempt++) {
      let failure: HttpFailure;
      try {
        const response = await this.authorized('GET', path, {}, this.timeoutMs);
        if (response.ok) return await response.json();
        failure = await readFailure(response);
      } catch (error) {
        if (error instanceof ContinuoError) throw error;
        failure = noAnswer(error, `${this.options.apiUrl}${path}`);
      }
      const retryable = failure.status === 0 || isTransient(failure.status);
      const wait = backoffDelay(retry, attempt, failure.retryAfterMs);
      if (!retryable || attempt >= retry.maxAttempts || wait > retry.maxRetryAfterMs) {
        throw toContinuoError(failure, action, attempt);
      }
      log.warn({ path: path.split('?')[0], status: failure.status, attempt, waitMs: wait }, 'SoundCloud call failed; retrying');
      await retry.sleep(wait);
    }
  }

  /** Sends with the current token; on 401 renews it once and sends once more (the answer is returned either way). */
  private async authorized(method: string, path: string, init: { body?: FormData }, timeoutMs: number): Promise<Response> {
    const send = (token: string) =>
      this.fetchImpl(`${this.options.apiUrl}${path}`, {
        method,
        headers: { authorization: `OAuth ${token}`, accept: 'application/json; charset=utf-8' },
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    const token = await this.options.tokens.accessToken();
    const first = await send(token);
    if (first.status !== 401) return first;
    await first.body?.cancel();
    log.info({ path: path.split('?')[0] }, 'SoundCloud rejected the access token; refreshing once');
    return send(await this.options.tokens.renewAfterRejection(token));
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { soundcloudCommand } from '../src/cli/soundcloud.command.js';
import { loadConfig } from '../src/config/config.js';
import { ContinuoError, RateLimitedError } from '../src/errors.js';
import {
  EncryptedTokenStore,
  SoundCloud,
  formatTagList,
  parseTagList,
  shareMarker,
  type SoundCloudOptions,
  type TrackUploadRequest,
} from '../src/integrations/soundcloud/index.js';
import { SoundCloudFake, type SoundCloudFakeOptions } from './fakes/soundcloud-fake.js';
import { freePort } from './helpers/net.js';

const KEY = randomBytes(32).toString('base64');
const fakes: SoundCloudFake[] = [];
const dirs: string[] = [];
let requestsSeen = 0;
let delays: number[] = [];

async function startFake(options: SoundCloudFakeOptions = {}): Promise<SoundCloudFake> {
  const fake = await SoundCloudFake.start(options);
  fakes.push(fake);
  return fake;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'continuo-soundcloud-'));
  dirs.push(dir);
  return dir;
}

async function envFor(fake: SoundCloudFake, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  return {
    SOUNDCLOUD_CLIENT_ID: fake.clientId,
    SOUNDCLOUD_CLIENT_SECRET: fake.clientSecret,
    SOUNDCLOUD_TOKEN_KEY: KEY,
    SOUNDCLOUD_API_URL: fake.apiUrl,
    SOUNDCLOUD_AUTH_URL: fake.authUrl,
    SOUNDCLOUD_REDIRECT_PORT: String(await freePort()),
    DATA_DIR: await tempDir(),
    ...extra,
  };
}

/** The client of a configuration, as a server or `continuo soundcloud` makes it at start-up. */
function soundCloudOf(env: NodeJS.ProcessEnv, options: SoundCloudOptions = {}): SoundCloud {
  const { soundcloud } = loadConfig(env);
  if (!soundcloud) throw new Error('SoundCloud is not configured in this environment');
  return new SoundCloud(soundcloud, options);
}

/** Short, recorded waits: the test sees which delays were asked for without sitting through them. */
const fastRetry = { baseDelayMs: 10, maxDelayMs: 200, jitter: 0, sleep: async (ms: number) => void delays.push(ms) };

async function client(fake: SoundCloudFake, env?: NodeJS.ProcessEnv): Promise<SoundCloud> {
  return soundCloudOf(env ?? (await envFor(fake)), { retry: fastRetry });
}

/** A client that is already logged in (tokens issued by the fake, valid for an hour unless said otherwise). */
async function loggedIn(fake: SoundCloudFake, expiresInMs = 3_600_000): Promise<SoundCloud> {
  const sc = await client(fake);
  const pair = fake.issueTokens();
  await sc.tokens.replace({ accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: Date.now() + expiresInMs });
  return sc;
}

/** A tiny but well-formed 16-bit mono WAV. */
function wav(samples = 800): Uint8Array {
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(8000 * Math.sin(i / 4)), 44 + i * 2);
  return new Uint8Array(b);
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

function uploadRequest(overrides: Partial<TrackUploadRequest> = {}): TrackUploadRequest {
  return { shareId: `share-${randomBytes(6).toString('hex')}`, title: 'Chorale in D', audio: { data: wav(), filename: 'chorale.wav' }, durationSeconds: 30, ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<ContinuoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContinuoError);
  return error as ContinuoError;
}

beforeEach(() => {
  delays = [];
});

afterEach(async () => {
  const open = fakes.splice(0);
  for (const fake of open) {
    requestsSeen += fake.requests.length;
    // Every request any test sent matched SoundCloud's OpenAPI description.
    expect(fake.validationFailures).toEqual([]);
    await fake.close();
  }
});

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  expect(requestsSeen).toBeGreaterThan(80);
});

describe('configuration', () => {
  it('is checked at start-up: a half-set app names each missing variable', () => {
    expect(loadConfig({}).soundcloud).toBeUndefined();
    expect(() => loadConfig({ SOUNDCLOUD_CLIENT_ID: 'id' })).toThrow(
      'invalid configuration: SOUNDCLOUD_CLIENT_SECRET: not set; SoundCloud needs SOUNDCLOUD_CLIENT_ID, SOUNDCLOUD_CLIENT_SECRET and SOUNDCLOUD_TOKEN_KEY together (or none of them); ' +
        'SOUNDCLOUD_TOKEN_KEY: not set; SoundCloud needs SOUNDCLOUD_CLIENT_ID, SOUNDCLOUD_CLIENT_SECRET and SOUNDCLOUD_TOKEN_KEY together (or none of them)',
    );
  });

  it('rejects a key that is not 32 bytes without echoing it, and applies the defaults', () => {
    const env = { SOUNDCLOUD_CLIENT_ID: 'id', SOUNDCLOUD_CLIENT_SECRET: 'secret', DATA_DIR: '/tmp/x' };
    expect(() => loadConfig({ ...env, SOUNDCLOUD_TOKEN_KEY: 'hunter2-too-short' })).toThrow(/SOUNDCLOUD_TOKEN_KEY: must be 32 bytes/);
    expect(() => loadConfig({ ...env, SOUNDCLOUD_TOKEN_KEY: 'hunter2-too-short' })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ ...env, SOUNDCLOUD_TOKEN_KEY: KEY, SOUNDCLOUD_API_URL: 'ftp://x' })).toThrow(/SOUNDCLOUD_API_URL="ftp:\/\/x": must be an http/);
    const config = loadConfig({ ...env, SOUNDCLOUD_TOKEN_KEY: randomBytes(32).toString('hex') }).soundcloud!;
    expect(config.redirectUri).toBe('http://127.0.0.1:8975/callback');
    expect(config.apiUrl).toBe('https://api.soundcloud.com');
    expect(config.authUrl).toBe('https://secure.soundcloud.com');
    expect(config.tokenFile).toBe('/tmp/x/soundcloud-tokens.json');
    expect(config.tokenKey).toHaveLength(32);
  });

  it('the CLI says what to set when nothing is configured', async () => {
    vi.stubEnv('SOUNDCLOUD_CLIENT_ID', '');
    vi.stubEnv('SOUNDCLOUD_CLIENT_SECRET', '');
    vi.stubEnv('SOUNDCLOUD_TOKEN_KEY', '');
    try {
      const error = await rejection(soundcloudCommand.parseAsync(['whoami'], { from: 'user' }));
      expect(error.code).toBe('NOT_CONFIGURED');
      expect(error.message).toMatch(/set SOUNDCLOUD_CLIENT_ID, SOUNDCLOUD_CLIENT_SECRET, SOUNDCLOUD_TOKEN_KEY/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('login (authorization code + PKCE)', () => {
  it('runs end to end: consent redirect, state check, PKCE-verified exchange, stored tokens, account', async () => {
    const fake = await startFake();
    const env = await envFor(fake);
    const sc = await client(fake, env);
    let authorizeUrl = '';
    let browser: ReturnType<SoundCloudFake['simulateBrowser']> | undefined;
    const account = await sc.login({
      onAuthorizeUrl: (url) => {
        authorizeUrl = url;
        browser = fake.simulateBrowser(url);
      },
    });
    const page = await browser!;
    expect(account.username).toBe('continuo-tester');
    expect(page.status).toBe(200);
    expect(page.text).toContain('You can close this tab');
    const q = new URL(authorizeUrl).searchParams;
    expect(authorizeUrl.startsWith(`${fake.authUrl}/authorize?`)).toBe(true);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('redirect_uri')).toBe(`http://127.0.0.1:${env.SOUNDCLOUD_REDIRECT_PORT}/callback`);
    expect(q.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(fake.grants.authorization_code).toBe(1);
    const me = fake.requestsTo('GET', '/me').at(-1)!;
    expect(me.status).toBe(200);
    const stored = await new EncryptedTokenStore(sc.config.tokenFile, sc.config.tokenKey).load();
    expect(stored?.accessToken).toBe(me.token);
    expect(stored!.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('the fake refuses a code with the wrong PKCE verifier, and each code works once', async () => {
    const fake = await startFake();
    const sc = await client(fake);
    const pkce = (await import('../src/integrations/soundcloud/pkce.js')).createPkcePair();
    const consent = await fetch(sc.oauth.authorizeUrl(pkce, 'state-1234567890'), { redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    const wrong = await rejection(sc.oauth.exchangeCode(code, 'x'.repeat(64)));
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(wrong.message).toMatch(/refused the login code.*invalid_grant/);
    await expect(sc.oauth.exchangeCode(code, pkce.verifier)).resolves.toMatchObject({ accessToken: expect.any(String) });
    expect((await rejection(sc.oauth.exchangeCode(code, pkce.verifier))).code).toBe('UNAUTHENTICATED');
  });

  it('rejects a redirect whose state does not match, and a refused consent; nothing is stored', async () => {
    const fake = await startFake();
    const sc = await client(fake);
    const forged = await rejection(sc.login({ onAuthorizeUrl: (url) => void fake.simulateBrowser(url, { tamperState: true }) }));
    expect(forged.code).toBe('UNAUTHENTICATED');
    expect(forged.message).toMatch(/unknown `state`/);
    const denied = await rejection(sc.login({ onAuthorizeUrl: (url) => void fake.simulateBrowser(url, { deny: true }) }));
    expect(denied.message).toMatch(/did not grant access \(access_denied\)/);
    expect(fake.grants.authorization_code).toBe(0);
    expect(await sc.isLoggedIn()).toBe(false);
    const notLoggedIn = await rejection(sc.account());
    expect(notLoggedIn.code).toBe('UNAUTHENTICATED');
    expect(notLoggedIn.message).toMatch(/continuo soundcloud login/);
  });

  it('gives up waiting for the browser after the timeout', async () => {
    const fake = await startFake();
    const sc = await client(fake);
    const error = await rejection(sc.login({ timeoutMs: 50, onAuthorizeUrl: () => {} }));
    expect(error.message).toMatch(/no answer from the browser within 1 s/);
  });
});

describe('token file', () => {
  it('is encrypted (no token in plain text), mode 0600, written without leftovers; a wrong key is a clear error', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    await sc.account();
    const file = sc.config.tokenFile;
    const raw = await readFile(file, 'utf8');
    const stored = (await new EncryptedTokenStore(file, sc.config.tokenKey).load())!;
    expect(JSON.parse(raw)).toEqual({ version: 1, algorithm: 'aes-256-gcm', iv: expect.any(String), tag: expect.any(String), ciphertext: expect.any(String) });
    expect(raw).not.toContain(stored.accessToken);
    expect(raw).not.toContain(stored.refreshToken);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(file, '..'))).toEqual(['soundcloud-tokens.json']);

    const otherKey = randomBytes(32);
    const wrongKey = await rejection(new EncryptedTokenStore(file, otherKey).load());
    expect(wrongKey.code).toBe('NOT_CONFIGURED');
    expect(wrongKey.message).toMatch(/cannot be decrypted with SOUNDCLOUD_TOKEN_KEY.*log in again with `continuo soundcloud login`/);
    const viaEnv = soundCloudOf({ ...(await envFor(fake)), DATA_DIR: join(file, '..'), SOUNDCLOUD_TOKEN_KEY: otherKey.toString('hex') });
    expect((await rejection(viaEnv.account())).message).toMatch(/cannot be decrypted/);

    const envelope = JSON.parse(raw) as { ciphertext: string };
    const flipped = Buffer.from(envelope.ciphertext, 'base64');
    flipped[0]! ^= 1;
    await writeFile(file, JSON.stringify({ ...envelope, ciphertext: flipped.toString('base64') }));
    expect((await rejection(new EncryptedTokenStore(file, sc.config.tokenKey).load())).message).toMatch(/or the file was altered/);
  });
});

describe('token refresh', () => {
  it('refreshes shortly before expiry and stores the new pair before the new access token is used', async () => {
    const seenOnDisk: boolean[] = [];
    let store: EncryptedTokenStore | undefined;
    const fake = await startFake({
      beforeApiRequest: async (token) => {
        seenOnDisk.push((await store!.load())?.accessToken === token);
      },
    });
    const sc = await loggedIn(fake, 60_000); // inside the 5-minute margin
    store = new EncryptedTokenStore(sc.config.tokenFile, sc.config.tokenKey);
    const before = (await store.load())!;
    await sc.account();
    const after = (await store.load())!;
    expect(fake.grants.refresh_token).toBe(1);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(fake.requestsTo('GET', '/me').map((r) => r.token)).toEqual([after.accessToken]);
    await sc.account();
    expect(fake.grants.refresh_token).toBe(1);
    expect(seenOnDisk).toEqual([true, true]);
  });

  it('concurrent callers near expiry share one refresh (the single-use token is spent once)', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake, 1_000);
    const accounts = await Promise.all(Array.from({ length: 6 }, () => sc.account()));
    expect(accounts.map((a) => a.username)).toEqual(Array(6).fill('continuo-tester'));
    expect(fake.grants.refresh_token).toBe(1);
    expect(fake.refreshTokenReuses).toBe(0);
  });

  it('after a 401, refreshes once for all concurrent callers and repeats each request once', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    await sc.account();
    fake.expireAccessTokens();
    await Promise.all(Array.from({ length: 5 }, () => sc.account()));
    expect(fake.grants.refresh_token).toBe(1);
    expect(fake.refreshTokenReuses).toBe(0);
    expect(fake.requestsTo('GET', '/me').map((r) => r.status)).toEqual([200, 401, 401, 401, 401, 401, 200, 200, 200, 200, 200]);
  });

  it('a reused refresh token is refused by the fake (single use)', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake, 1_000);
    const old = (await new EncryptedTokenStore(sc.config.tokenFile, sc.config.tokenKey).load())!.refreshToken;
    await sc.account();
    const reuse = await rejection(sc.oauth.refresh(old));
    expect(reuse.code).toBe('UNAUTHENTICATED');
    expect(reuse.message).toMatch(/expired or was revoked.*invalid_grant.*continuo soundcloud login/);
    expect(fake.refreshTokenReuses).toBe(1);
  });

  it('401 again after the refresh → UNAUTHENTICATED asking to log in again (one refresh, no loop)', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('GET /me', { status: 401, message: 'invalid_token' }, 2);
    const error = await rejection(sc.account());
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/log in again with `continuo soundcloud login`/);
    expect(fake.grants.refresh_token).toBe(1);
    expect(fake.requestsTo('GET', '/me')).toHaveLength(2);
  });

  it('a revoked refresh token → UNAUTHENTICATED asking to log in again', async () => {
    const fake = await startFake();
    const sc = await client(fake);
    await sc.tokens.replace({ accessToken: 'access-unknown', refreshToken: 'refresh-unknown', expiresAt: Date.now() - 1 });
    const error = await rejection(sc.account());
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/continuo soundcloud login/);
  });
});

describe('upload', () => {
  it('sends every field as SoundCloud describes them and answers the new track', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    const request = uploadRequest({
      title: '  Chorale in D  ',
      description: 'A four-part harmonisation by Continuo.',
      genre: 'Classical',
      tags: ['bach', 'four part harmony', 'bach', '"quoted"'],
      sharing: 'public',
      artworkPng: PNG,
      downloadable: true,
      license: 'cc-by',
      audio: { data: wav(1600), filename: 'chorale.flac', contentType: 'audio/flac' },
    });
    const track = await sc.upload(request);
    expect(track).toEqual({
      urn: 'soundcloud:tracks:1001',
      id: '1001',
      permalinkUrl: 'https://soundcloud.com/continuo-tester/chorale-in-d',
      title: 'Chorale in D',
      sharing: 'public',
    });
    const [made] = fake.tracks;
    expect(fake.tracks).toHaveLength(1);
    expect(made).toMatchObject({
      title: 'Chorale in D',
      description: 'A four-part harmonisation by Continuo.',
      genre: 'Classical',
      tag_list: `bach "four part harmony" quoted continuo:share=${request.shareId}`,
      sharing: 'public',
      downloadable: true,
      license: 'cc-by',
      asset: { filename: 'chorale.flac', contentType: 'audio/flac' },
      artwork: { filename: 'artwork.png', contentType: 'image/png', size: PNG.length },
    });
    expect(Buffer.from(made!.asset.bytes).equals(Buffer.from(request.audio.data))).toBe(true);
    expect(fake.requests.filter((r) => r.host === 'api').map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /me/tracks 200', // an earlier run of this share?
      'GET /me 200', // quota
      'POST /tracks 201',
    ]);
  });

  it('defaults to a private track and infers the audio type from the file name', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    const request = uploadRequest();
    const track = await sc.upload(request);
    expect(track.sharing).toBe('private');
    expect(fake.tracks[0]).toMatchObject({ sharing: 'private', tag_list: shareMarker(request.shareId), asset: { contentType: 'audio/wav' } });
  });

  it('refuses what SoundCloud would not take before sending anything', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    expect((await rejection(sc.upload(uploadRequest({ audio: { data: wav(), filename: 'chorale.mid' } })))).message).toMatch(/WAV or FLAC/);
    expect((await rejection(sc.upload(uploadRequest({ title: '  ' })))).code).toBe('BAD_USER_INPUT');
    expect((await rejection(sc.upload(uploadRequest({ artworkPng: new Uint8Array([1, 2, 3]) })))).message).toMatch(/not a PNG/);
    expect((await rejection(sc.upload(uploadRequest({ shareId: 'a b' })))).message).toMatch(/share id/);
    expect(fake.requests).toHaveLength(0);
  });

  it('retries 5xx with exponential backoff, tolerating HTML error pages', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('POST /tracks', { status: 502, body: 'html' }).failNext('POST /tracks', { status: 503, body: 'empty' });
    const track = await sc.upload(uploadRequest());
    expect(track.urn).toBe('soundcloud:tracks:1001');
    expect(fake.tracks).toHaveLength(1);
    expect(fake.requestsTo('POST', '/tracks').map((r) => r.status)).toEqual([502, 503, 201]);
    expect(delays).toEqual([10, 20]);
    // after each 5xx the account was searched for the track before sending it again
    expect(fake.requestsTo('GET', '/me/tracks')).toHaveLength(3);
  });

  it('honours Retry-After on 429 and does not search after a 429 (nothing was created)', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('POST /tracks', { status: 429, retryAfter: '2', message: 'rate limited' });
    await sc.upload(uploadRequest());
    expect(delays).toEqual([2000]);
    expect(fake.requestsTo('POST', '/tracks').map((r) => r.status)).toEqual([429, 201]);
    expect(fake.requestsTo('GET', '/me/tracks')).toHaveLength(1);
  });

  it('never creates a second track when SoundCloud fails after creating the first', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('POST /tracks', { status: 500, body: 'html', afterCreate: true });
    const request = uploadRequest();
    const track = await sc.upload(request);
    expect(fake.tracks).toHaveLength(1);
    expect(track).toMatchObject({ urn: fake.tracks[0]!.urn, id: String(fake.tracks[0]!.id), title: 'Chorale in D' });
    expect(fake.requestsTo('POST', '/tracks')).toHaveLength(1);

    // the same share again (a retried job) finds the track instead of uploading it twice
    expect(await sc.upload(request)).toEqual(track);
    expect(fake.requestsTo('POST', '/tracks')).toHaveLength(1);
  });

  it('never creates a second track when the connection drops after the track was created', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('POST /tracks', { status: 0, drop: true, afterCreate: true });
    const track = await sc.upload(uploadRequest());
    expect(fake.tracks).toHaveLength(1);
    expect(track.urn).toBe(fake.tracks[0]!.urn);
    expect(fake.requestsTo('POST', '/tracks').map((r) => r.status)).toEqual([0]);
  });

  it('stops instead of uploading blind when it cannot check whether a failed upload arrived', async () => {
    const fake = await startFake();
    let armed = false;
    const sc = soundCloudOf(await envFor(fake), {
      retry: {
        ...fastRetry,
        // the wait after the failed upload: from now on the track list is unavailable too
        sleep: async (ms) => {
          delays.push(ms);
          if (!armed) fake.failNext('GET /me/tracks', { status: 500 }, 4);
          armed = true;
        },
      },
    });
    const pair = fake.issueTokens();
    await sc.tokens.replace({ accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: Date.now() + 3_600_000 });
    fake.failNext('POST /tracks', { status: 503 });
    const error = await rejection(sc.upload(uploadRequest()));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/SoundCloud failed during the upload \(503: Service Unavailable\) and could not then be asked whether the track arrived .*look for "Chorale in D" among your SoundCloud tracks/);
    expect(error.details).toMatchObject({ uncertain: true });
    expect(fake.requestsTo('POST', '/tracks')).toHaveLength(1);
    expect(fake.requestsTo('GET', '/me/tracks').map((r) => r.status)).toEqual([200, 500, 500, 500, 500]);
  });

  it('maps a 422 to BAD_USER_INPUT without retrying', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('POST /tracks', { status: 422, message: 'unable to process provided asset_data' });
    const error = await rejection(sc.upload(uploadRequest()));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/^SoundCloud could not process the audio \(SoundCloud said: unable to process provided asset_data\)/);
    expect(fake.requestsTo('POST', '/tracks')).toHaveLength(1);
    expect(fake.tracks).toHaveLength(0);
  });

  it('gives up with RATE_LIMITED after the last 429, and at once when Retry-After is too long', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('POST /tracks', { status: 429, retryAfter: '1' }, 4);
    const exhausted = await rejection(sc.upload(uploadRequest()));
    expect(exhausted).toBeInstanceOf(RateLimitedError);
    expect(exhausted.code).toBe('RATE_LIMITED');
    expect(exhausted.message).toMatch(/rate limit is reached \(4 attempts to upload the track\); try again in 1 s/);
    expect(fake.requestsTo('POST', '/tracks')).toHaveLength(4);
    expect(delays).toEqual([1000, 1000, 1000]);

    fake.failNext('POST /tracks', { status: 429, retryAfter: '3600' });
    const long = await rejection(sc.upload(uploadRequest()));
    expect((long as RateLimitedError).retryAfterSeconds).toBe(3600);
    expect(fake.requestsTo('POST', '/tracks')).toHaveLength(5);
    expect(fake.tracks).toHaveLength(0);
  });

  it('reports a SoundCloud outage readably after the bounded attempts', async () => {
    const fake = await startFake();
    const sc = await loggedIn(fake);
    fake.failNext('GET /me', { status: 502, body: 'html' }, 4);
    const error = await rejection(sc.account());
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('SoundCloud is failing (HTTP 502 after 4 attempts to read the account) (SoundCloud said: 502 Bad Gateway); try again later');
    expect(delays).toEqual([10, 20, 40]);
  });
});

describe('offline', () => {
  it('names the host that did not resolve and what to check (UNAVAILABLE, not INTERNAL)', async () => {
    const fake = await startFake();
    const offline: typeof fetch = async () => {
      // What undici's fetch throws when DNS has no answer for the host.
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.soundcloud.com'), { code: 'ENOTFOUND', hostname: 'api.soundcloud.com' }) });
    };
    const sc = soundCloudOf(await envFor(fake, { SOUNDCLOUD_API_URL: 'https://api.soundcloud.com' }), { retry: fastRetry, fetch: offline });
    const pair = fake.issueTokens();
    await sc.tokens.replace({ accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: Date.now() + 3_600_000 });
    const error = await rejection(sc.upload(uploadRequest()));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/^could not reach SoundCloud \(api\.soundcloud\.com\) to list the account's tracks \(4 attempts\): its name does not resolve \(ENOTFOUND\); check the server's internet connection and DNS/);
    expect(error.details).toMatchObject({ host: 'api.soundcloud.com', errno: 'ENOTFOUND' });
  });

  it('says nothing listens when the connection is refused', async () => {
    const fake = await startFake();
    const closed = `http://127.0.0.1:${await freePort()}`;
    const sc = soundCloudOf(await envFor(fake, { SOUNDCLOUD_API_URL: closed }), { retry: fastRetry });
    const pair = fake.issueTokens();
    await sc.tokens.replace({ accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt: Date.now() + 3_600_000 });
    const error = await rejection(sc.account());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain(`could not reach SoundCloud (${new URL(closed).host}) to read the account (4 attempts): nothing accepts connections there (ECONNREFUSED)`);
  });
});

describe('quota', () => {
  it('refuses a track longer than the upload time left, naming both', async () => {
    const fake = await startFake({ uploadSecondsLeft: 20 });
    const sc = await loggedIn(fake);
    const error = await rejection(sc.upload(uploadRequest({ durationSeconds: 95 })));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/lasts 1 min 35 s but the SoundCloud account 'continuo-tester' has 20 s of upload time left/);
    expect(error.details).toEqual({ durationSeconds: 95, uploadSecondsLeft: 20 });
    expect(fake.requestsTo('POST', '/tracks')).toHaveLength(0);
    await expect(sc.upload(uploadRequest({ durationSeconds: 20 }))).resolves.toMatchObject({ urn: expect.any(String) });
  });

  it('lets an unlimited account upload whatever is left, and shows the quota', async () => {
    const fake = await startFake({ unlimitedQuota: true, uploadSecondsLeft: 0 });
    const sc = await loggedIn(fake);
    expect(await sc.account()).toMatchObject({ username: 'continuo-tester', quota: { unlimited: true, uploadSecondsLeft: 0 } });
    await expect(sc.upload(uploadRequest({ durationSeconds: 600 }))).resolves.toMatchObject({ id: '1001' });
  });
});

describe('CLI', () => {
  async function run(env: NodeJS.ProcessEnv, args: string[], onOutput?: (text: string) => void): Promise<string> {
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      onOutput?.(String(chunk));
      return true;
    });
    const errWrite = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    try {
      await soundcloudCommand.parseAsync(args, { from: 'user' });
    } finally {
      write.mockRestore();
      errWrite.mockRestore();
      vi.unstubAllEnvs();
    }
    return out;
  }

  it('`login` prints the consent address, waits for the redirect and names the account; `whoami` shows the quota', async () => {
    const fake = await startFake({ uploadSecondsLeft: 10_500 });
    const env = await envFor(fake);
    let browser: Promise<unknown> | undefined;
    const login = await run(env, ['login', '--timeout', '20'], (text) => {
      const url = /https?:\/\/\S+\/authorize\?\S+/.exec(text)?.[0];
      if (url) browser = fake.simulateBrowser(url);
    });
    await browser;
    expect(login).toMatch(/Open this address in a browser/);
    expect(login).toMatch(/Logged in to SoundCloud as continuo-tester/);
    const whoami = await run(env, ['whoami']);
    expect(whoami).toMatch(/account: +continuo-tester \(Continuo Tester\)/);
    expect(whoami).toMatch(/upload time left: 2 h 55 min \(10500 s\)/);
  });
});

describe('the fake checks requests against the OpenAPI file', () => {
  it('rejects and records what the description does not allow', async () => {
    const fake = await startFake();
    const { access_token: token } = fake.issueTokens();
    const noAsset = new FormData();
    noAsset.set('track[title]', 'x');
    noAsset.set('track[sharing]', 'secret');
    const answers = await Promise.all([
      fetch(`${fake.apiUrl}/tracks`, { method: 'POST', headers: { authorization: `OAuth ${token}` }, body: noAsset }),
      fetch(`${fake.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${fake.apiUrl}/me?oauth_token=${token}`),
      fetch(`${fake.apiUrl}/me/tracks?limit=500`, { headers: { authorization: `OAuth ${token}` } }),
      fetch(`${fake.apiUrl}/me/uploads`, { headers: { authorization: `OAuth ${token}` } }),
      fetch(`${fake.authUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'password' }) }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 404, 400]);
    const errors = fake.validationFailures.map((f) => `${f.method} ${f.path}: ${f.errors.join(' | ')}`).join('\n');
    expect(errors).toMatch(/POST \/tracks: .*track\[asset_data\]/);
    expect(errors).toMatch(/POST \/tracks: .*allowed values/);
    expect(errors).toMatch(/GET \/me: header: Authorization must be 'OAuth <access token>'.*\n/);
    expect(errors).toMatch(/oauth_token/);
    expect(errors).toMatch(/GET \/me\/tracks: .*must be <= 200/);
    expect(errors).toMatch(/no such path/);
    expect(errors).toMatch(/application\/x-www-form-urlencoded.*grant_type/s);
    expect(fake.validationFailures).toHaveLength(6);
    fake.validationFailures.length = 0; // expected here; every other test must leave none
  });
});

describe('tag list', () => {
  it('quotes multi-word tags and reads them back', () => {
    const list = formatTagList(['jazz', ' walking bass ', 'Jazz', '', shareMarker('abc_1')]);
    expect(list).toBe('jazz "walking bass" continuo:share=abc_1');
    expect(parseTagList(list)).toEqual(['jazz', 'walking bass', 'continuo:share=abc_1']);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SoundCloudSpec, type SpecRequest } from './soundcloud-spec.js';

/**
 * A loopback stand-in for SoundCloud: the auth host (consent redirect, token endpoint with PKCE and
 * single-use refresh tokens) and the API host (GET /me, GET /me/tracks, POST /tracks). Every request is
 * checked against SoundCloud's OpenAPI file first; one that does not match gets a 400 listing why and is
 * recorded in `validationFailures`, so tests can assert there were none. Faults are scripted per route.
 */

export type FakeRoute = 'GET /me' | 'GET /me/tracks' | 'POST /tracks' | 'POST /oauth/token';

export interface Fault {
  readonly status: number;
  /** 'json' (SoundCloud's `{code, message, link}`), 'html' (a proxy's error page) or 'empty'. */
  readonly body?: 'json' | 'html' | 'empty';
  readonly message?: string;
  /** Sent as the Retry-After header. */
  readonly retryAfter?: string;
  /** POST /tracks only: create the track first, then fail (the client cannot know it exists). */
  readonly afterCreate?: boolean;
  /** Cut the connection instead of answering (a timeout or reset from the client's side). */
  readonly drop?: boolean;
}

export interface RecordedRequest {
  readonly host: 'api' | 'auth';
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  /** The access token the request carried, if any. */
  readonly token?: string;
}

export interface ValidationFailure {
  readonly host: 'api' | 'auth';
  readonly method: string;
  readonly path: string;
  readonly errors: string[];
}

export interface FakeTrack {
  readonly id: number;
  readonly urn: string;
  readonly title: string;
  readonly description: string | null;
  readonly genre: string;
  readonly tag_list: string;
  readonly sharing: string;
  readonly downloadable: boolean;
  readonly license: string;
  readonly permalink_url: string;
  readonly created_at: string;
  readonly asset: { readonly filename: string; readonly contentType: string; readonly bytes: Uint8Array };
  readonly artwork?: { readonly filename: string; readonly contentType: string; readonly size: number };
}

export interface SoundCloudFakeOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly username?: string;
  readonly accessTokenTtlSeconds?: number;
  readonly uploadSecondsLeft?: number | null;
  readonly unlimitedQuota?: boolean;
  /** Runs before an authorised API request is answered (e.g. to check what is on disk at that moment). */
  readonly beforeApiRequest?: (token: string, request: { method: string; path: string }) => void | Promise<void>;
}

interface AuthCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  used: boolean;
}

const LINK = 'https://developers.soundcloud.com/docs/api/explorer/open-api';
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function token(prefix: string): string {
  return `${prefix}-${randomBytes(18).toString('base64url')}`;
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'track';
}

async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large for the fake');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export class SoundCloudFake {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly requests: RecordedRequest[] = [];
  readonly validationFailures: ValidationFailure[] = [];
  readonly tracks: FakeTrack[] = [];
  /** Token endpoint calls that were granted, by grant type. */
  readonly grants = { authorization_code: 0, refresh_token: 0 };
  /** Refresh tokens presented a second time (each must be used once only). */
  refreshTokenReuses = 0;
  uploadSecondsLeft: number | null;
  unlimitedQuota: boolean;
  apiUrl = '';
  authUrl = '';

  private readonly username: string;
  private readonly ttl: number;
  private readonly codes = new Map<string, AuthCode>();
  private readonly accessTokens = new Map<string, { expired: boolean }>();
  private readonly refreshTokens = new Map<string, { used: boolean }>();
  private readonly faults = new Map<FakeRoute, Fault[]>();
  private readonly servers: Server[] = [];
  private nextTrackId = 1001;

  private constructor(
    private readonly spec: SoundCloudSpec,
    private readonly options: SoundCloudFakeOptions,
  ) {
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.username = options.username ?? 'continuo-tester';
    this.ttl = options.accessTokenTtlSeconds ?? 3599;
    this.uploadSecondsLeft = options.uploadSecondsLeft === undefined ? 10_800 : options.uploadSecondsLeft;
    this.unlimitedQuota = options.unlimitedQuota ?? false;
  }

  static async start(options: SoundCloudFakeOptions = {}): Promise<SoundCloudFake> {
    const fake = new SoundCloudFake(await SoundCloudSpec.load(), options);
    const api = createServer((req, res) => void fake.handle('api', req, res));
    const auth = createServer((req, res) => void fake.handle('auth', req, res));
    fake.servers.push(api, auth);
    fake.apiUrl = await listen(api);
    fake.authUrl = await listen(auth);
    return fake;
  }

  async close(): Promise<void> {
    for (const server of this.servers) server.closeAllConnections();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  /** The next `times` requests on `route` (that pass validation) meet `fault`. */
  failNext(route: FakeRoute, fault: Fault, times = 1): this {
    const queue = this.faults.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(route, queue);
    return this;
  }

  /** Every access token issued so far is now rejected with 401, as after its hour is up. */
  expireAccessTokens(): void {
    for (const state of this.accessTokens.values()) state.expired = true;
  }

  /** Issues a token pair as if a login had happened (for tests that start logged in). */
  issueTokens(): { access_token: string; refresh_token: string; expires_in: number } {
    return this.tokenPair();
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  /**
   * What a browser does with the consent page: GET the authorize URL, (the person approves), follow
   * SoundCloud's 302 to the app's redirect URI. Answers what the redirect target said.
   */
  async simulateBrowser(authorizeUrl: string, options: { deny?: boolean; tamperState?: boolean } = {}): Promise<{ location: string; status: number; text: string }> {
    const consent = await fetch(authorizeUrl, { redirect: 'manual', headers: options.deny ? { 'x-fake-consent': 'deny' } : {} });
    const location = consent.headers.get('location');
    if (consent.status !== 302 || !location) throw new Error(`the fake consent page answered ${consent.status}: ${await consent.text()}`);
    const target = new URL(location);
    if (options.tamperState) target.searchParams.set('state', 'forged-state');
    const back = await fetch(target);
    return { location: target.toString(), status: back.status, text: await back.text() };
  }

  private async handle(host: 'api' | 'auth', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const record = (status: number, tokenValue?: string) => this.requests.push({ host, method, path: url.pathname, query: url.search.slice(1), status, token: tokenValue });
    try {
      const body = await readBody(req);
      const request: SpecRequest = { method, path: url.pathname, query: url.search.slice(1), headers: req.headers, body };
      if (host === 'auth') return await this.handleAuth(request, url, res, record);
      return await this.handleApi(request, res, record);
    } catch (error) {
      record(500);
      this.json(res, 500, { code: 500, message: `fake failure: ${(error as Error).message}`, link: LINK });
    }
  }

  private invalid(host: 'api' | 'auth', req: SpecRequest, status: number, errors: string[], res: ServerResponse, record: (s: number) => void): void {
    this.validationFailures.push({ host, method: req.method, path: req.path, errors });
    record(status);
    this.json(res, status, { code: status, message: `request does not match SoundCloud's OpenAPI description: ${errors.join('; ')}`, link: LINK, errors: errors.map((e) => ({ error_message: e })) });
  }

  private async handleAuth(req: SpecRequest, url: URL, res: ServerResponse, record: (s: number) => void): Promise<void> {
    if (req.method === 'GET' && req.path === this.spec.authorizePath) {
      const errors = this.spec.checkAuthorize(req.method, req.path, url.searchParams);
      if (errors.length) return this.invalid('auth', req, 400, errors, res, record);
      const q = url.searchParams;
      if (q.get('client_id') !== this.clientId) return this.invalid('auth', req, 400, ['query: unknown client_id'], res, record);
      const redirect = new URL(q.get('redirect_uri')!);
      redirect.searchParams.set('state', q.get('state')!);
      if (req.headers['x-fake-consent'] === 'deny') {
        redirect.searchParams.set('error', 'access_denied');
      } else {
        const code = token('code');
        this.codes.set(code, { clientId: this.clientId, redirectUri: q.get('redirect_uri')!, challenge: q.get('code_challenge')!, used: false });
        redirect.searchParams.set('code', code);
      }
      record(302);
      res.writeHead(302, { location: redirect.toString() });
      return void res.end();
    }
    if (req.method === 'POST' && req.path === this.spec.tokenPath) {
      const { errors, fields } = this.spec.checkToken(req);
      if (errors.length) return this.invalid('auth', req, 400, errors, res, record);
      if (this.fault('POST /oauth/token', res, record)) return;
      if (fields.client_id !== this.clientId || fields.client_secret !== this.clientSecret) {
        record(401);
        return this.json(res, 401, { code: 401, message: 'invalid_client', link: LINK });
      }
      const invalidGrant = () => {
        record(400);
        this.json(res, 400, { code: 400, message: 'invalid_grant', link: LINK });
      };
      if (fields.grant_type === 'authorization_code') {
        const code = this.codes.get(fields.code!);
        const verified = code && createHash('sha256').update(fields.code_verifier!).digest('base64url') === code.challenge;
        if (!code || code.used || code.redirectUri !== fields.redirect_uri || !verified) return invalidGrant();
        code.used = true;
        this.grants.authorization_code++;
      } else if (fields.grant_type === 'refresh_token') {
        const refresh = this.refreshTokens.get(fields.refresh_token!);
        if (!refresh) return invalidGrant();
        if (refresh.used) {
          this.refreshTokenReuses++;
          return invalidGrant();
        }
        refresh.used = true;
        this.grants.refresh_token++;
      } else {
        record(400);
        return this.json(res, 400, { code: 400, message: 'unsupported_grant', link: LINK });
      }
      record(200);
      return this.json(res, 200, { ...this.tokenPair(), scope: '', token_type: 'bearer' });
    }
    return this.invalid('auth', req, 404, [`${req.method} ${req.path}: the auth host serves only ${this.spec.authorizePath} and ${this.spec.tokenPath}`], res, record);
  }

  private async handleApi(req: SpecRequest, res: ServerResponse, record: (s: number, t?: string) => void): Promise<void> {
    const check = await this.spec.checkApi(req);
    if (!check.ok) return this.invalid('api', req, check.status, check.errors, res, record);
    const accessToken = String(req.headers.authorization).slice('OAuth '.length);
    const state = this.accessTokens.get(accessToken);
    if (!state || state.expired) {
      record(401, accessToken);
      return this.json(res, 401, { code: 401, message: 'invalid_token', link: LINK });
    }
    await this.options.beforeApiRequest?.(accessToken, { method: req.method, path: req.path });
    const route = `${req.method} ${req.path}` as FakeRoute;
    switch (route) {
      case 'GET /me':
        if (this.fault(route, res, record)) return;
        record(200, accessToken);
        return this.json(res, 200, this.me());
      case 'GET /me/tracks': {
        if (this.fault(route, res, record)) return;
        const q = new URLSearchParams(req.query);
        const limit = Number(q.get('limit') ?? 50);
        const newestFirst = [...this.tracks].reverse().slice(0, limit).map((t) => this.trackJson(t));
        record(200, accessToken);
        return this.json(res, 200, q.get('linked_partitioning') === 'true' ? { collection: newestFirst } : newestFirst);
      }
      case 'POST /tracks': {
        const fault = this.takeFault(route);
        if (fault?.afterCreate) await this.createTrack(check.form!);
        if (fault) return this.answerFault(fault, res, record);
        const track = await this.createTrack(check.form!);
        record(201, accessToken);
        return this.json(res, 201, this.trackJson(track));
      }
      default:
        record(501, accessToken);
        return this.json(res, 501, { code: 501, message: `the fake does not serve ${route}`, link: LINK });
    }
  }

  private tokenPair(): { access_token: string; refresh_token: string; expires_in: number } {
    const access = token('access');
    const refresh = token('refresh');
    this.accessTokens.set(access, { expired: false });
    this.refreshTokens.set(refresh, { used: false });
    return { access_token: access, refresh_token: refresh, expires_in: this.ttl };
  }

  private async createTrack(form: FormData): Promise<FakeTrack> {
    const asset = form.get('track[asset_data]') as File;
    const artwork = form.get('track[artwork_data]') as File | null;
    const text = (name: string) => (form.get(name) as string | null) ?? undefined;
    const id = this.nextTrackId++;
    const title = text('track[title]')!;
    const track: FakeTrack = {
      id,
      urn: `soundcloud:tracks:${id}`,
      title,
      description: text('track[description]') ?? null,
      genre: text('track[genre]') ?? '',
      tag_list: text('track[tag_list]') ?? '',
      sharing: text('track[sharing]') ?? 'public',
      downloadable: text('track[downloadable]') === 'true',
      license: text('track[license]') ?? 'all-rights-reserved',
      permalink_url: `https://soundcloud.com/${this.username}/${slug(title)}`,
      created_at: new Date().toISOString().replace('T', ' ').slice(0, 19),
      asset: { filename: asset.name, contentType: asset.type, bytes: new Uint8Array(await asset.arrayBuffer()) },
      artwork: artwork ? { filename: artwork.name, contentType: artwork.type, size: artwork.size } : undefined,
    };
    this.tracks.push(track);
    return track;
  }

  private trackJson(t: FakeTrack): Record<string, unknown> {
    return {
      kind: 'track',
      id: t.id,
      urn: t.urn,
      title: t.title,
      description: t.description,
      genre: t.genre,
      tag_list: t.tag_list,
      sharing: t.sharing,
      downloadable: t.downloadable,
      license: t.license,
      permalink_url: t.permalink_url,
      uri: `https://api.soundcloud.com/tracks/${t.urn}`,
      created_at: t.created_at,
      duration: 30_000,
      streamable: true,
      access: 'playable',
      user: { urn: 'soundcloud:users:4242', kind: 'user', username: this.username, permalink: this.username, permalink_url: `https://soundcloud.com/${this.username}` },
    };
  }

  private me(): Record<string, unknown> {
    return {
      urn: 'soundcloud:users:4242',
      kind: 'user',
      username: this.username,
      full_name: 'Continuo Tester',
      permalink: this.username,
      permalink_url: `https://soundcloud.com/${this.username}`,
      plan: this.unlimitedQuota ? 'Pro Unlimited' : 'Free',
      private_tracks_count: this.tracks.filter((t) => t.sharing === 'private').length,
      track_count: this.tracks.filter((t) => t.sharing === 'public').length,
      upload_seconds_left: this.uploadSecondsLeft,
      quota: { unlimited_upload_quota: this.unlimitedQuota, upload_seconds_used: 0, upload_seconds_left: this.uploadSecondsLeft },
    };
  }

  private takeFault(route: FakeRoute): Fault | undefined {
    return this.faults.get(route)?.shift();
  }

  private fault(route: FakeRoute, res: ServerResponse, record: (s: number) => void): boolean {
    const fault = this.takeFault(route);
    if (!fault) return false;
    this.answerFault(fault, res, record);
    return true;
  }

  private answerFault(fault: Fault, res: ServerResponse, record: (s: number) => void): void {
    if (fault.drop) {
      record(0);
      res.socket?.destroy();
      return;
    }
    record(fault.status);
    const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
    const text = STATUS_TEXT[fault.status] ?? 'Error';
    if (fault.body === 'html') {
      res.writeHead(fault.status, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      return void res.end(`<!DOCTYPE html>\n<html><head><title>${fault.status} ${text}</title><style>body{font:14px sans-serif}</style></head>` + `<body><h1>${fault.status} ${text}</h1><p>${fault.message ?? 'The server encountered a temporary error.'}</p></body></html>`);
    }
    if (fault.body === 'empty') {
      res.writeHead(fault.status, headers);
      return void res.end();
    }
    this.json(res, fault.status, { code: fault.status, message: fault.message ?? text, link: LINK }, headers);
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}

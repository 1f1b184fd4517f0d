/**
 * A loopback Discord: REST under /api/v10 and a JSON gateway (no compression) on the same port, enough
 * for the real discord.js client to log in, receive interactions and answer them. Every REST request is
 * recorded (JSON body, or multipart `payload_json` plus `files[n]` names and sizes) for assertions.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedFile {
  readonly field: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization?: string;
  readonly body: unknown;
  readonly files: RecordedFile[];
}

export interface InteractionOption {
  readonly name: string;
  readonly type: number;
  readonly value: string | number | boolean;
}

const snowflake = () => (BigInt(Date.now() - 1420070400000) << 22n | BigInt(Math.floor(Math.random() * 4096))).toString();

export class DiscordFake {
  readonly requests: RecordedRequest[] = [];
  readonly applicationId = '100000000000000001';
  readonly botUserId = '100000000000000002';
  readonly guildId = '100000000000000003';
  readonly channelId = '100000000000000004';
  readonly identifies: unknown[] = [];
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private seq = 1;
  private readonly waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private botToken: string | undefined;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (socket) => this.gateway(socket));
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** With `botToken`, REST answers 401 to any other `Authorization: Bot …`, as Discord does. */
  static async start(options: { botToken?: string } = {}): Promise<DiscordFake> {
    const fake = new DiscordFake();
    fake.botToken = options.botToken;
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The REST base to give discord.js (`rest.api`). */
  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Resolves when a client has identified and received READY. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the fake Discord saw no such request in time')), timeoutMs);
      this.waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  private gateway(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (msg.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (msg.op === 2) {
        this.identifies.push(msg.d);
        this.dispatch('READY', {
          v: 10, user: { id: this.botUserId, username: 'continuo', discriminator: '0', bot: true, avatar: null, global_name: null },
          guilds: [], session_id: randomBytes(8).toString('hex'), resume_gateway_url: `ws://127.0.0.1:${this.port}`,
          application: { id: this.applicationId, flags: 0 },
        }, socket);
        this.markReady();
      }
    });
  }

  private dispatch(t: string, d: unknown, only?: WebSocket): void {
    const payload = JSON.stringify({ op: 0, t, s: this.seq++, d });
    for (const socket of only ? [only] : this.sockets) socket.send(payload);
  }

  private base(type: number, attachmentSizeLimit: number) {
    return {
      id: snowflake(), application_id: this.applicationId, type, token: `tok-${randomBytes(12).toString('hex')}`, version: 1,
      guild_id: this.guildId, channel: { id: this.channelId, type: 0, name: 'music' }, channel_id: this.channelId,
      member: { user: { id: '100000000000000009', username: 'alice', discriminator: '0', avatar: null, global_name: 'Alice' }, roles: [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      app_permissions: '0', locale: 'en-US', guild_locale: 'en-US', entitlements: [], authorizing_integration_owners: {}, context: 0,
      attachment_size_limit: attachmentSizeLimit,
    };
  }

  /** Sends a chat-input (slash command) interaction; returns its id and token. */
  slashCommand(name: string, options: InteractionOption[] = [], attachmentSizeLimit = 10 * 1024 * 1024): { id: string; token: string } {
    const interaction = { ...this.base(2, attachmentSizeLimit), data: { id: snowflake(), name, type: 1, options } };
    this.dispatch('INTERACTION_CREATE', interaction);
    return { id: interaction.id, token: interaction.token };
  }

  /** Sends a button click on a message the bot posted. */
  buttonClick(customId: string, attachmentSizeLimit = 10 * 1024 * 1024): { id: string; token: string } {
    const interaction = {
      ...this.base(3, attachmentSizeLimit),
      message: this.message({ content: 'composition', components: [] }),
      data: { custom_id: customId, component_type: 2 },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return { id: interaction.id, token: interaction.token };
  }

  private message(body: Record<string, unknown>, files: RecordedFile[] = []) {
    return {
      id: snowflake(), channel_id: this.channelId, type: 0, timestamp: new Date().toISOString(), edited_timestamp: null,
      author: { id: this.botUserId, username: 'continuo', discriminator: '0', bot: true, avatar: null, global_name: null },
      content: typeof body.content === 'string' ? body.content : '', tts: false, mention_everyone: false, pinned: false,
      attachments: files.map((f, i) => ({ id: String(i), filename: f.name, size: f.size, url: `http://127.0.0.1:${this.port}/files/${f.name}`, proxy_url: '', content_type: f.contentType })),
      embeds: [], mentions: [], mention_roles: [], components: body.components ?? [], flags: body.flags ?? 0,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    const type = String(req.headers['content-type'] ?? '');
    let body: unknown = undefined;
    const files: RecordedFile[] = [];
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      for (const [field, value] of form.entries()) {
        if (field === 'payload_json') body = JSON.parse(String(value));
        else if (typeof value !== 'string') files.push({ field, name: value.name, size: value.size, contentType: value.type });
      }
    } else if (raw.length) {
      body = JSON.parse(raw.toString('utf8'));
    }
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, '');
    const record: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), body, files };
    if (path !== '/gateway/bot') {
      this.requests.push(record);
      for (const w of [...this.waiters]) {
        if (w.match(record)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(record);
        }
      }
    }
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
    };
    const m = record.method;
    if (this.botToken !== undefined && record.authorization?.startsWith('Bot ') && record.authorization !== `Bot ${this.botToken}`) {
      return json(401, { message: '401: Unauthorized', code: 0 });
    }
    if (m === 'GET' && path === '/gateway/bot') {
      return json(200, { url: `ws://127.0.0.1:${this.port}`, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
    }
    if (m === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return void res.writeHead(204).end();
    if (m === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) return json(200, this.message((body ?? {}) as Record<string, unknown>, files));
    if (m === 'DELETE' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) return void res.writeHead(204).end();
    if (m === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path)) return json(200, this.message((body ?? {}) as Record<string, unknown>, files));
    if (m === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      const commands = Array.isArray(body) ? (body as Record<string, unknown>[]) : [];
      return json(200, commands.map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() })));
    }
    json(404, { message: 'Unknown route (fake)', code: 0 });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getIntrospectionQuery, parse } from 'graphql';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { startServer, type RunningServer } from '../src/graphql/server.js';
import { logger } from '../src/logger.js';
import { createServices, type Services } from '../src/services/services.js';
import { collect, wsClient } from './helpers/graphql-client.js';

/** What a browser meets: files it can play and seek, CORS for the allowed origins, and the IDE at /graphql. */

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ALLOWED = 'https://studio.example.org';

let root: string;
let services: Services;
let server: RunningServer;
const audio = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
let audioUrl: string;
let midiUrl: string;

async function boot(env: Record<string, string>): Promise<{ services: Services; server: RunningServer }> {
  const config = loadConfig({ DATA_DIR: join(root, `data-${Object.keys(env).join('-') || 'plain'}`), CONTINUO_MODELS_DIR: join(root, 'models'), PORT: '0', LOG_LEVEL: 'silent', ...env });
  const app = await createServices(config, logger, { runJobs: false, env: {} });
  return { services: app, server: await startServer(app, { host: '127.0.0.1', port: 0 }) };
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'web', 'ide.html'))) {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  }
  root = await mkdtemp(join(tmpdir(), 'continuo-browser-http-'));
  await mkdir(join(root, 'models'), { recursive: true });
  ({ services, server } = await boot({ CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` }));
  const mp3 = await services.store.files.put(audio, { filename: 'Frère Jacques.mp3', contentType: 'audio/mpeg' });
  audioUrl = services.fileUrl(mp3.id, mp3.filename);
  const mid = await services.store.files.put(audio.subarray(0, 100), { filename: 'frere.mid', contentType: 'audio/midi' });
  midiUrl = services.fileUrl(mid.id, mid.filename);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await services?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('files', () => {
  it('answers HEAD like GET, without a body', async () => {
    const get = await fetch(audioUrl);
    const head = await fetch(audioUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.arrayBuffer()).toHaveProperty('byteLength', 0);
    for (const name of ['content-type', 'content-length', 'content-disposition', 'accept-ranges', 'etag']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
    expect(head.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await get.arrayBuffer()).equals(Buffer.from(audio))).toBe(true);
    expect((await fetch(`${server.url}/files/nosuchfile00000000/x.mp3`, { method: 'HEAD' })).status).toBe(404);
  });

  it('sends one byte range (206) so that audio can seek, and 416 past the end', async () => {
    const middle = await fetch(audioUrl, { headers: { range: 'bytes=100-199' } });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(middle.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await middle.arrayBuffer()).equals(Buffer.from(audio.subarray(100, 200)))).toBe(true);

    const tail = await fetch(audioUrl, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.from(audio.subarray(990)))).toBe(true);

    const open = await fetch(audioUrl, { headers: { range: 'bytes=995-' } });
    expect(open.headers.get('content-range')).toBe('bytes 995-999/1000');
    const clipped = await fetch(audioUrl, { headers: { range: 'bytes=900-5000' } });
    expect(clipped.headers.get('content-range')).toBe('bytes 900-999/1000');
    await Promise.all([open.arrayBuffer(), clipped.arrayBuffer()]);

    const past = await fetch(audioUrl, { headers: { range: 'bytes=1000-1100' } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */1000');
    expect(await past.text()).toMatch(/1000 bytes/);

    // Several ranges, another unit, or an If-Range naming another version: the whole file.
    const ignored: Record<string, string>[] = [{ range: 'bytes=0-1,5-6' }, { range: 'items=0-1' }, { range: 'bytes=0-9', 'if-range': '"older"' }];
    for (const headers of ignored) {
      const whole = await fetch(audioUrl, { headers });
      expect(whole.status, JSON.stringify(headers)).toBe(200);
      expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    }
    const sameVersion = await fetch(audioUrl, { headers: { range: 'bytes=0-9', 'if-range': (await fetch(audioUrl, { method: 'HEAD' })).headers.get('etag')! } });
    expect(sameVersion.status).toBe(206);
    await sameVersion.arrayBuffer();
  });

  it('opens audio in the browser (inline) and keeps MIDI an attachment, with the exact file name', async () => {
    const mp3 = await fetch(audioUrl, { method: 'HEAD' });
    expect(mp3.headers.get('accept-ranges')).toBe('bytes');
    expect(mp3.headers.get('content-disposition')).toBe(`inline; filename="Fr_re Jacques.mp3"; filename*=UTF-8''${encodeURIComponent('Frère Jacques.mp3')}`);
    const mid = await fetch(midiUrl, { method: 'HEAD' });
    expect(mid.headers.get('content-disposition')).toMatch(/^attachment; filename="frere\.mid"/);
  });
});

describe('CORS', () => {
  const preflight = (path: string, origin: string, method: string, headers: string) =>
    fetch(`${server.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

  it('answers a preflight from an allowed origin for /graphql and /files', async () => {
    const graphql = await preflight('/graphql', ALLOWED, 'POST', 'authorization,content-type');
    expect(graphql.status).toBe(204);
    expect(graphql.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(graphql.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    expect(graphql.headers.get('access-control-allow-headers')).toMatch(/\bauthorization\b.*\bcontent-type\b/);
    expect(graphql.headers.get('vary')).toBe('Origin');
    const files = await preflight(new URL(audioUrl).pathname, 'http://localhost:5173', 'GET', 'range');
    expect(files.status).toBe(204);
    expect(files.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(files.headers.get('access-control-allow-headers')).toMatch(/\brange\b/);
  });

  it('refuses a preflight from another origin, saying where to allow it', async () => {
    const refused = await preflight('/graphql', 'https://evil.example', 'POST', 'authorization,content-type');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('vary')).toBe('Origin');
    expect(await refused.text()).toMatch(/CORS_ORIGINS/);
  });

  it('lets an allowed origin read answers and files, and no other', async () => {
    const query = (origin: string) =>
      fetch(`${server.url}/graphql`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ models { id } }' }) });
    const allowed = await query(ALLOWED);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('vary')).toBe('Origin');
    const other = await query('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const seek = await fetch(audioUrl, { headers: { origin: ALLOWED, range: 'bytes=0-9' } });
    expect(seek.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(seek.headers.get('access-control-expose-headers')).toMatch(/content-range/);
    await Promise.all([allowed.text(), other.text(), seek.arrayBuffer()]);
  });

  it('allows no other origin when CORS_ORIGINS is not set, and refuses a value that is no origin', async () => {
    const app = await boot({});
    try {
      const refused = await fetch(`${app.server.url}/graphql`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('vary')).toBeNull();
    } finally {
      await app.server.close();
      await app.services.close();
    }
    expect(() => loadConfig({ CORS_ORIGINS: 'https://studio.example.org/app' })).toThrow(/CORS_ORIGINS="https:\/\/studio.example.org\/app": must be origins/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/no paths, no \*/);
  });
});

describe('the GraphQL IDE at /graphql', () => {
  it('is GraphiQL served from the package, with nothing loaded from elsewhere', async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await page.text();
    expect(html).toContain('<div id="ide">');
    expect(html).not.toMatch(/apollographql|unpkg|jsdelivr|esm\.sh|cdn/i);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, 'a same-origin path or a data: URL').toMatch(/^(\/assets\/|data:)/);
      if (ref.startsWith('data:')) continue;
      const asset = await fetch(`${server.url}${ref}`);
      expect(asset.status, ref).toBe(200);
      const text = await asset.text();
      expect(text, ref).not.toMatch(/url\(\s*['"]?https?:|@import\s+(url\()?['"]?https?:|import\(\s*['"]https?:|importScripts\(\s*['"]https?:/);
    }
  });

  it('leaves queries from clients to the API, the introspection query the IDE sends included', async () => {
    const byGet = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ models { id } }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(await byGet.json()).toEqual({ data: { models: [] } });
    const post = async (url: string, query: string) =>
      (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
        data?: { __schema?: { types: unknown[] } };
        errors?: { extensions: { code: string } }[];
      };
    expect(await post(server.url, '{ models { id } }')).toEqual({ data: { models: [] } });
    // 16 levels of `ofType`, past the depth limit of 8: introspection is bounded by graphql-js's own rule instead.
    const schema = await post(server.url, getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(schema.errors).toBeUndefined();
    expect(schema.data?.__schema?.types.length).toBeGreaterThan(20);
    const blowUp = await post(server.url, '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
    expect(blowUp.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('is not shown in production, where introspection is off over HTTP and WebSocket', async () => {
    const app = await boot({ NODE_ENV: 'production' });
    const ws = wsClient(app.server.url);
    try {
      const page = await fetch(`${app.server.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(404);
      expect(await page.text()).toMatch(/IDE and introspection are off in production \(NODE_ENV=production\)/);
      const overWs = collect(ws, parse('{ __schema { queryType { name } } }') as TypedDocumentNode<unknown, Record<string, never>>, {});
      await expect(overWs).rejects.toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/introspection has been disabled/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]));
    } finally {
      await ws.dispose();
      await app.server.close();
      await app.services.close();
    }
  });

  // Without a Chromium this is skipped, except where it is required (.ci/run sets STUDIO_E2E=require).
  it.runIf(existsSync(CHROMIUM) || process.env.STUDIO_E2E === 'require')('loads and answers a query in a browser that can reach nothing but the server', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    try {
      const context = await browser.newContext();
      const outside: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        outside.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      // The schema, for completion and the docs: the introspection query must pass the server's limits.
      const schema = page.waitForResponse((r) => r.request().postData()?.includes('IntrospectionQuery') ?? false);
      await page.goto(`${server.url}/graphql`);
      await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
      const introspection = (await (await schema).json()) as { data?: { __schema?: unknown }; errors?: unknown };
      expect(introspection.errors).toBeUndefined();
      expect(introspection.data?.__schema).toBeTruthy();
      // The run button does nothing until the editors are up; pressing again just runs the query again.
      const run = async () => {
        await page.locator('.graphiql-execute-button').click();
        return page.locator('.graphiql-response').textContent();
      };
      await expect.poll(run, { timeout: 30_000, interval: 1000 }).toMatch(/"models":\s*\[\]/);
      expect(outside).toEqual([]);
      expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { startServer, type RunningServer } from '../src/graphql/server.js';
import { initBackend } from '../src/inference/backend.js';
import { logger } from '../src/logger.js';
import { createServices, type Services } from '../src/services/services.js';
import { wsClient } from './helpers/graphql-client.js';
import { smf } from './helpers/midi-bytes.js';
import { trainTinyModel } from './helpers/synthetic-data.js';
import { timeBudget } from './helpers/timing.js';

/**
 * A generated corpus of hostile inputs over HTTP and WebSocket (seeded, a fixed number of runs): MIDI
 * mutations, notation and ABC fuzzing, GraphQL abuse, odd bodies and headers. For every case: a coded
 * error or a valid result, never a 5xx, no stack trace or server path, and /healthz still answers
 * within 100 ms.
 */

const SEED = 20_261_201;
/** Runs per generator: together over 500 cases. */
const RUNS = { midi: 150, notation: 90, abc: 90, graphql: 80, bodies: 50, headers: 30, ws: 50, frames: 25 } as const;

interface Outcome {
  readonly status: number;
  readonly text: string;
}

const LEAKS = /stacktrace|node_modules|\/src\/|\.ts:\d+|at [\w.<>]+ \(|\/tmp\/|\/work\//;

/** A coded error or a result, no leak. Returns the codes seen. */
function judge(what: string, outcome: Outcome, graphqlRoute = true): string[] {
  expect(outcome.status, `${what}: ${outcome.text.slice(0, 400)}`).toBeLessThan(500);
  expect(outcome.text, what).not.toMatch(LEAKS);
  let body: { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(outcome.text) as typeof body;
  } catch {
    // Not JSON: only for the other routes (metrics, a 404's text).
    expect(graphqlRoute, `${what}: not JSON: ${outcome.text.slice(0, 200)}`).toBe(false);
    return [`HTTP_${outcome.status}`];
  }
  const codes = (body.errors ?? []).map((e) => e.extensions?.code);
  for (const code of codes) {
    expect(typeof code, `${what}: an error without a code: ${outcome.text.slice(0, 400)}`).toBe('string');
    expect(code, `${what}: ${outcome.text.slice(0, 400)}`).not.toBe('INTERNAL_SERVER_ERROR');
  }
  if (!body.errors?.length) expect(body.data, `${what}: neither data nor errors`).toBeTruthy();
  return codes as string[];
}

function rawHttp(url: string, request: string | Buffer): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
      const text = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      resolve({ status, text: text.includes('{') ? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1) : text });
    });
    socket.on('error', (error) => (answer ? undefined : reject(error)));
    socket.end(request);
  });
}

let root: string;
let services: Services;
let server: RunningServer;
let key: string;
const seen = new Map<string, number>();
let cases = 0;

async function healthyFast(what: string): Promise<void> {
  const started = performance.now();
  const res = await fetch(`${server.url}/healthz`);
  const ms = performance.now() - started;
  expect(res.status, what).toBe(200);
  await res.text();
  expect(ms, `after ${what}: /healthz took ${ms.toFixed(0)} ms`).toBeLessThan(timeBudget(100));
}

async function check(what: string, send: () => Promise<Outcome>, graphqlRoute = true): Promise<void> {
  const codes = judge(what, await send(), graphqlRoute);
  for (const code of codes.length ? codes : ['ok']) seen.set(code, (seen.get(code) ?? 0) + 1);
  cases += 1;
  await healthyFast(what);
}

async function graphql(payload: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.status, text: await res.text() };
}

const compose = 'mutation($input: ComposeInput!) { compose(input: $input) { id status bars tempo } }';
const composeWith = (input: Record<string, unknown>) => graphql({ query: compose, variables: { input: { modelId: 'tiny', ...input } } });

beforeAll(async () => {
  await initBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'continuo-corpus-'));
  await trainTinyModel(root);
  // Jobs do not run: accepted compositions stay queued, and the corpus measures the request path.
  const config = loadConfig({
    DATA_DIR: join(root, 'data'), CONTINUO_MODELS_DIR: join(root, 'models'), PORT: '0', LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000', MAX_JOBS_IN_FLIGHT_PER_KEY: '100000',
  });
  services = await createServices(config, logger, { runJobs: false });
  server = await startServer(services, { host: '127.0.0.1', port: 0 });
  key = (await services.keys.create('fuzz', null)).secret;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await services?.close();
  await rm(root, { recursive: true, force: true });
});

/** A mutation of a valid MIDI file: bytes flipped, cut, inserted, or its header and chunk lengths changed. */
const midiMutation = (bases: Uint8Array[]) =>
  fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      edits: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
          fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
          fc.record({ kind: fc.constant('length' as const), at: fc.constantFrom(4, 18), value: fc.integer({ min: 0, max: 0xffffffff }) }),
          fc.record({ kind: fc.constant('header' as const), at: fc.constantFrom(8, 10, 12), value: fc.integer({ min: 0, max: 0xffff }) }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    })
    .map(({ base, edits }) => {
      let bytes = Uint8Array.from(bases[base]);
      for (const edit of edits) {
        const at = edit.at % Math.max(1, bytes.length);
        if (edit.kind === 'flip') bytes[at] = edit.value;
        else if (edit.kind === 'cut') bytes = bytes.subarray(0, at);
        else if (edit.kind === 'insert') bytes = Uint8Array.from([...bytes.subarray(0, at), ...edit.bytes, ...bytes.subarray(at)]);
        else if (edit.kind === 'length' && bytes.length >= edit.at + 4) new DataView(bytes.buffer, bytes.byteOffset).setUint32(edit.at, edit.value);
        else if (edit.kind === 'header' && bytes.length >= edit.at + 2) new DataView(bytes.buffer, bytes.byteOffset).setUint16(edit.at, edit.value);
      }
      return bytes;
    });

const NOTE_TOKENS = ['C4', 'D#5', 'Eb3', 'F', 'G4/2', 'A4*', 'B4.', 'r', 'R/4', '|', '||', 'C-1', 'G9', 'x', '/0', '*999', 'key=G', 'tempo=0', 'meter=7/0', 'bpm=9e9', '3/4', '♯', '"C"', '[CEG]', '(', ')', '~', '\u0000'];
const ABC_HEADERS = ['X:1', 'T:Fuzz', 'M:4/4', 'M:6/8', 'M:0/0', 'M:C|', 'M:99/1', 'L:1/8', 'L:0', 'L:1/0', 'Q:1/4=120', 'Q:0', 'Q:1/4=99999', 'K:G', 'K:Zb', 'K:', 'R:reel', '%%MIDI program 1'];
const ABC_BODY = ['A', 'B2', 'c/2', 'd3/2', 'z', 'z8', '|', ':|', '|:', '[1', '[2', '"G"', '"Xyz7"', '^f', '_B', '=c', "a'", 'A,,', '(3abc', '{g}', '>', '<', '-', 'x', 'Z4', '\\', '!trill!', '[CEG]', '  ', '\n', 'A99999', '/////'];

describe('a generated corpus of hostile inputs', () => {
  it(`MIDI mutations (${RUNS.midi})`, async () => {
    const fixtures = await Promise.all(['ode_to_joy.midi', 'twinkle_twinkle.midi'].map(async (f) => new Uint8Array(await readFile(join('test', 'fixtures', f)))));
    const bases = [smf(), smf({ timeSignature: [3, 2] }), ...fixtures];
    await fc.assert(
      fc.asyncProperty(midiMutation(bases), fc.option(fc.oneof(fc.nat({ max: 20 }).map(String), fc.string({ maxLength: 12 })), { nil: undefined }), async (bytes, midiTrack) => {
        await check(`MIDI of ${bytes.length} bytes`, () => composeWith({ midiBase64: Buffer.from(bytes).toString('base64'), ...(midiTrack === undefined ? {} : { midiTrack }) }));
      }),
      { seed: SEED, numRuns: RUNS.midi, endOnFailure: true },
    );
  }, 120_000);

  it(`notation (${RUNS.notation})`, async () => {
    const notation = fc.oneof(
      fc.array(fc.constantFrom(...NOTE_TOKENS), { maxLength: 60 }).map((t) => t.join(' ')),
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(notation, fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), async (text, chords) => {
        await check(`notation ${JSON.stringify(text.slice(0, 60))}`, () => composeWith({ notation: text, ...(chords === undefined ? {} : { chords }) }));
      }),
      { seed: SEED + 1, numRuns: RUNS.notation, endOnFailure: true },
    );
  }, 120_000);

  it(`ABC (${RUNS.abc})`, async () => {
    const abc = fc.oneof(
      fc
        .tuple(fc.subarray(ABC_HEADERS), fc.array(fc.constantFrom(...ABC_BODY), { maxLength: 80 }))
        .map(([headers, body]) => `${headers.join('\n')}\n${body.join('')}`),
      fc.string({ maxLength: 300 }).map((s) => `X:1\nK:C\n${s}`),
    );
    await fc.assert(
      fc.asyncProperty(abc, async (text) => {
        await check(`ABC ${JSON.stringify(text.slice(0, 60))}`, () => composeWith({ abc: text }));
      }),
      { seed: SEED + 2, numRuns: RUNS.abc, endOnFailure: true },
    );
  }, 120_000);

  it(`GraphQL abuse (${RUNS.graphql})`, async () => {
    const fieldName = fc.constantFrom('models', 'id', 'compositions', 'nodes', 'audio', 'pianoRoll', 'composition', '__typename', '__schema', 'types', 'trainingJob', 'sampleMelodies', 'nope', 'files', 'url');
    const selection: fc.Arbitrary<string> = fc.letrec((tie) => ({
      sel: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fieldName,
        fc.tuple(fieldName, fc.array(tie('sel'), { minLength: 1, maxLength: 4 })).map(([f, inner]) => `${f} { ${inner.join(' ')} }`),
        fc.tuple(fc.constantFrom('a', 'b', 'x1'), fieldName).map(([alias, f]) => `${alias}: ${f}`),
        fc.tuple(fieldName, fc.constantFrom('(first: 1000)', '(first: -1)', '(id: 5)', '(format: WAV)', '(id: "x")', '(first: $n)')).map(([f, a]) => `${f}${a}`),
        fc.array(tie('sel'), { maxLength: 3 }).map((inner) => `... on Query { ${inner.join(' ')} }`),
      ),
    })).sel;
    const document = fc.oneof(
      fc.tuple(fc.constantFrom('', 'query', 'mutation', 'subscription', 'query Q($n: Int)', 'query($n: Int!, $n: Int)'), fc.array(selection, { minLength: 1, maxLength: 5 })).map(
        ([head, sels]) => `${head} { ${sels.join(' ')} }`,
      ),
      fc.string({ maxLength: 200 }),
      fc.array(fc.constantFrom('{', '}', '(', ')', '...', 'fragment', 'on', 'Query', '$', '@skip(if: true)', '@include', '"', '#', 'F', ':'), { maxLength: 60 }).map((t) => t.join(' ')),
    );
    const variables = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.record({ n: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)) }));
    const operationName = fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(document, variables, operationName, async (query, vars, name) => {
        await check(`query ${JSON.stringify(query.slice(0, 80))}`, () => graphql({ query, variables: vars, operationName: name }));
      }),
      { seed: SEED + 3, numRuns: RUNS.graphql, endOnFailure: true },
    );
  }, 120_000);

  it(`odd bodies (${RUNS.bodies})`, async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('', 'null', '[]', '[{"query":"{ models { id } }"}]', '{"query": 5}', '{"query": null}', '{"query":"{ models { id } }","variables":"x"}', '{"query":"{ models { id } }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"0"}}}', '{'.repeat(5000), '{"query":"' + 'a'.repeat(100_000) + '"}'),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/graphql', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '');
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        await check(`body ${JSON.stringify(text.slice(0, 60))} as ${type}`, async () => {
          const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...(type ? { 'content-type': type } : {}), 'apollo-require-preflight': 'true' }, body: text });
          return { status: res.status, text: await res.text() };
        });
      }),
      { seed: SEED + 4, numRuns: RUNS.bodies, endOnFailure: true },
    );
  }, 120_000);

  it(`odd requests and headers (${RUNS.headers})`, async () => {
    const target = fc.constantFrom('/graphql', '/graphql?query={models{id}}', '/graphql?query=%E0%A4%A', '/files/%00/x', '/files/..%2F..%2Fetc/passwd', '/training-jobs/x/chart.svg', '/readyz', '/metrics', '/nope', '//graphql', '/graphql?' + 'a=1&'.repeat(2000), 'http://[', '*');
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD');
    const header = fc.constantFrom('Authorization: Bearer', 'Authorization: Basic eDp4', 'Authorization: Bearer ' + 'x'.repeat(5000), 'Content-Length: 99999999', 'Content-Type: application/json', 'Accept: text/html', 'Transfer-Encoding: gzip', 'X: \u00ff\u00fe', 'Content-Encoding: br');
    await fc.assert(
      fc.asyncProperty(method, target, fc.subarray(['a', 'b', 'c']).chain(() => fc.array(header, { maxLength: 3 })), fc.string({ maxLength: 50 }), async (m, t, headers, body) => {
        const head = [`${m} ${t} HTTP/1.1`, 'Host: x', 'Connection: close', ...headers.filter((h) => !h.startsWith('Content-Length')), `Content-Length: ${Buffer.byteLength(body)}`];
        await check(`${m} ${t.slice(0, 40)} ${headers.join(', ').slice(0, 60)}`, async () => {
          const outcome = await rawHttp(server.url, Buffer.from(`${head.join('\r\n')}\r\n\r\n${m === 'HEAD' ? '' : body}`, 'latin1'));
          // Node's own parser answers what it cannot read (400, 431) without a body: that is a refusal, not a crash.
          return outcome.text ? outcome : { status: outcome.status, text: JSON.stringify({ errors: [{ message: 'transport', extensions: { code: `HTTP_${outcome.status}` } }] }) };
        }, t.startsWith('/graphql'));
      }),
      { seed: SEED + 5, numRuns: RUNS.headers, endOnFailure: true },
    );
  }, 120_000);

  it(`over WebSocket (${RUNS.ws})`, async () => {
    const client: Client = wsClient(server.url, key);
    try {
      const query = fc.oneof(
        fc.constantFrom('{ models { id } }', 'subscription { compositionUpdated(id: "x") { id } }', 'subscription { trainingProgress(id: "x") { job { id } } }', '{ __schema { types { name } } }', 'mutation { deleteComposition(id: "x") }'),
        fc.string({ maxLength: 120 }),
        fc.array(fc.constantFrom('{', '}', 'models', 'id', '...', 'on Query', 'compose(input: {})', 'a: models { id }'), { maxLength: 40 }).map((t) => t.join(' ')),
      );
      await fc.assert(
        // (The client itself refuses variables that are no object; raw frames are sent below.)
        fc.asyncProperty(query, fc.oneof(fc.constant(undefined), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })), async (q, variables) => {
          await check(`ws ${JSON.stringify(q.slice(0, 60))}`, () =>
            new Promise<Outcome>((resolve, reject) => {
              let done = false;
              const finish = (outcome: Outcome) => {
                if (done) return;
                done = true;
                dispose();
                resolve(outcome);
              };
              const timer = setTimeout(() => finish({ status: 200, text: JSON.stringify({ data: { waiting: true } }) }), 1500); // a live subscription with nothing to say
              const dispose = client.subscribe(
                { query: q, variables: variables as Record<string, unknown> | undefined },
                {
                  next: (result) => (clearTimeout(timer), finish({ status: 200, text: JSON.stringify(result) })),
                  error: (error: unknown) => {
                    clearTimeout(timer);
                    if (Array.isArray(error)) finish({ status: 200, text: JSON.stringify({ errors: error }) });
                    else reject(error instanceof Error ? error : new Error(`the socket failed: ${JSON.stringify(error)}`));
                  },
                  complete: () => (clearTimeout(timer), finish({ status: 200, text: JSON.stringify({ data: { completed: true } }) })),
                },
              );
            }),
          );
        }),
        { seed: SEED + 6, numRuns: RUNS.ws, endOnFailure: true },
      );
    } finally {
      await client.dispose();
    }
  }, 180_000);

  it(`raw WebSocket frames (${RUNS.frames})`, async () => {
    const frame = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('{"type":"subscribe"}', '{"type":"subscribe","id":"1","payload":{"query":5}}', '{"type":"connection_init"}', '{"type":"ping","payload":"x"}', '{"type":"complete","id":{}}', '{"type":"subscribe","id":"1","payload":{"query":"{ models { id } }","variables":"x"}}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
        await check(`frames ${JSON.stringify(frames).slice(0, 80)}`, () =>
          new Promise<Outcome>((resolve) => {
            const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
            const messages: string[] = [];
            const timer = setTimeout(() => socket.close(), 1000);
            socket.on('open', () => {
              socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
              for (const f of frames) socket.send(f);
            });
            socket.on('message', (data: Buffer) => messages.push(data.toString()));
            socket.on('error', () => undefined);
            socket.on('close', (code: number, reason: Buffer) => {
              clearTimeout(timer);
              // A protocol violation closes the socket with a 44xx code; a server crash would be 1006 and /healthz would fail.
              expect(code, `closed with ${code} ${reason.toString()}`).not.toBe(1011);
              resolve({ status: 200, text: JSON.stringify({ data: { code, messages: messages.length } }) });
            });
          }),
        );
      }),
      { seed: SEED + 7, numRuns: RUNS.frames, endOnFailure: true },
    );
  }, 120_000);

  it('covered over 500 cases, most of them refused with a code', () => {
    expect(cases).toBeGreaterThanOrEqual(500);
    expect([...seen.keys()]).toEqual(expect.arrayContaining(['BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']));
  });
});

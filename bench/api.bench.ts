import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { packageRoot, shippedModelsDir } from '../src/config/paths.js';
import { percentile, report, round } from './stats.js';
import { addCpu, cpuSince, threadCpu, type ThreadCpu } from './thread-cpu.js';

const CLIENTS = 16;
/**
 * Compositions per client over all turns. A turn must be long against its ramp: with 3 per client a
 * turn lasted about a second, and its last few compositions (fewer than 16 clients still busy) held
 * throughput 20-25 % under what the same server keeps up.
 */
const PER_CLIENT = 40;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not become ready in 60 s');
}

function rssMiB(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024);
}

/** One GraphQL request over HTTP with the API key; the parsed body. */
async function postGraphql<T>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: unknown }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: unknown };
}

const COMPOSE = 'mutation($input: ComposeInput!) { compose(input: $input) { id } }';
const UPDATES = 'subscription($id: ID!) { compositionUpdated(id: $id) { status } }';

/** One composition end to end: the mutation over HTTP, then the subscription until it is done. */
async function composeOnce(url: string, key: string, ws: Client, seed: number): Promise<number> {
  const started = performance.now();
  const body = await postGraphql<{ compose: { id: string } }>(url, key, COMPOSE, { input: { sampleId: 'ode-to-joy', modelId: 'chorale', seed } });
  if (!body.data) throw new Error(`compose failed: ${JSON.stringify(body.errors)}`);
  await new Promise<void>((resolve, reject) => {
    ws.subscribe<{ compositionUpdated: { status: string } }>(
      { query: UPDATES, variables: { id: body.data!.compose.id } },
      {
        next: (r) => {
          const status = r.data?.compositionUpdated.status;
          if (status === 'FAILED') reject(new Error('composition failed'));
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  return performance.now() - started;
}

/** A small chorale-shaped data set (JSB JSON layout): scale tunes in four voices, for a training job to chew on. */
function scaleChorales(): string {
  const piece = (root: number) =>
    Array.from({ length: 128 }, (_, s) => [0, -3, -7, -12].map((offset) => root + offset + [0, 2, 4, 5, 7, 9, 11, 12][Math.floor(s / 4) % 8]));
  return JSON.stringify({ train: [60, 62, 64, 65, 67].map(piece), valid: [piece(63)], test: [piece(61)] });
}

async function queryLatencies(url: string, key: string, seconds: number): Promise<number[]> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const t0 = performance.now();
    await postGraphql(url, key, '{ models { id } }');
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}

/**
 * api.query_idle / api.query_while_training: latency of a small query with the server idle, then while
 * it trains a model at the shipped size (filters 16, batch 32) in the same process's job queue.
 */
async function queryWhileTraining(url: string, key: string, dataDir: string): Promise<void> {
  await mkdir(join(dataDir, 'training-data'), { recursive: true });
  await writeFile(join(dataDir, 'training-data', 'scales.json'), scaleChorales());
  const idle = await queryLatencies(url, key, 10);
  const started = await postGraphql<{ trainModel: { id: string } }>(url, key, 'mutation($input: TrainModelInput!) { trainModel(input: $input) { id } }', {
    input: { dataset: 'jsb:scales.json', modelId: 'bench-scales', iterations: 1000, batchSize: 32, filters: 16 },
  });
  const job = started.data?.trainModel;
  if (!job) throw new Error(`trainModel failed: ${JSON.stringify(started.errors)}`);
  await new Promise((r) => setTimeout(r, 5000)); // past loading, into the steps
  const training = await queryLatencies(url, key, 20);
  await postGraphql(url, key, 'mutation($id: ID!) { cancelTrainingJob(id: $id) { id } }', { id: job.id });
  for (const [bench, times] of [['api.query_idle', idle], ['api.query_while_training', training]] as const) {
    report({ bench, queries: times.length, p50_ms: round(percentile(times, 50)), p99_ms: round(percentile(times, 99)), max_ms: round(Math.max(...times)) });
  }
}

interface RunningServe {
  readonly url: string;
  readonly key: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** A `continuo serve` child process (embedded store, in-process queue) in a fresh data folder. */
async function serve(env: Record<string, string>): Promise<RunningServe> {
  const dataDir = await mkdtemp(join(tmpdir(), 'continuo-api-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(packageRoot(), 'dist', 'src', 'cli', 'main.js'), 'serve'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000', MAX_JOBS_IN_FLIGHT_PER_KEY: '1000', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child);
    const key = (await readFile(join(dataDir, 'api-key'), 'utf8')).trim();
    return { url, key, pid: child.pid!, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The inference set-ups compared side by side: the thread pool (batching, then each composition alone) and the event loop. */
const SETUPS: readonly { readonly inference: string; readonly env: Record<string, string> }[] = [
  { inference: 'pool', env: {} },
  { inference: 'pool-unbatched', env: { INFERENCE_BATCH_WINDOWS: '1' } },
  { inference: 'main-thread', env: { INFERENCE_THREADS: '0' } },
];

/** What one set-up measured over its turns. */
interface Tally {
  readonly latencies: number[];
  readonly queries: number[];
  seconds: number;
  rss: number;
  /** The server's CPU time over the turns, by kind of thread (null without /proc). */
  cpu: ThreadCpu | null;
  /** This process's CPU time over the turns (the load clients, on the same cores as the server), ms. */
  clientCpu: number;
}

/**
 * One turn of the load on a server: 16 clients compose `perClient` times each over HTTP + WebSocket
 * (end-to-end latency per composition); meanwhile a 17th client asks a cheap query (`models`) every
 * 20 ms, and the server's RSS (its threads included) is sampled.
 */
async function composeTurn(server: RunningServe, sockets: readonly Client[], perClient: number, seedBase: number, tally: Tally): Promise<void> {
  const { url, key } = server;
  let loading = true;
  const sampler = setInterval(() => void rssMiB(server.pid).then((mib) => (tally.rss = Math.max(tally.rss, mib)), () => undefined), 200);
  const cheap = (async () => {
    while (loading) {
      const t0 = performance.now();
      await postGraphql(url, key, '{ models { id } }');
      tally.queries.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const cpuBefore = await threadCpu(server.pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    sockets.map(async (ws, c) => {
      for (let i = 0; i < perClient; i++) tally.latencies.push(await composeOnce(url, key, ws, seedBase + c * perClient + i));
    }),
  );
  tally.seconds += (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  tally.clientCpu += (client.user + client.system) / 1000;
  const cpuAfter = await threadCpu(server.pid);
  if (cpuBefore && cpuAfter) tally.cpu = addCpu(tally.cpu ?? { eventLoop: 0, inference: 0, other: 0 }, cpuSince(cpuBefore, cpuAfter));
  loading = false;
  await cheap;
  clearInterval(sampler);
  tally.rss = Math.max(tally.rss, await rssMiB(server.pid));
}

/** Turns per set-up: they alternate, so that a machine whose other load comes and goes weighs on each alike. */
const TURNS = 4;

/**
 * api.compose: the same load on a `continuo serve` child process per inference set-up, all started
 * first and then taking turns (TURNS × 16 clients × PER_CLIENT / TURNS compositions each), one JSON
 * line per set-up with `inference` and `threads`, and an api.compose_cpu line per set-up: the server's
 * CPU time per composition over the turns (the cheap queries' share included), on the event loop, in
 * the inference threads and in the process's other threads (V8's compiler and collector helpers, file
 * system), and the load clients' own CPU time per composition (this process, on the same cores); then
 * api.query_idle / api.query_while_training on a server with the default set-up.
 */
export async function apiBench(): Promise<void> {
  if (!existsSync(join(shippedModelsDir(), 'chorale', 'card.json'))) {
    report({ bench: 'api.compose', skipped: 'models/chorale is missing' });
    return;
  }
  const servers: RunningServe[] = [];
  const sockets: Client[][] = [];
  try {
    for (const setup of SETUPS) {
      const server = await serve(setup.env);
      servers.push(server);
      const clients = Array.from({ length: CLIENTS }, () =>
        createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${server.key}` } }),
      );
      sockets.push(clients);
      await Promise.all(clients.map((ws, i) => composeOnce(server.url, server.key, ws, i))); // warm-up: threads started, code compiled
    }
    const tallies: Tally[] = SETUPS.map(() => ({ latencies: [], queries: [], seconds: 0, rss: 0, cpu: null, clientCpu: 0 }));
    for (let turn = 0; turn < TURNS; turn++) {
      for (let k = 0; k < SETUPS.length; k++) {
        const s = (turn + k) % SETUPS.length;
        await composeTurn(servers[s], sockets[s], PER_CLIENT / TURNS, 1000 + turn * 1000, tallies[s]);
      }
    }
    for (const [s, setup] of SETUPS.entries()) {
      const { latencies, queries, seconds, rss } = tallies[s];
      const ready = (await (await fetch(`${servers[s].url}/readyz`)).json()) as { backend?: string; inferenceThreads?: number };
      report({
        bench: 'api.compose', inference: setup.inference, threads: ready.inferenceThreads, model: 'chorale', backend: ready.backend, clients: CLIENTS,
        compositions: latencies.length,
        throughput_per_s: round(latencies.length / seconds),
        p50_ms: round(percentile(latencies, 50)),
        p99_ms: round(percentile(latencies, 99)),
        query_p99_ms: round(percentile(queries, 99)),
        queries: queries.length,
        rss_mib: round(rss, 1),
      });
    }
    for (const [s, setup] of SETUPS.entries()) {
      const { latencies, cpu, clientCpu } = tallies[s];
      if (!cpu) continue;
      const per = (ms: number) => round(ms / latencies.length);
      report({
        bench: 'api.compose_cpu', inference: setup.inference, compositions: latencies.length,
        cpu_ms_per_composition: per(cpu.eventLoop + cpu.inference + cpu.other),
        event_loop_ms: per(cpu.eventLoop), inference_threads_ms: per(cpu.inference), other_threads_ms: per(cpu.other),
        client_cpu_ms_per_composition: per(clientCpu),
      });
    }
  } finally {
    await Promise.all(sockets.flat().map((ws) => ws.dispose()));
    for (const server of servers) await server.stop();
  }
  const server = await serve({});
  try {
    await queryWhileTraining(server.url, server.key, server.dataDir);
  } finally {
    await server.stop();
  }
}

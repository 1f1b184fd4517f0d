import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './net.js';

/** `continuo serve` (or another command) in a child process, with its log collected. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it wrote so far (stdout and stderr). */
  log(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Whether dist/ was built from the sources as they are now: every module of src/ has its compiled
 * file, written after the source last changed (`npm test` builds first; a lone test file may not).
 */
export function builtCliIsCurrent(root = process.cwd()): boolean {
  const current = (dir: string): boolean =>
    readdirSync(join(root, dir), { withFileTypes: true }).every((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return current(path);
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.name.endsWith('.d.ts')) return true;
      const built = join(root, 'dist', path.replace(/\.ts$/, '.js'));
      return existsSync(built) && statSync(built).mtimeMs >= statSync(join(root, path)).mtimeMs;
    });
  return current('src');
}

export interface StartOptions {
  readonly args?: string[];
  readonly ready?: RegExp;
  readonly timeoutMs?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Runs bin/continuo.js (dist/) rather than the sources through the TypeScript loader, which starts several times slower. */
  readonly built?: boolean;
}

/**
 * Starts `serve` (or another command) and waits for its first log line that matches `ready`, or for
 * it to exit (resolved with the exit: a refusal at start is a result too).
 */
export async function startServe(
  env: Record<string, string>,
  options: StartOptions = {},
): Promise<ServeProcess> {
  const port = env.PORT ?? String(await freePort());
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', CONTINUO_BACKEND: 'wasm', ...env, PORT: port };
  delete childEnv.NODE_ENV; // Apollo registers its own signal handlers unless NODE_ENV is 'test'
  if (env.NODE_ENV) childEnv.NODE_ENV = env.NODE_ENV;
  const entry = options.built ? ['bin/continuo.js'] : ['--import', './test/helpers/ts-loader.mjs', 'src/cli/main.ts'];
  const child = spawn(process.execPath, [...entry, ...(options.args ?? ['serve'])], {
    cwd: process.cwd(), env: childEnv, stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = options.ready ?? /Continuo is serving/;
  const started = Date.now();
  while (!ready.test(log) && child.exitCode === null && child.signalCode === null) {
    if (Date.now() - started > (options.timeoutMs ?? 120_000)) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: `http://127.0.0.1:${port}`, log: () => log, exited };
}

/** Stops a child that is still running, by SIGKILL. */
export function killServe(serve: ServeProcess | undefined): void {
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
}

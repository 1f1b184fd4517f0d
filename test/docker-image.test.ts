import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as lintDockerfile } from 'dockerfilelint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/net.js';
import { syntheticJsbJson } from './helpers/synthetic-data.js';

/**
 * No Docker engine runs here: the Dockerfile is linted and read, and the image's start command runs
 * on this machine as the image runs it (its ENV, its working folder, an unprivileged user, the code
 * of /app from this checkout's build), which is what can be tested of the container outside one.
 */
const ROOT = new URL('..', import.meta.url).pathname;
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

interface Instruction {
  readonly name: string;
  readonly args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments left out. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    pending += line.endsWith('\\') ? `${line.slice(0, -1)} ` : line;
    if (line.endsWith('\\')) continue;
    const [name = '', ...rest] = pending.split(/\s+/);
    out.push({ name: name.toUpperCase(), args: rest.join(' ') });
    pending = '';
  }
  return out;
}

const all = instructions(DOCKERFILE);
const finalStage = all.slice(all.findLastIndex((i) => i.name === 'FROM'));
const build = all.slice(0, all.length - finalStage.length);
const last = (name: string) => finalStage.findLast((i) => i.name === name);
const execForm = (name: string) => JSON.parse(last(name)?.args ?? '[]') as string[];
/** ENV in its KEY=value form. */
const imageEnv = Object.fromEntries(
  finalStage.filter((i) => i.name === 'ENV').flatMap((i) => i.args.split(/\s+/).map((pair) => pair.split('=') as [string, string])),
);

describe('the Dockerfile', () => {
  it('passes dockerfilelint', () => {
    expect(lintDockerfile(ROOT, DOCKERFILE)).toEqual([]);
  });

  it('runs Continuo as the node user under tini, which passes signals on', () => {
    expect(last('USER')?.args).toBe('node');
    expect(finalStage.some((i) => i.name === 'RUN' && /apt-get install .*\btini\b/.test(i.args))).toBe(true);
    expect(execForm('ENTRYPOINT')).toEqual(['tini', '--', 'node', '/app/dist/src/cli/main.js']);
    expect(execForm('CMD')).toEqual(['serve']);
  });

  it("gives the node user what Continuo writes: DATA_DIR, its working folder, and schema.graphql; the code stays root's", () => {
    expect(imageEnv.DATA_DIR).toBe('/data');
    expect(last('WORKDIR')?.args).toBe(imageEnv.DATA_DIR);
    expect(finalStage.some((i) => i.name === 'RUN' && i.args.includes(`chown node:node ${imageEnv.DATA_DIR}`))).toBe(true);
    expect(finalStage.filter((i) => i.name === 'COPY' && i.args.includes('--chown=node:node')).map((i) => i.args)).toEqual(['--chown=node:node schema.graphql ./']);
  });

  it('leaves the optional GPU package out of the image, and no other optional package', () => {
    const install = build.find((i) => i.name === 'RUN' && /\bnpm ci\b/.test(i.args))?.args ?? '';
    expect(install).toMatch(/^npm pkg delete "optionalDependencies\.@tensorflow\/tfjs-node-gpu" && npm ci\b/);
    expect(install).not.toContain('--omit=optional'); // that would drop resvg's and ffmpeg's platform builds too
  });
});

describe("the image's start command, run here as the image runs it", () => {
  const asRoot = process.getuid?.() === 0;
  // The node user of the node images.
  const NODE_UID = 1000;
  let root: string;
  let command: string[];

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'dist/src/cli/main.js')), 'build first: npm run build').toBe(true);
    root = await mkdtemp(join(tmpdir(), 'continuo-image-'));
    await chmod(root, 0o755);
    // What follows `tini --`, with the image's /app being this checkout.
    command = execForm('ENTRYPOINT').slice(2).map((arg) => arg.replace(/^\/app\//, ROOT));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** A DATA_DIR as the image's volume has it: a folder of the user Continuo runs as. */
  async function dataDir(name: string): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir);
    if (asRoot) await chown(dir, NODE_UID, NODE_UID);
    return dir;
  }

  function start(args: string[], data: string, env: Record<string, string> = {}) {
    const child = spawn(command[0]!, [...command.slice(1), ...args], {
      cwd: data,
      env: { PATH: process.env.PATH, ...imageEnv, DATA_DIR: data, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: NODE_UID, gid: NODE_UID } : {}),
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, output: () => out };
  }

  it('serves, answers the HEALTHCHECK, and stops cleanly on SIGTERM', async () => {
    const data = await dataDir('serve');
    const port = String(await freePort());
    const serve = start(execForm('CMD'), data, { PORT: port });
    try {
      const started = Date.now();
      while (!/Continuo is serving/.test(serve.output()) && serve.child.exitCode === null && Date.now() - started < 90_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(serve.output()).toMatch(/Continuo is serving: the studio at http:\/\/0\.0\.0\.0:\d+\//);
      // Docker runs HEALTHCHECK's shell form with /bin/sh -c, in the container's environment.
      const check = (last('HEALTHCHECK')?.args ?? '').replace(/^.*?\bCMD\s+/, '');
      const probe = spawn('/bin/sh', ['-c', check], { env: { PATH: process.env.PATH, ...imageEnv, PORT: port }, stdio: 'ignore' });
      expect(await new Promise((resolve) => probe.on('exit', resolve))).toBe(0);
      serve.child.kill('SIGTERM');
      expect(await serve.exited, serve.output()).toBe(0);
    } finally {
      serve.child.kill('SIGKILL');
    }
  }, 120_000);

  it('trains into its working folder and DATA_DIR, and writes relative outputs there', async () => {
    const data = await dataDir('train');
    await writeFile(join(data, 'jsb.json'), syntheticJsbJson());
    const train = start(['train', '--data', 'jsb:jsb.json', '--id', 'tiny', '--iterations', '1', '--batch-size', '4', '--filters', '2', '--update-ratio', '1', '--no-progress'], data);
    expect(await train.exited, train.output()).toBe(0);
    expect(existsSync(join(data, 'runs', 'tiny', 'history.json'))).toBe(true);
    expect(existsSync(join(data, 'models', 'tiny', 'card.json'))).toBe(true);
    const schema = start(['schema', '-o', 'schema.graphql'], data);
    expect(await schema.exited, schema.output()).toBe(0);
    expect(readFileSync(join(data, 'schema.graphql'), 'utf8')).toContain('type Query');
  }, 120_000);

  it("stops at once, saying what to do, where DATA_DIR is another user's (a bind mount Docker made for root)", async () => {
    const data = join(root, 'not-ours');
    await mkdir(data);
    // Root's folder for the unprivileged user; where the tests do not run as root, one nobody may write.
    if (!asRoot) await chmod(data, 0o555);
    const serve = start(['serve'], data, { PORT: String(await freePort()) });
    expect(await serve.exited).toBe(1);
    expect(serve.output()).toMatch(
      /^continuo: DATA_DIR=".*not-ours" cannot be written by this process \(user \d+:\d+\) \(EACCES\): give the folder to that user \(chown -R \d+:\d+ <folder>; for a Docker bind mount, the folder on the host\), or set DATA_DIR to a folder it may write\n$/,
    );
    await chmod(data, 0o755);
  });
});

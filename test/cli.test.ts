import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import toneMidi from '@tonejs/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/inference/backend.js';
import { killServe, startServe } from './helpers/serve-process.js';
import { trainTinyModel } from './helpers/synthetic-data.js';

const run = promisify(execFile);
const bin = new URL('../bin/continuo.js', import.meta.url).pathname;
const { Midi } = toneMidi;

describe('the continuo command (built dist/)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const continuo = (...args: string[]) => run('node', [bin, ...args], { env, cwd: dir });

  beforeAll(async () => {
    await initBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'continuo-cli-'));
    await trainTinyModel(dir);
    env = { ...process.env, CONTINUO_MODELS_DIR: join(dir, 'models'), DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' };
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('prints its output and nothing else unless LOG_LEVEL asks for logs', async () => {
    const { LOG_LEVEL: _level, ...quiet } = env;
    const plain = await run('node', [bin, 'models'], { env: quiet, cwd: dir });
    expect(plain.stdout).toMatch(/^tiny\t/m);
    expect(plain.stderr).toBe('');
    const logged = await run('node', [bin, 'models'], { env: { ...quiet, LOG_LEVEL: 'info' }, cwd: dir });
    expect(logged.stderr).toContain('"msg":"TF.js backend chosen"');
    expect(logged.stderr).not.toContain('Cannot find package');
  });

  it("says in soundcloud login's help that it prints the address to open", async () => {
    const help = (await continuo('soundcloud', 'login', '--help')).stdout.replace(/\s+/g, ' '); // commander wraps it
    expect(help).toContain("prints the consent page's address to open in a browser");
    expect(help).not.toMatch(/opens/);
  });

  it('serve says in one line where the studio and GraphQL are', async () => {
    const serve = await startServe({ DATA_DIR: join(dir, 'serve-data'), CONTINUO_MODELS_DIR: join(dir, 'models'), LOG_LEVEL: 'warn' });
    try {
      expect(serve.log()).toMatch(/^Continuo is serving: the studio at http:\/\/127\.0\.0\.1:\d+\/#key=ck_\S+ and GraphQL at http:\/\/127\.0\.0\.1:\d+\/graphql \(stop with Ctrl\+C\)$/m);
      expect(serve.log().trim().split('\n')).toHaveLength(1);
    } finally {
      killServe(serve);
    }
  });

  it('lists models', async () => {
    const { stdout } = await continuo('models');
    expect(stdout).toMatch(/^tiny\tTiny \(test\): S, A, T, B; 1 iterations on synthetic scales/m);
  });

  it('composes notation, a sample and a MIDI file into MIDI files', async () => {
    const out = join(dir, 'song.mid');
    const { stdout } = await continuo('compose', 'C4 D4 E4 F4 | G4/1', '-m', 'tiny', '--seed', '5', '--variations', '2', '-o', out);
    expect(stdout).toMatch(/song\.mid: 2 bars, S 5, A \d+, T \d+, B \d+ notes \(model tiny, seed 5\)/);
    expect(existsSync(join(dir, 'song-2.mid'))).toBe(true);
    const midi = new Midi(await readFile(out));
    expect(midi.tracks.map((t) => t.name)).toEqual(['S', 'A', 'T', 'B']);
    const { stdout: withAudio } = await continuo('compose', 'ode-to-joy', '-m', 'tiny', '--audio', 'wav', '-o', join(dir, 'ode.mid'));
    expect(withAudio).toMatch(/ode\.wav: 2\d\.\d s of wav/); // 8 bars at 100 bpm + the release tail
    expect(new TextDecoder().decode((await readFile(join(dir, 'ode.wav'))).subarray(0, 4))).toBe('RIFF');
    expect(new Midi(await readFile(join(dir, 'ode.mid'))).tracks[0].notes.length).toBeGreaterThan(20);
    const fixture = new URL('./fixtures/twinkle_twinkle.midi', import.meta.url).pathname;
    const { stdout: fromMidi } = await continuo('compose', fixture, '-m', 'tiny', '-o', join(dir, 'tw.mid'));
    expect(fromMidi).toMatch(/tw\.mid: 8 bars/);
  });

  it('takes chords by bar and a key, and prints the key and chords used', async () => {
    const { stdout } = await continuo('compose', 'C4 E4 G4 E4 | F4/1 | G4/1', '-m', 'tiny', '--chords', 'C | F G7', '--key', 'G', '-o', join(dir, 'chords.mid'));
    expect(stdout).toMatch(/chords\.mid: 3 bars/);
    // The tiny model does not follow chords; a chord-conditioned one follows the given ones (the last one held).
    expect(stdout).toMatch(/^key G; (no chords \(the 'tiny' model does not follow chords\)|chords \(given\): C \| F G7 \| G7)$/m);
    const bad = await continuo('compose', 'C4/1 | D4/1', '-m', 'tiny', '--chords', 'C | H7').catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/BAD_USER_INPUT: chords: bar 2: 'H7' is not a chord symbol/);
    const key = await continuo('compose', 'C4/1', '-m', 'tiny', '--key', 'X').catch((e: { stderr: string }) => e);
    expect((key as { stderr: string }).stderr).toMatch(/BAD_USER_INPUT: key: 'X' is not a key/);
  });

  it("refuses a harmoniser's options that do not fit its kind before reading any data", async () => {
    const margin = await continuo('harmoniser', '-m', 'tiny', '--data', 'jsb:missing.json', '--margin', '2').catch((e: { code: number; stderr: string }) => e);
    expect(margin).toMatchObject({ code: 1 });
    expect((margin as { stderr: string }).stderr).toMatch(/BAD_USER_INPUT: --margin 2 is not a share; use a number from 0 to 1/);
    const hidden = await continuo('harmoniser', '-m', 'tiny', '--data', 'jsb:missing.json', '--hidden', '64').catch((e: { stderr: string }) => e);
    expect((hidden as { stderr: string }).stderr).toMatch(/BAD_USER_INPUT: --hidden is for the mlp harmoniser/);
  });

  it('fails with the error code and what to fix', async () => {
    const bad = await continuo('compose', 'C4 | X9', '-m', 'tiny').catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/BAD_USER_INPUT: bar 2.*X9/);
    const unknown = await continuo('compose', 'C4', '-m', 'rock').catch((e: { stderr: string }) => e);
    expect((unknown as { stderr: string }).stderr).toMatch(/NOT_FOUND: model 'rock' does not exist; available models: tiny/);
  });

  it('says which file is missing, and which sample was meant', async () => {
    const missing = await continuo('compose', 'missing.mid', '-m', 'tiny').catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1 });
    expect((missing as { stderr: string }).stderr).toContain(`NOT_FOUND: there is no file 'missing.mid' (looked for ${join(dir, 'missing.mid')})`);
    const other = await continuo('compose', 'notes/tune.txt', '-m', 'tiny').catch((e: { stderr: string }) => e);
    expect((other as { stderr: string }).stderr).toMatch(/NOT_FOUND: there is no file 'notes\/tune\.txt'/);
    const typo = await continuo('compose', 'odetojoy', '-m', 'tiny').catch((e: { stderr: string }) => e);
    expect((typo as { stderr: string }).stderr).toMatch(/NOT_FOUND: sample melody 'odetojoy' does not exist; did you mean 'ode-to-joy'\? The samples are: twinkle-twinkle, /);
  });

  it('writes what the output name asks for: MIDI, audio or a piano roll, or says which names work', async () => {
    const { stdout } = await continuo('compose', 'C4 D4 E4 F4 | G4/1', '-m', 'tiny', '--seed', '1', '-o', 'roll.png');
    expect(stdout).toMatch(/^roll\.png: 2 bars/m);
    expect([...(await readFile(join(dir, 'roll.png'))).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // PNG
    const bad = await continuo('compose', 'C4/1', '-m', 'tiny', '-o', 'x.txt').catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/BAD_USER_INPUT: cannot tell what to write from 'x\.txt'; end the output name with \.mid, \.midi, \.mp3, .*\.png, \.svg/);
    expect(existsSync(join(dir, 'x.txt'))).toBe(false);
  });

  it('renders beside the input when no output is named', async () => {
    await mkdir(join(dir, 'songs'), { recursive: true });
    await copyFile(new URL('./fixtures/twinkle_twinkle.midi', import.meta.url), join(dir, 'songs', 'tw.mid'));
    const { stdout } = await continuo('render', join('songs', 'tw.mid'), '--no-effects');
    expect(stdout).toMatch(/^songs\/tw\.mp3: \d+\.\d s of mp3/);
    expect(existsSync(join(dir, 'songs', 'tw.mp3'))).toBe(true);
    expect(existsSync(join(dir, 'tw.mp3'))).toBe(false);
  });

  it('creates and lists API keys without showing secrets again', async () => {
    const { stdout: secret } = await continuo('keys', 'create', 'discord-bot', '--quota', '10');
    expect(secret.trim()).toMatch(/^ck_[A-Za-z0-9_-]{32}$/);
    const { stdout: list } = await continuo('keys', 'list');
    expect(list).toMatch(/discord-bot\tquota 10\tactive/);
    expect(list).not.toContain(secret.trim());
  });

  it('answers UNAVAILABLE while a running server holds the data folder', async () => {
    const lock = join(dir, 'data', '.lock');
    await writeFile(lock, String(process.pid)); // this test process stands in for the server
    try {
      const busy = await continuo('keys', 'list').catch((e: { code: number; stderr: string }) => e);
      expect(busy).toMatchObject({ code: 1 });
      expect((busy as { stderr: string }).stderr).toMatch(/^continuo: UNAVAILABLE: the data directory .* is in use by process \d+; stop it/m);
    } finally {
      await rm(lock, { force: true });
    }
  });
});

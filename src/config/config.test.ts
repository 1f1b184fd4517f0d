import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { discordBot } from './discord-settings.js';

const WEBHOOK = 'https://discord.com/api/webhooks/123456789012/abcdefghijklmnop';

describe('the store settings', () => {
  it('takes PostgreSQL from DATABASE_URL, and neither database by default', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://continuo@db/continuo' })).toMatchObject({ databaseUrl: 'postgresql://continuo@db/continuo', mongodbUri: undefined });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/continuo' }).databaseUrl).toBe('postgres://db/continuo');
    expect(loadConfig({})).toMatchObject({ databaseUrl: undefined, mongodbUri: undefined });
  });

  it('refuses DATABASE_URL beside MONGODB_URI, saying which to unset', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://db/continuo', MONGODB_URI: 'mongodb://db/continuo' })).toThrow(
      /DATABASE_URL and MONGODB_URI are both set.*unset MONGODB_URI to use PostgreSQL, or DATABASE_URL to use MongoDB/,
    );
  });

  it('quotes a wrong connection string without its password', () => {
    const error: unknown = (() => {
      try {
        return loadConfig({ DATABASE_URL: 'mysql://continuo:s3cret@db/continuo' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('invalid configuration: DATABASE_URL="mysql://continuo:***@db/continuo": must start with postgres:// or postgresql://');
  });
});

describe('one configuration, checked at start-up', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has a default for every setting a fresh machine needs', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ backend: 'auto', render: { fontDirs: [] }, discord: { apiUrl: 'https://discord.com/api' } });
    expect(config.soundcloud).toBeUndefined();
    expect(config.discord.bot).toBeUndefined();
    expect(config.logLevel).toBeUndefined(); // each entry point has its own default
  });

  it('takes the TF.js backends and their aliases, and refuses anything else', () => {
    expect(loadConfig({ CONTINUO_BACKEND: 'GPU' }).backend).toBe('tensorflow');
    expect(loadConfig({ CONTINUO_BACKEND: ' wasm ' }).backend).toBe('wasm');
    expect(() => loadConfig({ CONTINUO_BACKEND: 'tpu' })).toThrow('invalid configuration: CONTINUO_BACKEND="tpu": is not a backend; use one of auto, tensorflow, wasm, cpu');
  });

  it('never quotes a secret', () => {
    expect(() => loadConfig({ METRICS_KEY: 'hunter2' })).toThrow('invalid configuration: METRICS_KEY: must be at least 16 characters');
  });

  it('names every wrong setting in the one line', () => {
    expect(() => loadConfig({ CONTINUO_BACKEND: 'tpu', DISCORD_TOKEN: 'bot-token' })).toThrow(
      /^invalid configuration: CONTINUO_BACKEND="tpu": is not a backend; .*; DISCORD_APPLICATION_ID="": not set; the Discord bot needs/,
    );
  });

  it('checks the render settings against the machine', async () => {
    const bank = join(dir, 'bank.sf2');
    await writeFile(bank, 'x');
    expect(loadConfig({ CONTINUO_SOUNDFONT: bank, CONTINUO_FONT_DIR: dir }).render).toEqual({ soundfontPath: bank, fontDirs: [dir] });
    expect(() => loadConfig({ FFMPEG_PATH: bank })).toThrow(`FFMPEG_PATH="${bank}": is not an executable file; point it at an ffmpeg binary or unset it`);
    expect(() => loadConfig({ CONTINUO_SOUNDFONT: join(dir, 'none.sf2') })).toThrow(/CONTINUO_SOUNDFONT=".*none\.sf2": is not a file; point it at an \.sf2 or \.sf3 sound bank/);
    expect(() => loadConfig({ CONTINUO_FONT_DIR: bank })).toThrow(/CONTINUO_FONT_DIR=".*bank\.sf2": is not a folder/);
  });

  it('sets the Discord bot up with both of its variables or neither, and says where they come from', () => {
    expect(loadConfig({ DISCORD_TOKEN: 'bot-token', DISCORD_APPLICATION_ID: '123456789012345678' }).discord.bot).toEqual({ token: 'bot-token', applicationId: '123456789012345678' });
    expect(() => loadConfig({ DISCORD_TOKEN: 'bot-token' })).toThrow(
      'invalid configuration: DISCORD_APPLICATION_ID="": not set; the Discord bot needs DISCORD_TOKEN and DISCORD_APPLICATION_ID together (or none of them)',
    );
    expect(() => loadConfig({ DISCORD_TOKEN: 'bot-token', DISCORD_APPLICATION_ID: 'my-app' })).toThrow(/DISCORD_APPLICATION_ID="my-app": must be the application's id, 5–25 digits/);
    expect(() => discordBot(loadConfig({}).discord)).toThrow(expect.objectContaining({ code: 'NOT_CONFIGURED', message: expect.stringMatching(/^set DISCORD_TOKEN and DISCORD_APPLICATION_ID \(from the Discord developer portal/) }));
  });

  it('checks the default webhook at start-up, never quoting its token', () => {
    expect(loadConfig({ DISCORD_WEBHOOK_URL: WEBHOOK }).discord.webhookUrl).toBe(WEBHOOK);
    const wrong = 'https://discord.com/api/webhooks/123456789012/secret!token';
    expect(() => loadConfig({ DISCORD_WEBHOOK_URL: wrong })).toThrow(/^invalid configuration: DISCORD_WEBHOOK_URL: in the webhook URL .* the token may hold only letters/);
    expect(() => loadConfig({ DISCORD_WEBHOOK_URL: wrong })).not.toThrow(/secret!token/);
  });

  it("points the Discord client at DISCORD_API_URL (a fake's address in tests)", () => {
    expect(loadConfig({ DISCORD_API_URL: 'http://127.0.0.1:9000/api/' }).discord.apiUrl).toBe('http://127.0.0.1:9000/api');
    expect(() => loadConfig({ DISCORD_API_URL: 'discord.com' })).toThrow('DISCORD_API_URL="discord.com": must be an http:// or https:// address');
  });

  it('documents every setting in the README', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const names = readdirSync(dir)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!));
    expect(names).toContain('DISCORD_API_URL');
    const table = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('## Configuration')[1]!.split('\n## ')[0]!;
    expect(names.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });

  it('is read from the environment in the configuration alone', () => {
    // Everything else gets its settings passed in; ffmpeg's search path is the operating system's PATH.
    const root = new URL('..', import.meta.url).pathname;
    const readers = (readdirSync(root, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .filter((file) => /process\.env\b/.test(readFileSync(join(root, file), 'utf8')));
    expect(readers.sort()).toEqual(['config/config.ts', 'render/ffmpeg-binary.ts']);
  });
});

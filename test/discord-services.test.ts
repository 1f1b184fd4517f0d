import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { initBackend } from '../src/inference/backend.js';
import { ContinuoBot, ServicesBotComposer } from '../src/bot/index.js';
import { logger } from '../src/logger.js';
import { createServices, type Services } from '../src/services/services.js';
import { DiscordFake } from './fakes/discord-fake.js';
import { trainTinyModel } from './helpers/synthetic-data.js';

const log = logger.child({ module: 'discord-test' });
log.level = 'silent';

describe('the Discord bot over the real services (tiny model)', () => {
  let root: string;
  let services: Services;
  let fake: DiscordFake;
  let bot: ContinuoBot;

  beforeAll(async () => {
    await initBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'continuo-discord-'));
    await trainTinyModel(root);
    services = await createServices(
      loadConfig({ DATA_DIR: join(root, 'data'), CONTINUO_MODELS_DIR: join(root, 'models'), PORT: '0', LOG_LEVEL: 'silent' }),
      log, { runJobs: true, env: {} },
    );
    fake = await DiscordFake.start();
    bot = new ContinuoBot({ composer: new ServicesBotComposer(services), log, api: fake.api });
    await bot.start('fake-bot-token');
  }, 120_000);

  afterAll(async () => {
    await bot?.close();
    await fake?.close();
    await services?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('/compose sends the MIDI, mp3 and piano roll; no Publish button without SoundCloud', async () => {
    const { token } = fake.slashCommand('compose', [
      { name: 'sample', type: 3, value: 'twinkle-twinkle' }, { name: 'model', type: 3, value: 'tiny' },
      { name: 'seed', type: 4, value: 5 }, { name: 'bars', type: 3, value: '2' },
    ]);
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(token), 60_000);
    expect(edit.files.map((f) => f.name.split('.').pop()).sort()).toEqual(['mid', 'mp3', 'png']);
    expect(edit.files.every((f) => f.size > 0)).toBe(true);
    const body = edit.body as { content: string; components: { components: { label: string }[] }[] };
    expect(body.content).toContain('seed 5');
    expect(body.content).toContain('2 bars');
    expect(body.components[0]!.components.map((c) => c.label)).toEqual(['Another take']);
  }, 90_000);

  it('bad notation from the real parser answers ephemerally with bar and token', async () => {
    const { token } = fake.slashCommand('compose', [{ name: 'notation', type: 3, value: 'C4 D4 E4 F4 | G4 X9 A4 B4' }, { name: 'model', type: 3, value: 'tiny' }]);
    const reply = await fake.waitFor((r) => r.method === 'POST' && r.path.endsWith(token), 20_000);
    const body = reply.body as { content: string; flags: number };
    expect(body.flags & 64).toBe(64);
    expect(body.content).toMatch(/Bar 2/);
    expect(body.content).toContain('X9');
  }, 30_000);
});

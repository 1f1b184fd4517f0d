import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContinuoBot, loginFailure } from '../src/bot/bot.js';
import { logger } from '../src/logger.js';
import { FakeBotComposer } from './fakes/discord-composer.js';
import { DiscordFake } from './fakes/discord-fake.js';

const log = logger.child({ module: 'discord-test' });
log.level = 'silent';

/** A port that refuses connections: one that was just free. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('starting the Discord bot with credentials that do not work', () => {
  let fake: DiscordFake;

  beforeAll(async () => {
    fake = await DiscordFake.start({ botToken: 'the-real-token' });
  });
  afterAll(async () => fake?.close());

  it('says the token was rejected (UNAUTHENTICATED) and closes the client', async () => {
    const bot = new ContinuoBot({ composer: new FakeBotComposer(), log, api: fake.api });
    const failure = await bot.start('made-up-token').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/^Discord rejected the bot token \(DISCORD_TOKEN\); copy it again from the developer portal/) });
    expect(bot.client.isReady()).toBe(false);
  });

  it('says Discord cannot be reached (UNAVAILABLE), naming the host and the cause, not a raw socket error', async () => {
    const api = `http://127.0.0.1:${await closedPort()}/api`;
    const bot = new ContinuoBot({ composer: new FakeBotComposer(), log, api });
    const failure = await bot.start('any-token').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'UNAVAILABLE' });
    expect((failure as Error).message).toMatch(/^could not reach Discord \(127\.0\.0\.1:\d+\) to log the bot in: nothing accepts connections there \(ECONNREFUSED\); .* then start the bot again$/);
  });

  it('reads a DNS failure as such', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND', hostname: 'discord.com' });
    expect(loginFailure(dns).message).toMatch(/^could not reach Discord \(discord\.com\) to log the bot in: its name does not resolve \(ENOTFOUND\)/);
    expect(loginFailure(new Error('Used disallowed intents'))).toMatchObject({ code: 'UNAVAILABLE', message: 'Discord did not let the bot log in: Used disallowed intents' });
  });
});

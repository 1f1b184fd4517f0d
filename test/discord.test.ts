import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chordBarsIn, ContinuoBot, looksLikeAbc, registerCommands } from '../src/bot/index.js';
import { parseWebhookUrl, postToWebhook } from '../src/integrations/discord/index.js';
import { logger } from '../src/logger.js';
import { FakeBotComposer } from './fakes/discord-composer.js';
import { DiscordFake, type RecordedRequest } from './fakes/discord-fake.js';

const log = logger.child({ module: 'discord-test' });
log.level = 'silent';

type Message = { content?: string; flags?: number; components?: { components: { custom_id: string; label: string }[] }[]; attachments?: { filename: string }[] };

describe('Discord bot against a loopback Discord (real discord.js)', () => {
  let fake: DiscordFake;
  let bot: ContinuoBot;
  const composer = new FakeBotComposer();

  beforeAll(async () => {
    fake = await DiscordFake.start();
    bot = new ContinuoBot({ composer, log, api: fake.api });
    await bot.start('fake-bot-token');
    await fake.whenReady();
  }, 20_000);

  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });

  const forToken = (token: string, method: string, suffix = '') => (r: RecordedRequest) => r.method === method && r.path.includes(`/${token}`) && r.path.endsWith(suffix);

  it('/compose defers, then edits @original with audio, MIDI, piano roll and two buttons', async () => {
    const { token } = fake.slashCommand('compose', [
      { name: 'notation', type: 3, value: 'C4 D4 E4 C4 | E4 F4 G4/2 |]' },
      { name: 'model', type: 3, value: 'tiny' },
      { name: 'tempo', type: 4, value: 90 },
      { name: 'seed', type: 4, value: 7 },
    ]);
    const callback = await fake.waitFor(forToken(token, 'POST', '/callback'));
    expect((callback.body as { type: number }).type).toBe(5);
    const edit = await fake.waitFor(forToken(token, 'PATCH', '/messages/@original'));
    expect(edit.files.map((f) => f.name).sort()).toEqual(['composition-c1.mid', 'composition-c1.mp3', 'composition-c1.png']);
    expect(edit.files.find((f) => f.name.endsWith('.mp3'))?.size).toBe(2048);
    const body = edit.body as Message;
    expect(body.content).toContain('seed 7');
    const buttons = body.components![0]!.components;
    expect(buttons.map((b) => b.label)).toEqual(['Another take', 'Publish to SoundCloud']);
    expect(buttons.every((b) => b.custom_id.length <= 100)).toBe(true);
    expect(composer.requests.at(-1)).toMatchObject({ notation: 'C4 D4 E4 C4 | E4 F4 G4/2 |]', modelId: 'tiny', tempo: 90, seed: 7 });
  });

  it('bad notation answers ephemerally, naming bar and token', async () => {
    const { token } = fake.slashCommand('compose', [{ name: 'notation', type: 3, value: 'C4 D4 E4 C4 | H4 F4 G4/2' }]);
    const followUp = await fake.waitFor(forToken(token, 'POST', token));
    const body = followUp.body as Message;
    expect(body.flags! & 64).toBe(64);
    expect(body.content).toContain('Bar 2');
    expect(body.content).toContain('`H4`');
    await fake.waitFor(forToken(token, 'DELETE', '/messages/@original'));
  });

  it('"Another take" composes the same melody again with another seed', async () => {
    const { token } = fake.slashCommand('compose', [{ name: 'sample', type: 3, value: 'ode-to-joy' }, { name: 'seed', type: 4, value: 11 }]);
    const edit = await fake.waitFor(forToken(token, 'PATCH', '/messages/@original'));
    const take = (edit.body as Message).components![0]!.components[0]!;
    const before = composer.requests.length;
    const click = fake.buttonClick(take.custom_id);
    const callback = await fake.waitFor(forToken(click.token, 'POST', '/callback'));
    expect((callback.body as { type: number }).type).toBe(5);
    const second = await fake.waitFor(forToken(click.token, 'PATCH', '/messages/@original'));
    expect(second.files).toHaveLength(3);
    const again = composer.requests[before]!;
    expect(again.sampleId).toBe('ode-to-joy');
    expect(again.seed).not.toBe(11);
  });

  it('a long melody still gets a short custom id, and "Publish" replies with the URL', async () => {
    const long = Array.from({ length: 30 }, () => 'C4 D4 E4 F4').join(' | ');
    const { token } = fake.slashCommand('compose', [{ name: 'notation', type: 3, value: long }]);
    const edit = await fake.waitFor(forToken(token, 'PATCH', '/messages/@original'));
    const [take, publish] = (edit.body as Message).components![0]!.components;
    expect(take!.custom_id.length).toBeLessThanOrEqual(100);
    const click = fake.buttonClick(take!.custom_id);
    await fake.waitFor(forToken(click.token, 'PATCH', '/messages/@original'));
    expect(composer.requests.at(-1)!.notation).toBe(long);
    const pub = fake.buttonClick(publish!.custom_id);
    const reply = await fake.waitFor(forToken(pub.token, 'PATCH', '/messages/@original'));
    expect((reply.body as Message).content).toContain('https://soundcloud.com/continuo/');
  });

  it('leaves the audio out when over the attachment size limit, and says so', async () => {
    const { token } = fake.slashCommand('compose', [{ name: 'sample', type: 3, value: 'twinkle-twinkle' }], 1500);
    const edit = await fake.waitFor(forToken(token, 'PATCH', '/messages/@original'));
    expect(edit.files.map((f) => f.name.split('.').pop()).sort()).toEqual(['mid', 'png']);
    expect((edit.body as Message).content).toContain('the audio left out');
  });

  it('/help explains the notation ephemerally', async () => {
    const { token } = fake.slashCommand('help');
    const cb = await fake.waitFor(forToken(token, 'POST', '/callback'));
    const body = cb.body as { type: number; data: Message };
    expect(body.type).toBe(4);
    expect(body.data.flags! & 64).toBe(64);
    expect(body.data.content).toContain('time=3/4');
    expect(body.data.content).toContain('ode-to-joy');
  });

  it('registerCommands PUTs /compose and /help (global and guild)', async () => {
    const models = composer.models();
    const global = await registerCommands({ token: 't', applicationId: fake.applicationId, models, api: fake.api });
    expect(global.names).toEqual(['compose', 'help']);
    const put = await fake.waitFor((r) => r.method === 'PUT' && r.path === `/applications/${fake.applicationId}/commands`);
    const compose = (put.body as { name: string; options: { name: string; type: number; choices?: { value: string }[]; min_value?: number; max_value?: number }[] }[])[0]!;
    expect(compose.options.map((o) => [o.name, o.type])).toEqual([['notation', 3], ['sample', 3], ['model', 3], ['tempo', 4], ['seed', 4], ['bars', 3], ['chords', 3]]);
    expect(compose.options[2]!.choices!.map((c) => c.value)).toEqual(['tiny', 'bach']);
    expect(compose.options[5]).toMatchObject({ name: 'bars', max_length: 20 });
    await registerCommands({ token: 't', applicationId: fake.applicationId, guildId: fake.guildId, models, api: fake.api });
    await fake.waitFor((r) => r.method === 'PUT' && r.path === `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
  });

  it('channel webhooks: only Discord URLs; files posted as multipart; large ones left out', async () => {
    expect(() => parseWebhookUrl('https://evil.example/api/webhooks/123456789/abcdefghijkl')).toThrow(/only Discord webhook URLs/);
    expect(() => parseWebhookUrl('http://discord.com/api/webhooks/123456789/abcdefghijkl')).toThrow();
    expect(() => parseWebhookUrl('not a url')).toThrow();
    expect(parseWebhookUrl('https://discord.com/api/webhooks/123456789/abcdefghijkl')).toEqual({ id: '123456789', token: 'abcdefghijkl' });
    // The rule itself, not a pattern: an id of 5–25 digits, a token of at least 10 characters.
    expect(() => parseWebhookUrl('https://discord.com/api/webhooks/123/abc')).toThrow(
      "in the webhook URL (…/webhooks/<id>/<token>) the id must be 5–25 digits ('123' is not) and the token must be 10–200 characters long (it has 3); copy it from the channel settings",
    );
    expect(() => parseWebhookUrl('https://discord.com/api/webhooks/123456789/abc')).toThrow(/^in the webhook URL \(…\/webhooks\/<id>\/<token>\) the token must be 10–200 characters long \(it has 3\); /);
    expect(() => parseWebhookUrl('https://discord.com/api/webhooks/123456789/abcdefghijk!')).toThrow(/the token may hold only letters, digits, _ and -/);
    expect(() => parseWebhookUrl('https://discord.com/channels/123456789')).toThrow(/a Discord webhook URL ends in \/api\/webhooks\/<id>\/<token>/);
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    const result = await postToWebhook('https://discordapp.com/api/webhooks/123456789/abcdefghijkl', {
      content: 'New composition',
      files: [{ name: 'a.mp3', data: big, contentType: 'audio/mpeg' }, { name: 'a.mid', data: new Uint8Array(100), contentType: 'audio/midi' }],
    }, { api: fake.api });
    expect(result).toMatchObject({ sent: ['a.mid'], dropped: ['a.mp3'] });
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === '/webhooks/123456789/abcdefghijkl');
    expect(post.query.get('wait')).toBe('true');
    expect(post.files.map((f) => f.name)).toEqual(['a.mid']);
  });

  it('/compose takes chords by bar, shows the chords used, and "Another take" keeps them', async () => {
    const chords = 'C | F G7 | Am . Dm G7 | C';
    const { token } = fake.slashCommand('compose', [
      { name: 'notation', type: 3, value: 'C4 D4 E4 C4 | E4 F4 G4/2 | C4/1 | C4/1 |]' },
      { name: 'chords', type: 3, value: chords },
    ]);
    const edit = await fake.waitFor(forToken(token, 'PATCH', '/messages/@original'));
    const body = edit.body as Message;
    expect(composer.requests.at(-1)).toMatchObject({ chords });
    expect(body.content).toContain(`key C\nChords (given): \`${chords}\``);
    const take = body.components![0]!.components.find((b) => b.label === 'Another take')!;
    const before = composer.requests.length;
    const click = fake.buttonClick(take.custom_id);
    await fake.waitFor(forToken(click.token, 'PATCH', '/messages/@original'));
    expect(composer.requests[before]).toMatchObject({ chords });
  });
});

describe('melody helpers', () => {
  it('takes the bars of the chords that a bar range takes of the melody, and recognises ABC', () => {
    expect(chordBarsIn('| C | F G7 | Am | C |', { first: 1, last: 2 })).toBe('C | F G7');
    expect(chordBarsIn('C | F G7 | Am | C', { first: 2, last: 3 })).toBe('F G7 | Am');
    expect(chordBarsIn('C | F', { first: 3 })).toBe('F');
    expect(chordBarsIn('C', { first: 1, last: 4 })).toBe('C');
    expect(looksLikeAbc('X:1\nK:C\nCDEF|')).toBe(true);
    expect(looksLikeAbc('C4 D4 | E4')).toBe(false);
  });
});

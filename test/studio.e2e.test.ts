import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import toneMidi from '@tonejs/midi';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { initBackend } from '../src/inference/backend.js';
import { startServer, type RunningServer } from '../src/graphql/server.js';
import { logger } from '../src/logger.js';
import { SoundCloud } from '../src/integrations/soundcloud/index.js';
import { createServices, type Services } from '../src/services/services.js';
import { ComposeDocument, CompositionDocument, ModelsDocument, ShareTargetsDocument, type CompositionFieldsFragment } from './generated/graphql.js';
import { DiscordFake } from './fakes/discord-fake.js';
import { SoundCloudFake } from './fakes/soundcloud-fake.js';
import { HttpClient } from './helpers/graphql-client.js';
import { freePort } from './helpers/net.js';
import { killServe, startServe } from './helpers/serve-process.js';
import { syntheticJsbJson } from './helpers/synthetic-data.js';
import { splitOf } from '../src/training/datasets/midi-folder.js';

const { Midi } = toneMidi;
const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEBHOOK = 'https://discord.com/api/webhooks/123456789012/abcdefghijklmnop';
/** STUDIO_SCREENSHOTS=<folder> keeps a picture of each step there. */
const SHOTS = process.env.STUDIO_SCREENSHOTS;

type CardTrack = { name: string; program: number };

/** The few browser globals the page functions below touch (this project's tsconfig has no DOM lib). */
interface PageGlobals {
  document: {
    getElementById(id: string): { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    body: { dataset: Record<string, string | undefined> };
  };
  localStorage: { getItem(name: string): string | null };
}

type Card = { id: string; tracks: CardTrack[] };

/** The roll's tracks as the page drew them (mirrored in the canvas's data attributes). */
async function rollTracks(page: Page, id = 'roll'): Promise<{ name: string; notes: number; muted: boolean; color: string }[]> {
  return JSON.parse((await page.locator(`#${id}`).getAttribute('data-tracks')) ?? '[]');
}

/** How many of the canvas's pixels are exactly each colour: what the user sees, not what the page says. */
async function pixelsOf(page: Page, id: string, colors: string[]): Promise<number[]> {
  return page.evaluate(
    ({ id, colors }) => {
      const canvas = (globalThis as unknown as PageGlobals).document.getElementById(id);
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const rgb = colors.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
      const counts = colors.map(() => 0);
      for (let p = 0; p < data.length; p += 4) {
        rgb.forEach(([r, g, b], k) => {
          if (Math.abs(data[p] - r) <= 2 && Math.abs(data[p + 1] - g) <= 2 && Math.abs(data[p + 2] - b) <= 2) counts[k]++;
        });
      }
      return counts;
    },
    { id, colors },
  );
}

/** An 8-bar song of a band (a tune, a bass line, chords on keys) in `root`'s major key, as a user's own MIDI files have them. */
function bandSong(root: number, meter: [number, number] = [4, 4]): Buffer {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: meter });
  midi.header.tempos.push({ ticks: 0, bpm: 100 });
  midi.header.update();
  const beats = meter[0] * 8;
  const scale = [0, 2, 4, 5, 7, 9, 11, 12];
  const parts = {
    Melody: { program: 73, notes: Array.from({ length: beats }, (_, b) => ({ pitch: root + 12 + scale[(b * 3) % 8], beat: b, beats: 1 })) },
    Bass: { program: 33, notes: Array.from({ length: beats / 2 }, (_, b) => ({ pitch: root - 24 + (b % 4 === 2 ? 7 : 0), beat: b * 2, beats: 2 })) },
    Keys: { program: 0, notes: Array.from({ length: Math.floor(beats / 4) }, (_, b) => [0, 4, 7].map((d) => ({ pitch: root + d + (b % 2 ? 5 : 0), beat: b * 4, beats: 4 }))).flat() },
  };
  Object.entries(parts).forEach(([name, part], channel) => {
    const track = midi.addTrack();
    track.name = name;
    track.channel = channel;
    track.instrument.number = part.program;
    for (const n of part.notes) track.addNote({ midi: n.pitch, ticks: n.beat * ppq, durationTicks: n.beats * ppq, velocity: 0.8 });
  });
  return Buffer.from(midi.toArray());
}

/** The first song name that a set's 80/10/10 split by name hash puts in `split`. */
function songIn(split: 'train' | 'valid' | 'test'): string {
  for (let i = 1; ; i++) if (splitOf(`song-${i}.mid`) === split) return `song-${i}.mid`;
}

// Without a Chromium the browser tests are skipped, except where they are required (.ci/run sets STUDIO_E2E=require).
const hasBrowser = existsSync(CHROMIUM) || process.env.STUDIO_E2E === 'require';

describe.runIf(hasBrowser)('the studio in a browser', () => {
  let root: string;
  let services: Services;
  let server: RunningServer;
  let key: string;
  let client: HttpClient;
  let context: BrowserContext;
  let page: Page;
  let cards: Card[];
  let soundcloud: SoundCloudFake;
  let discord: DiscordFake;
  const consoleErrors: string[] = [];
  /** Every request the page made, in order. */
  const requested: { url: string; type: string }[] = [];

  /** A composition made through the API, once its job is over. */
  const waitForComposition = async (id: string): Promise<CompositionFieldsFragment> => {
    for (let i = 0; i < 600; i++) {
      const c = (await client.data(CompositionDocument, { id })).composition!;
      if (['DONE', 'FAILED', 'CANCELLED'].includes(c.status)) return c;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`composition ${id} did not finish`);
  };

  /** A picture of the page, or of one part of it. */
  const shot = async (name: string, selector?: string): Promise<void> => {
    if (!SHOTS) return;
    if (selector) await page.locator(selector).screenshot({ path: join(SHOTS, `${name}.png`) });
    else await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
    }
    if (SHOTS) await mkdir(SHOTS, { recursive: true });
    await initBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'continuo-studio-'));
    // A server set up for SoundCloud (logged in to the loopback fake) and for a default Discord channel.
    soundcloud = await SoundCloudFake.start();
    discord = await DiscordFake.start();
    const shareEnv = {
      SOUNDCLOUD_CLIENT_ID: soundcloud.clientId, SOUNDCLOUD_CLIENT_SECRET: soundcloud.clientSecret,
      SOUNDCLOUD_TOKEN_KEY: randomBytes(32).toString('base64'), SOUNDCLOUD_API_URL: soundcloud.apiUrl, SOUNDCLOUD_AUTH_URL: soundcloud.authUrl,
      SOUNDCLOUD_REDIRECT_PORT: String(await freePort()), DISCORD_API_URL: discord.api, DISCORD_WEBHOOK_URL: WEBHOOK,
    };
    const config = loadConfig({
      DATA_DIR: join(root, 'data'), CONTINUO_MODELS_DIR: join(ROOT, 'models'), PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000', ...shareEnv,
    });
    await new SoundCloud(config.soundcloud!).login({ onAuthorizeUrl: (url) => void soundcloud.simulateBrowser(url) });
    services = await createServices(config, logger, { runJobs: true });
    server = await startServer(services, { host: '127.0.0.1', port: 0 });
    key = (await services.keys.create('studio-test', null)).secret;
    await mkdir(join(root, 'data', 'training-data'), { recursive: true });
    await writeFile(join(root, 'data', 'training-data', 'jsb.json'), syntheticJsbJson());
    client = new HttpClient(server.url, key);
    cards = (await client.data(ModelsDocument)).models;

    context = await chromium.launchPersistentContext(join(root, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--no-first-run', '--autoplay-policy=no-user-gesture-required',
      ],
    });
    // A MIDI keyboard for the page, in place of the browser's Web MIDI, before any page script runs.
    await context.addInitScript(() => {
      type Listener = (e: { data: Uint8Array }) => void;
      const listeners = new Set<Listener>();
      const input = {
        id: 'fake-keys', name: 'Fake Keys', manufacturer: 'Continuo tests', type: 'input', state: 'connected', connection: 'open',
        addEventListener: (type: string, fn: Listener) => void (type === 'midimessage' && listeners.add(fn)),
        removeEventListener: (_type: string, fn: Listener) => void listeners.delete(fn),
      };
      const access = { inputs: new Map([[input.id, input]]), outputs: new Map(), sysexEnabled: false, addEventListener: () => undefined, removeEventListener: () => undefined };
      const g = globalThis as unknown as { navigator: object; fakeMidi: { send(bytes: number[]): void } };
      Object.defineProperty(g.navigator, 'requestMIDIAccess', { configurable: true, value: async () => access });
      g.fakeMidi = { send: (bytes) => listeners.forEach((fn) => fn({ data: new Uint8Array(bytes) })) };
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      // A 4xx answer is logged by the browser as a failed resource; the page shows its message.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => requested.push({ url: r.url(), type: r.resourceType() }));
    await page.goto(`${server.url}/#key=${encodeURIComponent(key)}`);
    await page.locator('#models .card').first().waitFor();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await services?.close();
    await soundcloud?.close();
    await discord?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('serves the page without a key in it, keeps the key from the fragment and removes it from the address', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain('Continuo Studio');
    expect(html).not.toContain(key);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('continuo.apiKey'))).toBe(key);
    await expect.poll(() => page.locator('#key-status').textContent()).toContain(key.slice(-4));
    // The first load: at most 250 KB of JavaScript gzipped, and no synthesizer or sound bank before the first play.
    const scripts = requested.filter((r) => r.type === 'script').map((r) => r.url);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = await Promise.all(scripts.map(async (url) => gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer()), { level: 9 }).length));
    expect(gzipped.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(250_000);
    expect(requested.map((r) => r.url).join(' ')).not.toMatch(/synth|soundfont|training-/);
    const font = await fetch(`${server.url}/studio/soundfont`, { method: 'HEAD' });
    expect(font.status).toBe(200);
    expect(Number(font.headers.get('content-length'))).toBeGreaterThan(1_000_000);
  });

  it('records a melody typed on the computer keyboard, after a count-in, and draws it on the roll', async () => {
    await page.fill('#tempo', '200');
    await page.selectOption('#count-in', '1');
    await page.click('#record');
    await expect.poll(() => page.locator('#record-status').textContent(), { timeout: 5000 }).toContain('Recording');
    // C D E F G, G F E: eight notes, each about an eighth at 200 bpm.
    for (const k of ['a', 's', 'd', 'f', 'g', 'g', 'f', 'd']) {
      await page.keyboard.down(k);
      await page.waitForTimeout(130);
      await page.keyboard.up(k);
      await page.waitForTimeout(30);
    }
    await page.click('#record');
    await expect.poll(() => page.locator('#record-status').textContent()).toMatch(/^8 notes recorded: tempo=200 /);
    // A note tied over a bar line is one note: drop the tied continuations.
    const written = (await page.locator('#record-status').textContent())!.replace(/^.*?tempo=200 /, '').replace(/~\s*(\|\s*)?[A-G]#?-?\d+\/[\d.]+/g, '');
    // The pitches in the order played; rests and lengths depend on the 16th each key fell on.
    expect(written.split(/\s+/).filter((t) => /^[A-G]/.test(t)).map((t) => t.replace(/\/.*$/, ''))).toEqual(['C4', 'D4', 'E4', 'F4', 'G4', 'G4', 'F4', 'E4']);
    const [melody] = await rollTracks(page, 'melody-roll');
    expect(melody.notes).toBe(8);
    const [drawn] = await pixelsOf(page, 'melody-roll', [melody.color]);
    expect(drawn).toBeGreaterThan(100);
    await shot('1-recorded');
  });

  async function composeAndCheck(modelId: string): Promise<void> {
    await page.check(`#model-${modelId}`);
    await page.fill('#seed', '7');
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toContain(`Composed with ${modelId}`);
    const card = cards.find((c) => c.id === modelId)!;
    const drawn = await rollTracks(page);
    // Every track of the card is on the roll, with notes, in its own colour, and visible.
    expect(drawn.map((t) => t.name)).toEqual(card.tracks.map((t) => t.name));
    for (const t of drawn) expect(t.notes, t.name).toBeGreaterThan(0);
    const pixels = await pixelsOf(page, 'roll', drawn.map((t) => t.color));
    pixels.forEach((n, i) => expect(n, drawn[i].name).toBeGreaterThan(20));
    expect(await page.locator('#tracks li').count()).toBe(card.tracks.length);
  }

  it('generates with two models and shows every track of each card on the roll', async () => {
    const [first, second] = ['chorale', 'pop'].filter((id) => cards.some((c) => c.id === id)).length === 2 ? ['chorale', 'pop'] : cards.map((c) => c.id);
    await composeAndCheck(second);
    await shot('2-second-model');
    await composeAndCheck(first);
    await shot('3-composed');
  }, 240_000);

  it('composes a sample melody and plays it in the browser: the playhead advances and the audio context runs', async () => {
    await page.click('#tab-sample');
    await page.selectOption('#sample', 'ode-to-joy');
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toContain('Composed with chorale');
    await page.click('#play');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).document.body.dataset.audio), { timeout: 60_000 }).toBe('running');
    const playhead = async (): Promise<number> => Number((await page.locator('#roll').getAttribute('data-playhead')) || 0);
    await expect.poll(playhead, { timeout: 30_000 }).toBeGreaterThan(0.2);
    const before = await playhead();
    await page.waitForTimeout(700);
    expect(await playhead()).toBeGreaterThan(before + 0.3);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.body.dataset.synth)).toBe('soundfont');
    await shot('4-playing');
  }, 90_000);

  it('mutes a track: it fades on the roll and stays muted while playing', async () => {
    const [, second] = await rollTracks(page);
    const [full] = await pixelsOf(page, 'roll', [second.color]);
    expect(full).toBeGreaterThan(20);
    await page.click(`button[aria-label="Mute ${second.name}"]`);
    expect(await page.locator(`button[aria-label="Mute ${second.name}"]`).getAttribute('aria-pressed')).toBe('true');
    const after = await rollTracks(page);
    expect(after.find((t) => t.name === second.name)?.muted).toBe(true);
    expect(after.filter((t) => t.muted)).toHaveLength(1);
    const [faded] = await pixelsOf(page, 'roll', [second.color]);
    expect(faded).toBeLessThan(full / 10);
    await shot('5-muted');
    await page.click('#stop');
    await expect.poll(() => page.locator('#play').isEnabled()).toBe(true);
  });

  it('plays a track on another General MIDI instrument, live, and the MIDI download carries it', async () => {
    const card = cards.find((c) => c.id === 'chorale')!;
    const soprano = page.locator('#tracks li[data-track="Soprano"]');
    await page.click('#play');
    // The sound bank's synthesizer takes the file's program first…
    await expect.poll(() => soprano.getAttribute('data-synth-program'), { timeout: 30_000 }).toBe(String(card.tracks[0].program));
    await page.selectOption('select[aria-label="Instrument of Soprano"]', '40');
    // …and the violin at once, while it plays.
    await expect.poll(() => soprano.getAttribute('data-synth-program'), { timeout: 10_000 }).toBe('40');
    expect(await soprano.getAttribute('data-synth-preset')).toMatch(/violin/i);
    expect(await page.locator('#tracks li[data-track="Alto"]').getAttribute('data-synth-program')).toBe(String(card.tracks[1].program));
    await shot('5b-instrument', '#result');
    await page.click('#stop');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-midi')]);
    const path = join(root, 'instruments.mid');
    await download.saveAs(path);
    const midi = new Midi(await readFile(path));
    const programs = Object.fromEntries(midi.tracks.filter((t) => t.notes.length).map((t) => [t.name, t.instrument.number]));
    expect(programs).toEqual(Object.fromEntries(card.tracks.map((t, i) => [t.name, i === 0 ? 40 : t.program])));
    // Back to the composed instrument: the download is the service's file again.
    await page.selectOption('select[aria-label="Instrument of Soprano"]', String(card.tracks[0].program));
    expect(await page.locator('#download-midi').getAttribute('href')).toMatch(/\/files\//);
  });

  it('downloads the MIDI, which parses with the tracks of the card', async () => {
    const modelId = await page.locator('input[name="model"]:checked').getAttribute('value');
    const card = cards.find((c) => c.id === modelId)!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-midi')]);
    const path = join(root, 'download.mid');
    await download.saveAs(path);
    const midi = new Midi(await readFile(path));
    const named = midi.tracks.filter((t) => t.notes.length > 0).map((t) => t.name);
    expect(named).toEqual(card.tracks.map((t) => t.name));
  });

  it('shows the chords the composition followed, and composes again with the chords and key written in', async () => {
    await page.click('#tab-sample');
    await page.selectOption('#sample', 'ode-to-joy');
    await page.check('#model-chorale');
    await page.fill('#seed', '7');
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toContain('seed 7');
    // The same request through the API proposes the same chords, which the page shows and draws.
    const direct = await client.data(ComposeDocument, { input: { sampleId: 'ode-to-joy', modelId: 'chorale', seed: 7, variations: 1, temperature: 1 } });
    const proposed = await waitForComposition(direct.compose.id);
    expect(proposed.chords).toBeTruthy();
    expect(await page.inputValue('#harmony-chords')).toBe(proposed.chords);
    expect(await page.inputValue('#harmony-key')).toBe(proposed.key);
    expect(await page.locator('#harmony-source').textContent()).toContain('harmoniser');
    const drawnChords = (await page.locator('#roll').getAttribute('data-chords'))!.split(' ');
    expect(drawnChords[0]).toBe(proposed.chords!.split(/[\s|]+/)[0]);

    const chart = 'C | G7 | C | G7 | C | G7 | C G7 | C';
    await page.fill('#harmony-key', 'C');
    await page.fill('#harmony-chords', chart);
    await page.click('#recompose');
    await expect.poll(() => page.locator('#harmony-source').textContent(), { timeout: 120_000 }).toContain('the chords you gave');
    expect(await page.inputValue('#harmony-chords')).toBe(chart);
    expect(await page.locator('#roll').getAttribute('data-chords')).toBe('C G7 C G7 C G7 C G7 C');
    await shot('8-chords');
    // What was composed follows them: the bass plays the chord's tones in each bar.
    const href = await page.locator('#download-midi').getAttribute('href');
    const midi = new Midi(new Uint8Array(await (await fetch(new URL(href!, server.url))).arrayBuffer()));
    const bar = (4 * 60) / midi.header.tempos[0].bpm;
    const tones: Record<string, number[]> = { C: [0, 4, 7], G7: [7, 11, 2, 5] };
    const perBeat = chart.split('|').map((b) => b.trim().split(/\s+/));
    const bass = midi.tracks.find((t) => t.name === 'Bass')!.notes;
    expect(bass.length).toBeGreaterThan(4);
    const inChord = bass.filter((n) => {
      const cell = perBeat[Math.min(perBeat.length - 1, Math.floor(n.time / bar + 1e-6))];
      const symbol = cell[Math.min(cell.length - 1, Math.floor(((n.time / bar) % 1) * cell.length + 1e-6))];
      return tones[symbol].includes(n.midi % 12);
    });
    expect(inChord.length / bass.length).toBeGreaterThanOrEqual(0.9);
  }, 240_000);

  it('shows variations side by side as takes: plays each, keeps one, and another take comes beside it', async () => {
    await page.fill('#variations', '3');
    await page.fill('#seed', '11');
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toContain('seed 11');
    const takes = page.locator('#takes > li');
    await expect.poll(() => takes.count()).toBe(3);
    const ids = await takes.evaluateAll((items) => items.map((li) => li.getAttribute('data-take')!));
    const digests = await Promise.all(ids.map((_, i) => takes.nth(i).locator('canvas').getAttribute('data-digest')));
    // Three different arrangements, each drawn in its own small roll.
    expect(new Set(digests).size).toBe(3);
    for (let i = 0; i < 3; i++) {
      const canvasId = (await takes.nth(i).locator('canvas').getAttribute('id'))!;
      const [drawn] = await rollTracks(page, canvasId);
      const [pixels] = await pixelsOf(page, canvasId, [drawn.color]);
      expect(pixels, `take ${i + 1}`).toBeGreaterThan(10);
    }
    expect(await takes.nth(0).locator('input[type="radio"]').isChecked()).toBe(true);

    // Play the second: it is shown in the big roll and plays.
    await takes.nth(1).getByRole('button', { name: /^Play take/ }).click();
    expect(await takes.nth(1).locator('input[type="radio"]').isChecked()).toBe(true);
    expect(await page.locator('#roll').getAttribute('data-digest')).toBe(digests[1]);
    const playhead = async (): Promise<number> => Number((await page.locator('#roll').getAttribute('data-playhead')) || 0);
    await expect.poll(playhead, { timeout: 30_000 }).toBeGreaterThan(1.5);
    await shot('studio');
    await page.click('#stop');

    // Keep it and ask for another take: it stays, three new ones of a new seed come beside it.
    await takes.nth(1).getByRole('button', { name: /^Keep take/ }).click();
    expect(await takes.nth(1).getByRole('button', { name: /^Keep take/ }).getAttribute('aria-pressed')).toBe('true');
    await page.click('#another-take');
    await expect.poll(() => takes.count(), { timeout: 120_000 }).toBe(4);
    const after = await takes.evaluateAll((items) => items.map((li) => li.getAttribute('data-take')!));
    expect(after[0]).toBe(ids[1]);
    expect(after.slice(1).some((id) => ids.includes(id))).toBe(false);
    expect(await takes.nth(1).locator('.meta').textContent()).not.toMatch(/seed 11 /);
    expect(await takes.nth(1).locator('input[type="radio"]').isChecked()).toBe(true);
    await shot('9-takes');
    await page.fill('#variations', '1');
  }, 240_000);

  it('composes bars 17-24 of a long uploaded MIDI file, shown and played from bar 17, with fewer or more notes by density', async () => {
    // 40 bars at 120 bpm: a bar is 2 s, so bar 17 starts at 32 s.
    const long = new Midi();
    long.header.setTempo(120);
    const tune = long.addTrack();
    tune.name = 'Tune';
    const scale = [60, 62, 64, 65, 67, 69, 71, 72];
    for (let beat = 0; beat < 160; beat++) tune.addNote({ midi: scale[(beat + Math.floor(beat / 4)) % 8], time: beat * 0.5, duration: 0.45, velocity: 0.8 });
    await page.click('#tab-upload');
    await page.setInputFiles('#melody-file', { name: 'long.mid', mimeType: 'audio/midi', buffer: Buffer.from(long.toArray()) });
    await expect.poll(() => page.locator('#file-status').textContent()).toContain('Tune');
    await page.check('#model-chorale');
    await page.fill('#seed', '5');
    await page.fill('#bars', '17-24');
    const composeWithDensity = async (density: string): Promise<number> => {
      await page.locator('#density').fill(density);
      await page.click('#generate');
      await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toMatch(/Composed with chorale: 8 bars at 120 bpm.*seed 5$/);
      expect(Number(await page.locator('#roll').getAttribute('data-start'))).toBeCloseTo(32, 1);
      const drawn = await rollTracks(page);
      // Every audible track is drawn in the view (a track muted earlier is faded).
      const audible = drawn.filter((t) => !t.muted);
      const pixels = await pixelsOf(page, 'roll', audible.map((t) => t.color));
      pixels.forEach((n, i) => expect(n, audible[i].name).toBeGreaterThan(20));
      // The accompaniment's notes: every track but the melody's.
      return drawn.slice(1).reduce((sum, t) => sum + t.notes, 0);
    };
    const fewer = await composeWithDensity('-0.8');
    expect(await page.locator('#density-out').textContent()).toBe('−0.8: fewer notes');
    await shot('10-bars', '#result');
    const more = await composeWithDensity('0.8');
    expect(more).toBeGreaterThan(fewer);
    // Playing starts at bar 17, not at the file's beginning.
    await page.click('#play');
    const playhead = async (): Promise<number> => Number((await page.locator('#roll').getAttribute('data-playhead')) || 0);
    await expect.poll(playhead, { timeout: 30_000 }).toBeGreaterThan(32);
    await page.click('#stop');
    await page.fill('#bars', '');
    await page.locator('#density').fill('0');
  }, 240_000);

  it('shows the API\'s own message for a bad ABC tune', async () => {
    const abc = 'X:1\nT:Broken\nM:4/4\nK:C\nC D E F | G A B c | H2 z2 |]\n';
    const direct = await client.request(ComposeDocument, { input: { abc, modelId: 'chorale' } });
    const message = direct.errors?.[0]?.message;
    expect(direct.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(message).toBeTruthy();
    await page.click('#tab-type');
    await page.check('input[name="text-kind"][value="abc"]');
    await page.fill('#melody-text', abc);
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-error').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('#compose-error').textContent()).toBe(`${message} (BAD_USER_INPUT)`);
    await shot('6-bad-abc');
  });

  it('records from a MIDI keyboard, then edits the take on the roll: add, move, resize, delete, undo, and from the keyboard', async () => {
    type Step = { pitch: number; start: number; length: number };
    const send = (bytes: number[]) => page.evaluate((b) => (globalThis as unknown as { fakeMidi: { send(b: number[]): void } }).fakeMidi.send(b), bytes);
    const steps = async (): Promise<Step[]> => JSON.parse((await page.locator('#melody-roll').getAttribute('data-steps')) ?? '[]');
    await page.click('#tab-play');
    await page.click('#midi-connect');
    await expect.poll(() => page.locator('#midi-status').textContent()).toBe('MIDI: Fake Keys');
    await page.fill('#tempo', '120');
    await page.selectOption('#count-in', '0');
    await page.click('#record');
    await page.waitForTimeout(300);
    for (const pitch of [60, 64, 67, 72]) {
      await send([0x90, pitch, 100]);
      await page.waitForTimeout(220);
      await send([0x80, pitch, 0]);
      await page.waitForTimeout(60);
    }
    await page.click('#record');
    await expect.poll(() => page.locator('#record-status').textContent()).toMatch(/^4 notes recorded: tempo=120 /);
    const recorded = await steps();
    expect(recorded.map((n) => n.pitch)).toEqual([60, 64, 67, 72]);

    // Where a step and pitch are on the canvas, from the roll's last drawing.
    const stepSeconds = 60 / 120 / 4;
    const at = async (step: number, pitch: number): Promise<{ x: number; y: number }> => {
      const g = JSON.parse((await page.locator('#melody-roll').getAttribute('data-geometry'))!);
      const box = (await page.locator('#melody-roll').boundingBox())!;
      return {
        x: box.x + g.left + ((step * stepSeconds - g.start) / g.length) * (g.width - g.left - 4),
        y: box.y + g.top + (g.high - pitch + 0.5) * g.rowHeight,
      };
    };
    const drag = async (from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> => {
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 6 });
      await page.mouse.up();
    };
    const added = { pitch: 65, start: 40, length: 4 };
    const p = await at(40.5, 65);
    await page.mouse.click(p.x, p.y);
    expect(await steps()).toContainEqual(added);
    expect(await page.locator('#edit-status').textContent()).toBe('Added F4 at bar 3, beat 3, 4 sixteenths');

    await drag(await at(41.5, 65), await at(45.5, 67));
    expect(await steps()).toContainEqual({ pitch: 67, start: 44, length: 4 });
    expect(await page.locator('#edit-status').textContent()).toBe('Moved to G4, bar 3, beat 4');

    const end = await at(48, 67);
    await drag({ x: end.x - 2, y: end.y }, await at(51.5, 67));
    expect(await steps()).toContainEqual({ pitch: 67, start: 44, length: 8 });

    const inside = await at(46.5, 67);
    await page.mouse.dblclick(inside.x, inside.y);
    expect(await steps()).toEqual(recorded);
    await shot('11-edited-before-undo', '#melody');

    await page.keyboard.press('Control+z');
    expect(await steps()).toContainEqual({ pitch: 67, start: 44, length: 8 });
    await page.keyboard.press('Control+z');
    expect(await steps()).toContainEqual({ pitch: 67, start: 44, length: 4 });
    await page.click('#redo');
    expect(await steps()).toContainEqual({ pitch: 67, start: 44, length: 8 });

    // From the keyboard alone: choose the first note, raise it a semitone, lengthen it; the piano stays silent.
    await page.focus('#melody-roll');
    await page.keyboard.press(']');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Shift+ArrowRight');
    const first = (await steps())[0];
    expect(first).toEqual({ pitch: 61, start: recorded[0].start, length: recorded[0].length + 1 });
    await page.keyboard.press('a');
    expect(await page.locator('#piano .key.down').count()).toBe(0);
    await shot('11-edited', '#melody');

    // What is composed is the edited take.
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toContain('Composed with');
    const [melody] = await rollTracks(page);
    expect(melody.notes).toBe((await steps()).length);
  }, 180_000);

  it('records in 3/4: the count-in, the bar lines and the notation follow the meter, and the composition is in 3/4', async () => {
    await page.click('#tab-play');
    await page.selectOption('#meter', '3/4');
    await page.fill('#tempo', '120');
    await page.selectOption('#count-in', '1');
    // Bars of three quarters at 120 bpm: 1.5 s, on the take's roll.
    await expect.poll(() => page.locator('#melody-roll').getAttribute('data-bar-seconds')).toBe('1.500');
    expect(await page.locator('#melody-roll').getAttribute('data-meter')).toBe('3/4');
    await page.click('#record');
    // The count-in is one bar: three clicks, not four.
    await page.waitForFunction(() => /^Count-in/.test((globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById('record-status').textContent));
    expect(await page.locator('#record-status').textContent()).toBe('Count-in: 3…');
    await expect.poll(() => page.locator('#record-status').textContent(), { timeout: 5000 }).toContain('Recording, bar 1');
    expect(await page.locator('#meter').isDisabled()).toBe(true);
    await page.focus('#piano');
    for (const k of ['g', 'h', 'j', 'k', 'j', 'h', 'g']) {
      await page.keyboard.down(k);
      await page.waitForTimeout(200);
      await page.keyboard.up(k);
      await page.waitForTimeout(40);
    }
    await page.click('#record');
    await expect.poll(() => page.locator('#record-status').textContent()).toMatch(/^7 notes recorded: tempo=120 time=3\/4 /);
    // Every written bar holds three beats: 12 sixteenths.
    const bars = (await page.locator('#record-status').textContent())!.replace(/^.*?time=3\/4 /, '').split('|').map((b) => b.trim());
    const sixteenths: Record<string, number> = { '/1': 16, '/2.': 12, '/2': 8, '/4.': 6, '/4': 4, '/8.': 3, '/8': 2, '/16': 1 };
    const length = (bar: string) => bar.split(/\s+/).filter((t) => /^[A-GR]/.test(t)).reduce((sum, t) => sum + sixteenths[/\/[\d.]+$/.exec(t)![0]], 0);
    for (const bar of bars.slice(0, -1)) expect(length(bar), bar).toBe(12);
    await shot('15-three-four', '#melody');

    // Folk composes in 4/4: its sibling for triple time takes the melody.
    await page.check('#model-folk');
    await page.fill('#seed', '3');
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toMatch(/^Composed with folk-triple: \d+ bars of 3\/4 at 120 bpm/);
    expect(await page.locator('#compose-status').textContent()).toContain('does not compose in 3/4');
    const href = (await page.locator('#download-midi').getAttribute('href'))!;
    const midi = new Midi(new Uint8Array(await (await fetch(new URL(href, server.url))).arrayBuffer()));
    expect(midi.header.timeSignatures[0].timeSignature).toEqual([3, 4]);
    expect(await page.locator('#roll').getAttribute('data-bar-seconds')).toBe('1.500');
    // A model with no sibling for 3/4 says which models take it.
    await page.check('#model-chorale');
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-error').textContent(), { timeout: 30_000 }).toMatch(/this melody is in 3\/4.*folk-triple/);
    await page.selectOption('#meter', '4/4');
    await expect.poll(() => page.locator('#melody-roll').getAttribute('data-bar-seconds')).toBe('2.000');
    expect(await page.locator('#record-status').textContent()).not.toContain('time=');
  }, 180_000);

  it('publishes a take to SoundCloud and posts it to Discord, offered because the server is set up for both, with status and link', async () => {
    expect((await client.data(ShareTargetsDocument)).shareTargets.sort()).toEqual(['DISCORD', 'SOUNDCLOUD']);
    await expect.poll(() => page.locator('#share').isVisible()).toBe(true);
    await page.fill('#share-title', 'Studio take');
    await page.selectOption('#share-visibility', 'PUBLIC');
    await page.click('#share-soundcloud');
    const published = page.locator('#shares li[data-target="SOUNDCLOUD"]');
    await expect.poll(() => published.getAttribute('data-status'), { timeout: 90_000 }).toBe('DONE');
    expect(await published.locator('a').getAttribute('href')).toMatch(/^https?:\/\//);
    expect(await published.textContent()).toContain('published (public)');
    expect(soundcloud.tracks).toHaveLength(1);
    expect(soundcloud.tracks[0]).toMatchObject({ title: 'Studio take', sharing: 'public' });
    expect(soundcloud.validationFailures).toEqual([]);

    await page.click('#share-discord');
    const posted = page.locator('#shares li[data-target="DISCORD"]');
    await expect.poll(() => posted.getAttribute('data-status'), { timeout: 90_000 }).toBe('DONE');
    const post = await discord.waitFor((r) => r.method === 'POST' && r.path === '/webhooks/123456789012/abcdefghijklmnop');
    expect(post.files.map((f) => f.name)).toEqual(['Studio take.mp3', 'Studio take.mid', 'Studio take.png']);
    await shot('12-shared', '#result');

    // A server set up for neither offers no publishing.
    const other = await context.newPage();
    try {
      await other.route('**/graphql', (route) =>
        route.request().postData()?.includes('query StudioShareTargets') ? route.fulfill({ json: { data: { shareTargets: [] } } }) : route.continue());
      await other.goto(`${server.url}/`);
      await other.click('#tab-sample');
      await other.locator('#sample option').first().waitFor({ state: 'attached' });
      await other.click('#generate');
      await expect.poll(() => other.locator('#compose-status').textContent(), { timeout: 120_000 }).toContain('Composed with');
      expect(await other.locator('#share').isHidden()).toBe(true);
      expect(await other.locator('#share-soundcloud').isHidden()).toBe(true);
    } finally {
      await other.close();
    }
  }, 240_000);

  it('publishes the take chosen: the third variation reaches SoundCloud and Discord', async () => {
    await page.click('#tab-sample');
    await page.selectOption('#sample', 'ode-to-joy');
    await page.check('#model-chorale');
    await page.fill('#variations', '3');
    await page.fill('#seed', '13');
    await page.click('#generate');
    await expect.poll(() => page.locator('#compose-status').textContent(), { timeout: 120_000 }).toContain('seed 13');
    const third = page.locator('#takes > li').filter({ hasText: 'seed 13 · variation 3 of 3' });
    await third.locator('input[type="radio"]').check();
    const compositionId = (await third.getAttribute('data-take'))!.split(':')[0];
    await expect.poll(() => page.locator('#share').getAttribute('data-variation')).toBe('2');
    expect(await page.locator('#share-note').textContent()).toMatch(/^Publishes take \d+ \(variation 3 of 3\)/);
    await page.fill('#share-title', 'Third take');
    const tracksBefore = soundcloud.tracks.length;
    await page.click('#share-soundcloud');
    const published = page.locator('#shares li[data-target="SOUNDCLOUD"]');
    await expect.poll(() => published.getAttribute('data-status'), { timeout: 90_000 }).toBe('DONE');
    expect(await published.getAttribute('data-variation')).toBe('2');
    expect(await published.textContent()).toContain('“Third take” (variation 3)');
    await page.click('#share-discord');
    const posted = page.locator('#shares li[data-target="DISCORD"]');
    await expect.poll(() => posted.getAttribute('data-status'), { timeout: 90_000 }).toBe('DONE');
    await shot('16-shared-take', '#result');

    // What the services got is the third variation's: its FLAC on SoundCloud, its mp3, MIDI and picture on Discord.
    const files = (await client.data(CompositionDocument, { id: compositionId })).composition!.files;
    const file = (format: string, variation: number) => files.find((f) => f.format === format && f.variation === variation);
    expect(soundcloud.tracks).toHaveLength(tracksBefore + 1);
    const flac = new Uint8Array(await (await fetch(file('flac', 2)!.url)).arrayBuffer());
    expect(Buffer.from(soundcloud.tracks.at(-1)!.asset.bytes).equals(Buffer.from(flac))).toBe(true);
    expect(file('flac', 0)).toBeUndefined();
    const post = await discord.waitFor((r) => r.method === 'POST' && JSON.stringify(r.body).includes('Third take'));
    const content = JSON.stringify(post.body);
    const idOf = (url: string) => /\/files\/([^/]+)\//.exec(new URL(url).pathname)![1];
    for (const format of ['mp3', 'midi', 'png']) expect(content, format).toContain(`/files/${idOf(file(format, 2)!.url)}/`);
    expect(content).toContain('variation 3 of 3');
    expect(post.files.find((f) => f.name === 'Third take.mid')?.size).toBe(file('midi', 2)!.bytes);
    await page.fill('#variations', '1');
  }, 240_000);

  /** Opens the training panel (its script loads then) unless it is open. */
  const openTraining = async (): Promise<void> => {
    if ((await page.locator('#training[open]').count()) === 0) await page.click('#training summary');
    await expect.poll(() => page.locator('#train-panel').isDisabled(), { timeout: 30_000 }).toBe(false);
  };

  it('trains a model on a server data set and draws its losses as they come', async () => {
    const trainingScript = () => requested.some((r) => /\/training-[\w-]+\.js$/.test(r.url));
    // The panel's script comes only with the panel.
    expect(trainingScript()).toBe(false);
    await openTraining();
    await expect.poll(trainingScript, { timeout: 30_000 }).toBe(true);
    await page.check('#train-source-server');
    await page.fill('#train-dataset', 'jsb:jsb.json');
    await page.fill('#train-model', 'studio-tiny');
    await page.fill('#train-iterations', '12');
    await page.fill('#train-batch', '4');
    await page.fill('#train-filters', '2');
    await page.click('#train-form button[type="submit"]');
    const points = async (): Promise<number> => Number((await page.locator('#train-chart').getAttribute('data-points')) || 0);
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(0);
    const first = await points();
    // The chart moves: more points arrive while the job runs.
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(first);
    await expect.poll(() => page.locator('#train-status').textContent(), { timeout: 180_000 }).toMatch(/done/);
    expect(await page.locator('#train-error').isVisible()).toBe(false);
    await shot('7-training');
  }, 300_000);

  it('trains on MIDI files uploaded from the browser: the set\'s preview with the tracks chosen, live losses and similarity, samples to hear, cancel', async () => {
    await openTraining();
    await page.check('#train-source-files');
    // Two songs of a band, one in the training split and one in validation (the similarity index is measured on it), and a waltz the 4/4 windows leave out.
    const [trainSong, validSong] = [songIn('train'), songIn('valid')];
    await page.fill('#train-set', 'studio-band');
    await page.setInputFiles('#train-files', [
      { name: trainSong, mimeType: 'audio/midi', buffer: bandSong(60) },
      { name: validSong, mimeType: 'audio/midi', buffer: bandSong(62) },
      { name: 'waltz.mid', mimeType: 'audio/midi', buffer: bandSong(60, [3, 4]) },
    ]);
    await page.click('#train-upload');
    await expect.poll(() => page.locator('#train-upload-status').textContent(), { timeout: 30_000 }).toContain("Uploaded 3 files into 'studio-band': it holds 3 files");
    // The preview, with the roles guessed from the track names: the melody, and the bass and keys to accompany it.
    const preview = page.locator('#train-preview');
    await expect.poll(() => preview.getAttribute('data-used'), { timeout: 30_000 }).toBe('2');
    expect(await page.inputValue('#train-melody')).toBe('Melody');
    const row = (name: string) => preview.locator(`tr[data-file="${name}"]`);
    expect(await row(trainSong).locator('td').nth(2).textContent()).toBe('Melody: melody, Bass: accompaniment, Keys: accompaniment');
    expect(await row(validSong).locator('td').nth(3).textContent()).toBe('validation');
    expect(await row('waltz.mid').getAttribute('data-used')).toBe('false');
    expect(await row('waltz.mid').locator('td.why').textContent()).toBe('in 3/4 (the windows take 4/4, 2/4 and 2/2)');
    expect(await preview.locator('.warnings li').allTextContents()).toEqual([expect.stringMatching(/^no test window/)]);
    // The user leaves the keys out: the preview follows; then takes them back.
    await page.uncheck('#train-accompaniment label[data-track="Keys"] input');
    await expect.poll(() => row(trainSong).locator('td').nth(2).textContent()).toBe('Melody: melody, Bass: accompaniment, Keys: left out');
    await page.check('#train-accompaniment label[data-track="Keys"] input');
    await expect.poll(() => row(trainSong).locator('td').nth(2).textContent()).toBe('Melody: melody, Bass: accompaniment, Keys: accompaniment');
    const windows = JSON.parse((await preview.getAttribute('data-windows'))!);
    expect(windows.train).toBeGreaterThan(0);
    expect(windows.valid).toBeGreaterThan(0);
    await shot('13-training-set', '#training');

    // A tiny run, measured every iteration and sampled every second one.
    await page.fill('#train-model', 'studio-band');
    await page.fill('#train-iterations', '4');
    await page.fill('#train-batch', '4');
    await page.fill('#train-filters', '2');
    await page.fill('#train-eval', '1');
    await page.fill('#train-sample-every', '2');
    await page.click('#train-form button[type="submit"]');
    const chart = page.locator('#train-chart');
    const points = async (): Promise<number> => Number((await chart.getAttribute('data-points')) || 0);
    await expect.poll(points, { timeout: 180_000 }).toBeGreaterThan(0);
    const first = await points();
    await expect.poll(points, { timeout: 180_000 }).toBeGreaterThan(first);
    await expect.poll(async () => Number((await chart.getAttribute('data-similarity-points')) || 0), { timeout: 180_000 }).toBeGreaterThan(0);
    const similarity = Number(await chart.getAttribute('data-similarity'));
    expect(similarity).toBeGreaterThan(0);
    expect(similarity).toBeLessThanOrEqual(1);
    expect(await page.locator('#train-similarity').textContent()).toMatch(/^Similarity index \d\.\d{3} at iteration \d/);
    await expect.poll(() => page.locator('#train-status').textContent(), { timeout: 240_000 }).toMatch(/: done — model studio-band is ready/);
    expect(await page.locator('#train-error').isVisible()).toBe(false);
    expect(await points()).toBe(4);

    // The samples, newest first: each evaluation melody as the model accompanied it at iterations 2 and 4.
    const samples = page.locator('#train-samples > li');
    await expect.poll(() => samples.count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const iterations = await samples.evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-iteration'))));
    expect(iterations[0]).toBe(4);
    expect(iterations).toContain(2);
    const audio = samples.first().locator('audio');
    const src = (await audio.getAttribute('src'))!;
    const mp3 = await fetch(new URL(src, server.url));
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    // The browser reads it: the element knows how long the sample lasts.
    const seconds = await audio.evaluate((el) => {
      const a = el as unknown as { readyState: number; duration: number; load(): void; addEventListener(type: string, fn: () => void): void };
      return new Promise<number>((resolve) => {
        if (a.readyState >= 1) resolve(a.duration);
        a.addEventListener('loadedmetadata', () => resolve(a.duration));
        a.addEventListener('error', () => resolve(-1));
        a.load();
      });
    });
    expect(seconds).toBeGreaterThan(2);
    const midi = new Midi(new Uint8Array(await (await fetch(new URL((await samples.first().locator('a').getAttribute('href'))!, server.url))).arrayBuffer()));
    // The sample is the mapping's band: the melody and the two parts chosen (a run this short may leave one silent).
    expect(midi.tracks.map((t) => t.name)).toEqual(expect.arrayContaining(['Melody', 'Bass', 'Keys']));
    expect(midi.tracks.filter((t) => t.name !== 'Melody').some((t) => t.notes.length > 0)).toBe(true);
    // The model has its card at once.
    await expect.poll(() => page.locator('#models .card[data-model="studio-band"]').count(), { timeout: 30_000 }).toBe(1);
    await shot('14-trained', '#training');

    // A long run, cancelled once it has begun.
    await page.fill('#train-model', 'studio-band-long');
    await page.fill('#train-iterations', '500');
    await page.click('#train-form button[type="submit"]');
    await expect.poll(() => page.locator('#train-status').textContent(), { timeout: 180_000 }).toMatch(/iteration 1 of 500/);
    await page.click('#train-cancel');
    await expect.poll(() => page.locator('#train-status').textContent(), { timeout: 120_000 }).toMatch(/: cancelled$/);
    expect(await points()).toBeLessThan(500);
    expect(await page.locator('#train-cancel').isDisabled()).toBe(true);
  }, 600_000);

  /** Opens an address in a page of its own, with nothing kept from earlier pages; says what key the page keeps. */
  async function openFresh(url: string): Promise<{ keyStatus: string; stored: string | null; hash: string; cards: number }> {
    const fresh = await context.newPage();
    try {
      await fresh.goto(new URL('/healthz', url).href);
      await fresh.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
      await fresh.goto(url);
      await fresh.locator('#models .card').first().waitFor({ timeout: 60_000 });
      return {
        keyStatus: (await fresh.locator('#key-status').textContent()) ?? '',
        stored: await fresh.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('continuo.apiKey')),
        hash: new URL(fresh.url()).hash,
        cards: await fresh.locator('#models .card').count(),
      };
    } finally {
      await fresh.close();
    }
  }

  it('`continuo studio` prints the running service\'s studio address with the local key, which the page keeps', async () => {
    const local = (await services.keys.create('local', null)).secret;
    await writeFile(join(root, 'data', 'api-key'), `${local}\n`, { mode: 0o600 });
    const cli = await startServe({ PORT: new URL(server.url).port, DATA_DIR: join(root, 'data'), LOG_LEVEL: 'warn' }, { args: ['studio'], ready: /Continuo Studio: / });
    try {
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      const url = /Continuo Studio: (\S+)/.exec(cli.log())![1];
      expect(url).toBe(`${server.url}/#key=${encodeURIComponent(local)}`);
      const opened = await openFresh(url);
      expect(opened.stored).toBe(local);
      expect(opened.hash).toBe('');
      expect(opened.keyStatus).toContain(local.slice(-4));
    } finally {
      killServe(cli);
    }
  }, 120_000);

  it('`continuo studio` starts the service when none answers, and prints a studio address whose key works', async () => {
    const data = join(root, 'studio-cli-data');
    const cli = await startServe({ DATA_DIR: data, CONTINUO_MODELS_DIR: join(ROOT, 'models') }, { args: ['studio'], ready: /Continuo is serving: the studio at \S+/ });
    try {
      expect(cli.log()).toContain('no service answers at');
      const url = /the studio at (\S+)/.exec(cli.log())![1];
      const key = (await readFile(join(data, 'api-key'), 'utf8')).trim();
      expect(url).toBe(`${cli.url}/#key=${encodeURIComponent(key)}`);
      const opened = await openFresh(url);
      expect(opened.stored).toBe(key);
      expect(opened.cards).toBeGreaterThan(0);
      // The key works: the service composes for it.
      const composed = await new HttpClient(cli.url, key).data(ComposeDocument, { input: { sampleId: 'ode-to-joy', modelId: 'chorale' } });
      expect(composed.compose.status).toMatch(/QUEUED|RUNNING|DONE/);
    } finally {
      killServe(cli);
      await cli.exited;
    }
  }, 180_000);

  it('logged no errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});

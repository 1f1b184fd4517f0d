import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { initBackend } from '../src/inference/backend.js';
import type { ModelCard } from '../src/inference/model-card.js';
import { saveLayersModel } from '../src/inference/model-files.js';
import { buildGenerator } from '../src/inference/networks.js';
import { compositionMessage } from '../src/bot/compose-reply.js';
import { ServicesBotComposer } from '../src/bot/index.js';
import { TakeIds } from '../src/bot/take-ids.js';
import { startServer, type RunningServer } from '../src/graphql/server.js';
import { logger } from '../src/logger.js';
import { formatChordBars, parseChordBars } from '../src/music/chord-bars.js';
import { parseChordSymbol } from '../src/music/chord.js';
import { trainHarmoniser } from '../src/music/harmoniser.js';
import { createServices, type Services } from '../src/services/services.js';
import { ComposeDocument, CompositionDocument, type CompositionFieldsFragment } from './generated/graphql.js';
import { HttpClient } from './helpers/graphql-client.js';
import { untrainedModel } from './helpers/tiny-model.js';

const log = logger.child({ module: 'chords-test' });
log.level = 'silent';

const TRIPLE: Partial<ModelCard> = {
  stepsPerBar: 12, barsPerWindow: 4, timeSignature: { numerator: 3, denominator: 4 },
  network: { steps: 48, pitches: 64, tracks: 4, filters: 2, noiseChannels: 16 },
};

/** An untrained model folder (random weights: enough to follow the compose machinery end to end). */
async function writeModel(root: string, overrides: Partial<ModelCard>, withHarmoniser = false): Promise<void> {
  const { card, generator } = await untrainedModel(overrides);
  generator.dispose();
  const dir = join(root, 'models', card.id);
  await mkdir(dir, { recursive: true });
  const model = buildGenerator(card.network);
  await saveLayersModel(model, dir, 'model');
  model.dispose();
  if (withHarmoniser) {
    const chord = (s: string) => parseChordSymbol(s)!;
    const example = {
      melody: [0, 4, 7, 5, 9, 12, 7, 11, 14, 12, 7, 4].map((d, i) => ({ pitch: 60 + d, start: i * 4, duration: 4, velocity: 90 })),
      chords: [{ start: 0, duration: 16, chord: chord('C') }, { start: 16, duration: 8, chord: chord('F') }, { start: 24, duration: 8, chord: chord('G7') }, { start: 32, duration: 16, chord: chord('C') }],
      steps: 48, stepsPerBar: 16,
    };
    const harmoniser = trainHarmoniser([example, example, example], { segmentSteps: 8, trainedOn: 'a test tune', minCount: 1 });
    await writeFile(join(dir, 'harmoniser.json'), JSON.stringify(harmoniser));
  }
  await writeFile(join(dir, 'card.json'), JSON.stringify(card, null, 2));
}

async function waitFor<T>(fn: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('user chords and the key, end to end (GraphQL, Discord composer)', () => {
  let root: string;
  let services: Services;
  let server: RunningServer;
  let client: HttpClient;

  beforeAll(async () => {
    await initBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'continuo-chords-'));
    const chordConditioned: Partial<ModelCard> = {
      network: { steps: 32, pitches: 64, tracks: 4, filters: 2, noiseChannels: 16, conditionChannels: 2 },
      conditioning: { chords: true, key: 'normalised', harmoniser: 'harmoniser.json' },
    };
    await writeModel(root, { id: 'chordy', name: 'Follows chords', genre: 'chordy', ...chordConditioned }, true);
    await writeModel(root, { id: 'plain', name: 'Plain', genre: 'plain' });
    await writeModel(root, { id: 'plain-triple', name: 'Plain in threes', genre: 'plain', ...TRIPLE });
    await writeModel(root, { id: 'loner', name: 'Only 4/4', genre: 'loner' });
    services = await createServices(
      loadConfig({ DATA_DIR: join(root, 'data'), CONTINUO_MODELS_DIR: join(root, 'models'), PORT: '0', LOG_LEVEL: 'silent', QUOTA_COMPOSITIONS: '500', RATE_LIMIT_PER_MINUTE: '10000' }),
      log, { runJobs: true, env: {} },
    );
    server = await startServer(services, { host: '127.0.0.1', port: 0 });
    client = new HttpClient(server.url, (await services.keys.create('chords')).secret);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const composeAndWait = async (input: Record<string, unknown>): Promise<CompositionFieldsFragment> => {
    const { compose } = await client.data(ComposeDocument, { input } as never);
    const done = await waitFor(() => client.data(CompositionDocument, { id: compose.id }), (r) => r.composition?.status !== 'QUEUED' && r.composition?.status !== 'RUNNING');
    expect(done.composition!.error).toBeNull();
    return done.composition!;
  };

  const errorOf = async (input: Record<string, unknown>) => (await client.request(ComposeDocument, { input } as never)).errors?.[0];

  it('follows the chords written in the melody, and the request\'s chords and key over them, and returns them', async () => {
    const notation = 'key=C "C"C4 E4 G4 E4 | "F"F4 A4 C5 A4 | "G7"G4 B4 D5 B4 | "C"C5/1';
    const written = await composeAndWait({ notation, modelId: 'chordy', seed: 1 });
    expect(written).toMatchObject({ status: 'DONE', modelId: 'chordy', key: 'C', chords: 'C | F | G7 | C', chordSource: 'given' });

    const edited = await composeAndWait({ notation, modelId: 'chordy', seed: 1, chords: 'Am | Dm G7 | C . . G7 | C', key: 'Am' });
    expect(edited).toMatchObject({ key: 'Am', chords: 'Am | Dm G7 | C . . G7 | C', chordSource: 'given' });
    // What came back composes again as it is.
    const again = await composeAndWait({ notation, modelId: 'chordy', seed: 1, chords: edited.chords, key: edited.key });
    expect(again).toMatchObject({ key: 'Am', chords: edited.chords, chordSource: 'given' });
    // The last chord given holds to the end of the melody.
    expect(await composeAndWait({ notation, modelId: 'chordy', chords: 'C | G7' })).toMatchObject({ chords: 'C | G7 | G7 | G7' });
  });

  it('reads chord symbols and the key of an ABC tune', async () => {
    const abc = 'X:1\nT:Chords\nM:4/4\nL:1/4\nK:G\n"G"GABc|"D7"d2 "G"G2|\n';
    expect(await composeAndWait({ abc, modelId: 'chordy' })).toMatchObject({ key: 'G', chords: 'G | D7 G', chordSource: 'given' });
  });

  it('has a chord-following model propose chords when none are given, in a form that reads back', async () => {
    const c = await composeAndWait({ notation: 'C4 E4 G4 E4 | F4 A4 C5 A4 | G4 B4 D5 B4 | C5/1', modelId: 'chordy', seed: 2 });
    expect(c.chordSource).toBe('harmoniser');
    expect(c.key).toMatch(/^[A-G][#b]?m?$/);
    expect(c.chords!.split('|')).toHaveLength(4);
    expect(formatChordBars(parseChordBars(c.chords!, 16, 64), 16, 64)).toBe(c.chords);
    // Empty chords replace those written in the melody: the model proposes its own.
    const cleared = await composeAndWait({ notation: '"C"C4 E4 G4 E4 | "F"F4 A4 C5 A4', modelId: 'chordy', chords: '' });
    expect(cleared.chordSource).toBe('harmoniser');
  });

  it('composes without chords for models that do not follow them, still telling the key', async () => {
    const c = await composeAndWait({ notation: '"C"C4 E4 G4 E4 | "G7"G4/1', modelId: 'plain', chords: 'C | G7', key: 'G' });
    expect(c).toMatchObject({ status: 'DONE', key: 'G', chords: null, chordSource: null });
  });

  it("uses a model of the same genre for the melody's meter, and says which", async () => {
    const waltz = await composeAndWait({ notation: 'time=3/4 "G"G4 B4 D5 | "D7"A4/2. | "G"G4/2.', modelId: 'plain' });
    expect(waltz).toMatchObject({ status: 'DONE', modelId: 'plain-triple', bars: 3, key: expect.any(String) });
    const refused = await errorOf({ notation: 'time=3/4 G4 B4 D5 | A4/2.', modelId: 'loner' });
    expect(refused?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused?.message).toMatch(/^the 'loner' model composes in 4\/4 .*this melody is in 3\/4.*; the models here for 3\/4: plain-triple$/);
  });

  it('refuses chords and keys it cannot read, naming the bar and the symbol', async () => {
    const bad = await errorOf({ notation: 'C4/1 | D4/1 | E4/1', modelId: 'chordy', chords: 'C | F H7 | C' });
    expect(bad?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'chords', bar: 2, symbol: 'H7' });
    expect(bad?.message).toMatch(/^chords: bar 2: 'H7' is not a chord symbol/);
    const uneven = await errorOf({ notation: 'C4/1 | D4/1', modelId: 'chordy', chords: 'C F G' });
    expect(uneven?.message).toMatch(/bar 1 \('C F G'\) has 3 symbols/);
    const long = await errorOf({ notation: 'C4/1 | D4/1', modelId: 'chordy', chords: 'C | F | G' });
    expect(long?.message).toMatch(/3 bars given, but the melody has 2/);
    const key = await errorOf({ notation: 'C4/1', modelId: 'chordy', key: 'H major' });
    expect(key?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'key' });
    expect(key?.message).toMatch(/^key: 'H major' is not a key/);
    const written = await errorOf({ notation: '"C" C4/1 | "Xm" D4/1', modelId: 'chordy' });
    expect(written?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', bar: 2, token: '"Xm"' });
  });

  it('shows older records without key and chords', async () => {
    const owner = await services.keys.create('older');
    const record = await services.store.compositions.create({
      ownerId: owner.key.id, status: 'done', modelId: 'plain', seed: 1, variations: 1, keepMelody: true, tempo: 100,
      input: { kind: 'notation', summary: 'notation, 1 notes, 1 bars' }, melody: { notes: [], tempo: 100, timeSignature: { numerator: 4, denominator: 4 } },
      bars: 1, formats: ['midi'], files: [],
    });
    const { composition } = await new HttpClient(server.url, owner.secret).data(CompositionDocument, { id: record.id });
    expect(composition).toMatchObject({ key: null, chords: null, chordSource: null });
  });

  it('the Discord composer passes chords (cut to the bars kept) and the reply shows the chords used', async () => {
    const composer = new ServicesBotComposer(services, 'discord-chords');
    const req = { notation: 'C4 E4 G4 E4 | G4/1 | F4/1 | C4/1 |]', modelId: 'chordy', seed: 3, bars: '2', chords: 'C | G7 | F | C' };
    const result = await composer.compose(req);
    expect(result).toMatchObject({ key: expect.any(String), chords: 'C | G7', chordSource: 'given' });
    const message = compositionMessage(result, req, composer, new TakeIds(), 25 * 1024 * 1024);
    expect(message.content).toContain('Chords (given): `C | G7`');
  }, 60_000);
});

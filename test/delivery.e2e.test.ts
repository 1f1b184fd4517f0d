import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import toneMidi from '@tonejs/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { initBackend } from '../src/inference/backend.js';
import type { ModelCard } from '../src/inference/model-card.js';
import { saveLayersModel } from '../src/inference/model-files.js';
import { buildGenerator } from '../src/inference/networks.js';
import { startServer, type RunningServer } from '../src/graphql/server.js';
import { logger } from '../src/logger.js';
import { createServices, type Services } from '../src/services/services.js';
import type { ApiKeyRecord, CompositionRecord } from '../src/store/records.js';
import { HttpClient } from './helpers/graphql-client.js';
import { untrainedModel } from './helpers/tiny-model.js';

const { Midi } = toneMidi;
const log = logger.child({ module: 'delivery-test' });
log.level = 'silent';

const MODEL_TEMPO = 137;

/** A 40-bar melody (a C major scale in quarters, bar after bar) after two silent bars, speeding up at bars 11 and 21. */
function longSong(): Uint8Array {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  midi.header.tempos.push({ ticks: 0, bpm: 80 }, { ticks: 10 * 4 * ppq, bpm: 96 }, { ticks: 20 * 4 * ppq, bpm: 120 });
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  midi.header.update();
  const track = midi.addTrack();
  track.name = 'melody';
  for (let bar = 2; bar < 42; bar++) {
    for (let beat = 0; beat < 4; beat++) {
      track.addNote({ midi: 60 + ((bar + beat) % 8), ticks: (bar * 4 + beat) * ppq, durationTicks: ppq, velocity: 0.8 });
    }
  }
  return midi.toArray();
}

async function waitDone(services: Services, owner: ApiKeyRecord, id: string): Promise<CompositionRecord> {
  const end = Date.now() + 60_000;
  for (;;) {
    const r = await services.compositions.get(owner, id);
    if (r.status === 'done' || r.status === 'failed' || Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('what a composition delivers: every variation, the model\'s tempo, bars of a long song in place', () => {
  let root: string;
  let services: Services;
  let server: RunningServer;
  let owner: ApiKeyRecord;
  let client: HttpClient;

  beforeAll(async () => {
    await initBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'continuo-delivery-'));
    const { card, generator } = await untrainedModel({ id: 'steady', name: 'Steady', genre: 'steady', tempoDefault: MODEL_TEMPO });
    generator.dispose();
    const dir = join(root, 'models', card.id);
    await mkdir(dir, { recursive: true });
    const model = buildGenerator(card.network);
    await saveLayersModel(model, dir, 'model');
    model.dispose();
    await writeFile(join(dir, 'card.json'), JSON.stringify(card satisfies ModelCard, null, 2));
    services = await createServices(
      loadConfig({ DATA_DIR: join(root, 'data'), CONTINUO_MODELS_DIR: join(root, 'models'), PORT: '0', LOG_LEVEL: 'silent', QUOTA_COMPOSITIONS: '500', RATE_LIMIT_PER_MINUTE: '10000' }),
      log, { runJobs: true, env: {} },
    );
    server = await startServer(services, { host: '127.0.0.1', port: 0 });
    const key = await services.keys.create('delivery');
    owner = key.key;
    client = new HttpClient(server.url, key.secret);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('makes audio and a picture of every variation, and serves any variation on demand', async () => {
    const queued = await services.compositions.request(owner, { melody: { sampleId: 'twinkle-twinkle' }, modelId: 'steady', seed: 4, variations: 3, formats: ['wav', 'png'] });
    const done = await waitDone(services, owner, queued.id);
    expect(done.status).toBe('done');
    for (const format of ['midi', 'wav', 'png']) {
      expect(done.files.filter((f) => f.format === format).map((f) => f.variation).sort()).toEqual([0, 1, 2]);
    }
    // Variations differ, so their audio does too.
    const wavs = await Promise.all(done.files.filter((f) => f.format === 'wav').map(async (f) => (await services.store.files.get(f.fileId))!.data));
    expect(Buffer.from(wavs[0]).equals(Buffer.from(wavs[2]))).toBe(false);

    const query = `query($id: ID!) { composition(id: $id) { a: audio(format: WAV, variation: 2) { variation url } p: pianoRoll(format: SVG, variation: 1) { variation url } } }`;
    const r = JSON.parse((await client.raw(JSON.stringify({ query, variables: { id: done.id } }))).body);
    expect(r.errors).toBeUndefined();
    expect(r.data.composition.a).toMatchObject({ variation: 2, url: expect.stringMatching(/composition-.*-3\.wav$/) });
    expect(r.data.composition.p).toMatchObject({ variation: 1, url: expect.stringMatching(/-2\.svg$/) });

    const bad = JSON.parse((await client.raw(JSON.stringify({ query: `query($id: ID!) { composition(id: $id) { audio(format: WAV, variation: 3) { url } } }`, variables: { id: done.id } }))).body);
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.errors[0].message).toMatch(/variation 3 does not exist.*variations 0 to 2/);
  }, 120_000);

  it("plays a melody that names no tempo at the model's default tempo, and one that names its own at that", async () => {
    const plain = await waitDone(services, owner, (await services.compositions.request(owner, { melody: { notation: 'C4 D4 E4 F4 | G4/1' }, modelId: 'steady', seed: 1 })).id);
    expect(plain.tempo).toBe(MODEL_TEMPO);
    const midi = new Midi((await services.store.files.get(plain.files[0].fileId))!.data);
    expect(midi.header.tempos[0].bpm).toBeCloseTo(MODEL_TEMPO, 1);

    const own = await waitDone(services, owner, (await services.compositions.request(owner, { melody: { notation: 'tempo=90 C4 D4 E4 F4 | G4/1' }, modelId: 'steady', seed: 1 })).id);
    expect(own.tempo).toBe(90);
    const asked = await waitDone(services, owner, (await services.compositions.request(owner, { melody: { notation: 'C4 D4 E4 F4 | G4/1' }, modelId: 'steady', seed: 1, tempo: 70 })).id);
    expect(asked.tempo).toBe(70);
  }, 60_000);

  it('composes bars 17-24 of a 42-bar song: the MIDI lines up with the song and keeps its tempo map; audio starts at bar 17', async () => {
    const song = longSong();
    await expect(services.compositions.request(owner, { melody: { midi: song }, modelId: 'steady' })).rejects.toThrow(/40 bars long.*bar range/);

    const queued = await services.compositions.request(owner, { melody: { midi: song, bars: { first: 17, last: 24 } }, modelId: 'steady', seed: 2, formats: ['wav'] });
    expect(queued.bars).toBe(8);
    const done = await waitDone(services, owner, queued.id);
    expect(done.status).toBe('done');
    expect(done.tempo).toBe(96); // the tempo in effect at bar 17

    const midi = new Midi((await services.store.files.get(done.files.find((f) => f.format === 'midi')!.fileId))!.data);
    const ppq = midi.header.ppq;
    const lead = midi.tracks.find((t) => t.name === 'Lead')!;
    const source = new Midi(song).tracks[0].notes.filter((n) => n.ticks >= 16 * 4 * 480 && n.ticks < 24 * 4 * 480);
    // Bar 17 of the song is bar 17 of the output: same notes at the same ticks.
    expect(lead.notes.map((n) => [n.midi, n.ticks / ppq])).toEqual(source.map((n) => [n.midi, n.ticks / 480]));
    expect(midi.header.tempos.map((t) => [t.ticks / ppq, Math.round(t.bpm)])).toEqual([[0, 80], [40, 96], [80, 120]]);
    const accompaniment = midi.tracks.filter((t) => t.name !== 'Lead').flatMap((t) => t.notes);
    expect(accompaniment.length).toBeGreaterThan(0);
    expect(Math.min(...accompaniment.map((n) => n.ticks))).toBeGreaterThanOrEqual(16 * 4 * ppq);

    // The audio is of the 8 bars composed (at 96 and then 120 bpm), not of 16 bars of silence first.
    const wav = done.files.find((f) => f.format === 'wav')!;
    const seconds = 4 * 4 * (60 / 96) + 4 * 4 * (60 / 120);
    expect(wav.durationSeconds).toBeGreaterThan(seconds - 0.5);
    expect(wav.durationSeconds).toBeLessThan(seconds + 3);

    await expect(services.compositions.request(owner, { melody: { midi: song, bars: { first: 50, last: 60 } }, modelId: 'steady' })).rejects.toThrow(/has 42 bars, so it has no bar 50/);
  }, 120_000);

  it('drops leading silent bars to compose, and puts the music back there in the MIDI file', async () => {
    const midi = new Midi();
    midi.header.setTempo(100);
    const track = midi.addTrack();
    for (let i = 0; i < 8; i++) track.addNote({ midi: 60 + i, ticks: (3 * 4 + i) * midi.header.ppq, durationTicks: midi.header.ppq, velocity: 0.8 });
    const done = await waitDone(services, owner, (await services.compositions.request(owner, { melody: { midi: midi.toArray() }, modelId: 'steady', seed: 3 })).id);
    expect(done.bars).toBe(2);
    const out = new Midi((await services.store.files.get(done.files[0].fileId))!.data);
    expect(Math.min(...out.tracks.flatMap((t) => t.notes).map((n) => n.ticks)) / out.header.ppq).toBeGreaterThanOrEqual(12);
    expect(out.tracks.find((t) => t.name === 'Lead')!.notes[0].ticks / out.header.ppq).toBe(12);
  }, 60_000);
});

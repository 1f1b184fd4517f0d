import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import toneMidi from '@tonejs/midi';
import type { Client } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { initBackend } from '../src/inference/backend.js';
import { startServer, type RunningServer } from '../src/graphql/server.js';
import { InProcessJobQueue } from '../src/jobs/in-process-queue.js';
import { logger } from '../src/logger.js';
import { JobRunner } from '../src/services/job-runner.js';
import { createServices, type Services } from '../src/services/services.js';
import { createStore } from '../src/store/index.js';
import { splitOf } from '../src/training/datasets/midi-folder.js';
import type { TrainingProgress } from '../src/training/training-progress.js';
import {
  CancelTrainingJobDocument, ComposeDocument, CompositionDocument, DeleteTrainingSetDocument, ModelByIdDocument, ModelVisibilityDocument, PublishModelDocument,
  TrainingJobSamplesDocument, TrainingSetPreviewDocument, TrainingSetsDocument, TrainingSimilarityDocument, TrainModelDocument,
  UploadTrainingFilesDocument, type TrainModelInput,
} from './generated/graphql.js';
import { collect, HttpClient, wsClient } from './helpers/graphql-client.js';
import { trainTinyModel } from './helpers/synthetic-data.js';

const { Midi } = toneMidi;

/**
 * An 8-bar song of a band: a tune (flute), a bass line and chords on keys, in `root`'s major key, as a
 * user's own MIDI files would have them. `meter` and `tracks` make the files a mapping must leave out.
 */
function bandSong(root: number, o: { meter?: [number, number]; tracks?: string[] } = {}): Uint8Array {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: o.meter ?? [4, 4] });
  midi.header.tempos.push({ ticks: 0, bpm: 100 });
  midi.header.update();
  const beats = (o.meter?.[0] ?? 4) * 8;
  const scale = [0, 2, 4, 5, 7, 9, 11, 12];
  const parts: Record<string, { program: number; notes: { pitch: number; beat: number; beats: number }[] }> = {
    Melody: { program: 73, notes: Array.from({ length: beats }, (_, b) => ({ pitch: root + 12 + scale[(b * 3) % 8], beat: b, beats: 1 })) },
    Bass: { program: 33, notes: Array.from({ length: beats / 2 }, (_, b) => ({ pitch: root - 24 + (b % 4 === 2 ? 7 : 0), beat: b * 2, beats: 2 })) },
    Keys: { program: 0, notes: Array.from({ length: beats / 4 }, (_, b) => [0, 4, 7].map((d) => ({ pitch: root + d + (b % 2 ? 5 : 0), beat: b * 4, beats: 4 }))).flat() },
  };
  for (const name of o.tracks ?? Object.keys(parts)) {
    const track = midi.addTrack();
    track.name = name;
    track.channel = Object.keys(parts).indexOf(name);
    track.instrument.number = parts[name].program;
    for (const n of parts[name].notes) track.addNote({ midi: n.pitch, ticks: n.beat * ppq, durationTicks: n.beats * ppq, velocity: 0.8 });
  }
  return midi.toArray();
}

/** Song names whose hash puts 4 in train and one each in valid and test (files split 80/10/10 by name). */
function songNames(): string[] {
  const wanted: Record<string, number> = { train: 4, valid: 1, test: 1 };
  const names: string[] = [];
  for (let i = 1; names.length < 6; i++) {
    const name = `song-${i}.mid`;
    const split = splitOf(name);
    if (wanted[split]! > 0) {
      wanted[split]! -= 1;
      names.push(name);
    }
  }
  return names;
}

const base64 = (data: Uint8Array) => Buffer.from(data).toString('base64');
const mapping = { melody: 'melody', accompaniment: ['Bass', 'keys'] };
const tiny: Partial<TrainModelInput> = { batchSize: 4, filters: 2, updateRatio: 1 };

async function waitFor<T>(fn: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('training a model through the API from uploaded MIDI files', () => {
  let root: string;
  let services: Services;
  let server: RunningServer;
  let alice: HttpClient;
  let bob: HttpClient;
  let aliceKey: string;
  const sockets: Client[] = [];
  const songs = songNames();

  beforeAll(async () => {
    await initBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'continuo-training-sets-'));
    await trainTinyModel(root);
    const config = loadConfig({
      DATA_DIR: join(root, 'data'), CONTINUO_MODELS_DIR: join(root, 'models'), PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000',
    });
    services = await createServices(config, logger, { runJobs: true, env: {} });
    server = await startServer(services, { host: '127.0.0.1', port: 0 });
    aliceKey = (await services.keys.create('alice', null)).secret;
    alice = new HttpClient(server.url, aliceKey);
    bob = new HttpClient(server.url, (await services.keys.create('bob', null)).secret);
  });

  afterAll(async () => {
    for (const s of sockets) await s.dispose();
    await server?.close();
    await services?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('uploads MIDI files into a named set of the key, refusing bad files with a code and the file named', async () => {
    const first = await alice.data(UploadTrainingFilesDocument, { input: { set: 'band', files: songs.slice(0, 2).map((name, i) => ({ name, midiBase64: base64(bandSong(60 + i)) })) } });
    expect(first.uploadTrainingFiles).toMatchObject({ name: 'band', fileCount: 2 });
    const rest = [
      ...songs.slice(2).map((name, i) => ({ name, midiBase64: base64(bandSong(62 + i)) })),
      { name: 'waltz.mid', midiBase64: base64(bandSong(60, { meter: [3, 4] })) },
      { name: 'duo.mid', midiBase64: base64(bandSong(60, { tracks: ['Melody', 'Bass'] })) },
    ];
    const all = await alice.data(UploadTrainingFilesDocument, { input: { set: 'band', files: rest } });
    expect(all.uploadTrainingFiles.fileCount).toBe(8);

    const refused = async (input: { set: string; files: { name: string; midiBase64: string }[] }) => (await alice.request(UploadTrainingFilesDocument, { input })).errors?.[0];
    expect(await refused({ set: 'band', files: [{ name: 'broken.mid', midiBase64: base64(new TextEncoder().encode('MThd, but then nothing a MIDI file holds')) }] }))
      .toMatchObject({ extensions: { code: 'BAD_USER_INPUT', file: 'broken.mid' }, message: expect.stringMatching(/^file 'broken.mid'/) });
    expect(await refused({ set: 'band', files: [{ name: 'song.mid', midiBase64: '¿no?' }] })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'files[0].midiBase64' } });
    expect(await refused({ set: 'Band Songs', files: [{ name: 'song.mid', midiBase64: base64(bandSong(60)) }] })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'set' } });
    expect(await refused({ set: 'band', files: [{ name: 'song.txt', midiBase64: base64(bandSong(60)) }] })).toMatchObject({ message: expect.stringMatching(/ending in \.mid or \.midi/) });
    const big = new Uint8Array(1024 * 1024 + 1);
    big.set(new TextEncoder().encode('MThd'));
    expect(await refused({ set: 'band', files: [{ name: 'big.mid', midiBase64: base64(big) }] }))
      .toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE' }, message: "file 'big.mid' is 1 MiB; a file may have up to 1 MiB" });

    expect((await alice.data(TrainingSetsDocument)).trainingSets).toEqual([{ name: 'band', fileCount: 8, bytes: expect.any(Number) }]);
    expect((await bob.data(TrainingSetsDocument)).trainingSets).toEqual([]);
    expect((await bob.request(TrainingSetPreviewDocument, { set: 'band', mapping })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await new HttpClient(server.url).request(TrainingSetsDocument)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('previews a mapping by name or by index: tracks found, split, windows, and what was left out and why', async () => {
    const { trainingSetPreview: preview } = await alice.data(TrainingSetPreviewDocument, { set: 'band', mapping });
    expect(preview).toMatchObject({ set: 'band', usedFiles: 6, skippedFiles: 2, warnings: [] });
    const byName = Object.fromEntries(preview.files.map((f) => [f.name, f]));
    expect(byName['duo.mid']).toMatchObject({ used: false, skipped: "without a track 'keys'", split: null, windows: 0 });
    expect(byName['waltz.mid']).toMatchObject({ used: false, skipped: 'in 3/4 (the windows take 4/4, 2/4 and 2/2)', timeSignature: '3/4' });
    expect(byName[songs[0]!]!.tracks).toEqual([
      { index: 0, name: 'Melody', channel: 0, program: 73, notes: 32, role: 'melody' },
      { index: 1, name: 'Bass', channel: 1, program: 33, notes: 16, role: 'accompaniment' },
      { index: 2, name: 'Keys', channel: 2, program: 0, notes: 24, role: 'accompaniment' },
    ]);
    expect(byName['duo.mid']!.tracks.map((t) => t.role)).toEqual(['melody', 'accompaniment']);
    // 8 bars: training windows of 2 bars every half bar (13 per song), held-out windows back to back (4).
    expect(preview.windows).toEqual({ train: 4 * 13, valid: 4, test: 4 });
    expect(preview.files.filter((f) => f.used).map((f) => f.split).sort()).toEqual(['test', 'train', 'train', 'train', 'train', 'valid']);

    const { trainingSetPreview: byIndex } = await alice.data(TrainingSetPreviewDocument, { set: 'band', mapping: { melody: '0', accompaniment: ['1', '2'] } });
    expect(byIndex.windows).toEqual(preview.windows);
    expect(byIndex.files.find((f) => f.name === 'duo.mid')?.skipped).toBe('without track 2');
    const { trainingSetPreview: wrong } = await alice.data(TrainingSetPreviewDocument, { set: 'band', mapping: { melody: 'vocals', accompaniment: ['bass'] } });
    expect(wrong.usedFiles).toBe(0);
    expect(wrong.warnings[0]).toMatch(/^no training window/);
    expect((await alice.request(TrainingSetPreviewDocument, { set: 'band', mapping: { melody: 'melody', accompaniment: [] } })).errors?.[0])
      .toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/1 to 8 accompaniment tracks/) });
  });

  it('trains from the set with the similarity index in its progress, lists its samples as MIDI and audio, and composes with the model', async () => {
    const refusal = await alice.request(TrainModelDocument, { input: { trainingSet: 'band', mapping: { melody: 'vocals', accompaniment: ['bass'] }, modelId: 'nothing', ...tiny } });
    expect(refusal.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/gives no training window with this mapping: 8 files without a track 'vocals'/) });
    const both = await alice.request(TrainModelDocument, { input: { dataset: 'jsb:x.json', trainingSet: 'band', mapping, modelId: 'nothing' } });
    expect(both.errors?.[0].message).toMatch(/either dataset .* or trainingSet/);

    const { trainModel: job } = await alice.data(TrainModelDocument, {
      input: { trainingSet: 'band', mapping, modelId: 'band', name: 'My band', iterations: 4, evalEvery: 1, sampleEvery: 2, checkpointEvery: 2, ...tiny },
    });
    const ws = wsClient(server.url, aliceKey);
    sockets.push(ws);
    const events = await collect(ws, TrainingSimilarityDocument, { jobId: job.id });
    const steps = events.map((e) => e.data?.trainingProgress).filter((p) => typeof p?.iteration === 'number');
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.map((p) => p!.iteration)).toEqual([1, 2, 3, 4].slice(-steps.length));
    expect(steps.every((p) => typeof p!.similarity === 'number' && p!.similarity > 0 && p!.similarity <= 1)).toBe(true);
    // Deleting the set now leaves the run's copy (and the model) alone.
    expect((await alice.data(DeleteTrainingSetDocument, { name: 'band' })).deleteTrainingSet).toBe(true);

    const done = await waitFor(() => alice.data(TrainingJobSamplesDocument, { id: job.id }), (r) => !['QUEUED', 'RUNNING'].includes(r.trainingJob!.status));
    expect(done.trainingJob).toMatchObject({ status: 'DONE', result: { modelId: 'band', iterations: 4 } });
    const samples = done.trainingJob!.samples;
    // Four evaluation melodies (the valid song's 8 bars) accompanied at iterations 2 and 4.
    expect(samples.map((s) => [s.iteration, s.index])).toEqual([[2, 0], [2, 1], [2, 2], [2, 3], [4, 0], [4, 1], [4, 2], [4, 3]]);
    const midi = await fetch(samples[0]!.midiUrl);
    expect(midi.headers.get('content-type')).toBe('audio/midi');
    expect(new Midi(new Uint8Array(await midi.arrayBuffer())).tracks.map((t) => t.name)).toEqual(['melody', 'Bass', 'keys']);
    const audio = await fetch(samples[3]!.audioUrl!);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    expect(samples[3]!.durationSeconds).toBeGreaterThan(4);

    const { models } = await alice.data(ModelVisibilityDocument);
    expect(models.find((m) => m.id === 'band')).toEqual({
      id: 'band', owned: true, published: false, trainingDataset: "training set 'band' (6 files, 2 skipped)",
      tracks: [{ name: 'melody', role: 'melody' }, { name: 'Bass', role: 'accompaniment' }, { name: 'keys', role: 'accompaniment' }],
    });
    const { compose } = await alice.data(ComposeDocument, { input: { sampleId: 'ode-to-joy', modelId: 'band', seed: 2 } });
    const composed = await waitFor(() => alice.data(CompositionDocument, { id: compose.id }), (r) => !['QUEUED', 'RUNNING'].includes(r.composition!.status));
    expect(composed.composition).toMatchObject({ status: 'DONE', modelId: 'band' });
  });

  it('keeps the model to its key until it is published', async () => {
    const anonymous = new HttpClient(server.url);
    const seen = async (client: HttpClient) => (await client.data(ModelVisibilityDocument)).models.map((m) => m.id);
    expect(await seen(bob)).toEqual(['tiny']);
    expect(await seen(anonymous)).toEqual(['tiny']);
    expect((await bob.data(ModelByIdDocument, { id: 'band' })).model).toBeNull();
    const composeAsBob = () => bob.request(ComposeDocument, { input: { sampleId: 'ode-to-joy', modelId: 'band' } });
    expect((await composeAsBob()).errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: "model 'band' does not exist; available models: tiny" });
    expect((await bob.request(PublishModelDocument, { id: 'band', published: true })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await alice.request(PublishModelDocument, { id: 'tiny', published: true })).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await alice.data(PublishModelDocument, { id: 'band', published: true })).publishModel).toEqual({ id: 'band', owned: true, published: true });
    expect((await bob.data(ModelByIdDocument, { id: 'band' })).model).toEqual({ id: 'band', owned: false, published: true });
    expect(await seen(anonymous)).toContain('band');
    expect((await composeAsBob()).errors).toBeUndefined();
    expect(JSON.parse(readFileSync(join(root, 'data', 'models', 'band', 'card.json'), 'utf8'))).toMatchObject({ owner: expect.any(String), published: true });

    await alice.data(PublishModelDocument, { id: 'band', published: false });
    expect(await seen(bob)).toEqual(['tiny']);
  });
});

describe('a training job and a restart', () => {
  it('hands a job back at shutdown: its record says queued, for the next start to run it again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'continuo-hand-back-'));
    const store = await createStore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    const queue = new InProcessJobQueue({ shutdownGraceMs: 10, log: logger });
    try {
      const runner = new JobRunner(queue, store.jobs, logger);
      let started = false;
      runner.register('train', (job) => {
        started = true;
        return new Promise((_, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason as Error)));
      });
      const job = await store.jobs.create({ type: 'train', ownerId: 'k', status: 'queued', progress: 0, payload: {}, attempts: 0 });
      await queue.enqueue('train', job.id, {});
      await waitFor(async () => started, (s) => s, 5000);
      await queue.close();
      expect((await store.jobs.get(job.id))?.status).toBe('queued');
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resumes a run from its last checkpoint when the server restarts mid-run', async () => {
    const root = await mkdtemp(join(tmpdir(), 'continuo-resume-'));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    // No inference threads: this test composes nothing, and starts a server twice.
    const config = loadConfig({
      DATA_DIR: join(root, 'data'), CONTINUO_MODELS_DIR: join(root, 'models'), PORT: '0', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '10000', INFERENCE_THREADS: '0',
    });
    const boot = async () => {
      const services = await createServices(config, log, { runJobs: true, env: {} });
      return { services, server: await startServer(services, { host: '127.0.0.1', port: 0 }) };
    };
    let app: Awaited<ReturnType<typeof boot>> | undefined = await boot();
    const stop = async () => {
      await app?.server.close();
      await app?.services.close();
      app = undefined;
    };
    try {
      const owner = await app.services.keys.create('carol', null);
      let client = new HttpClient(app.server.url, owner.secret);
      await client.data(UploadTrainingFilesDocument, { input: { set: 'band', files: songNames().map((name, i) => ({ name, midiBase64: base64(bandSong(60 + i)) })) } });
      // Longer than the 20 s a closing server lets a job run on before it hands it back.
      const { trainModel: job } = await client.data(TrainModelDocument, {
        input: { trainingSet: 'band', mapping, modelId: 'again', iterations: 100_000, evalEvery: 10, sampleEvery: 100_000, checkpointEvery: 5, ...tiny },
      });
      await waitFor(() => client.data(TrainingJobSamplesDocument, { id: job.id }), (r) => r.trainingJob!.progress * 100_000 >= 12);
      // A restart as SIGTERM makes it: the server closes while the run is under way, then starts again.
      await stop();
      const history = () => JSON.parse(readFileSync(join(config.dataDir, 'runs', job.id, 'history.json'), 'utf8')) as TrainingProgress[];
      const stoppedAt = history().length;
      expect(stoppedAt).toBeGreaterThanOrEqual(12);
      const store = await createStore(config);
      expect((await store.jobs.get(job.id))?.status).toBe('queued');
      await store.close();

      app = await boot();
      client = new HttpClient(app.server.url, owner.secret);
      const ws = wsClient(app.server.url, owner.secret);
      const events = await collect(ws, TrainingSimilarityDocument, { jobId: job.id }, 3).finally(() => ws.dispose());
      const iterations = events.map((e) => e.data?.trainingProgress.iteration).filter((i): i is number => typeof i === 'number');
      expect(iterations[0]).toBeGreaterThan(stoppedAt);
      expect(lines.some((l) => l.includes(`"iteration":${stoppedAt},`) && l.includes('training resumes from its last checkpoint'))).toBe(true);
      expect((await client.data(CancelTrainingJobDocument, { id: job.id })).cancelTrainingJob.status).toBe('CANCELLED');
      await stop(); // once the cancelled run has stopped
      // One line of history per iteration across the restart: the run went on where it stopped.
      const trained = history().map((p) => p.iteration);
      expect(trained.length).toBeGreaterThan(stoppedAt);
      expect(trained).toEqual(Array.from({ length: trained.length }, (_, i) => i + 1));
    } finally {
      await stop();
      await rm(root, { recursive: true, force: true });
    }
  }, 180_000);
});

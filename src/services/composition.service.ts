import { randomInt } from 'node:crypto';
import { ContinuoError, InvalidInputError, NotFoundError, RateLimitedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { playingTempo, validateComposeOptions, type ComposeOptions } from '../inference/compose.js';
import type { Inference } from '../inference/inference.js';
import { modelForMelody } from '../inference/model-choice.js';
import type { ModelRegistry } from '../inference/registry.js';
import { barCount, stepsPerBar, type Melody } from '../music/melody.js';
import type { MelodyInput } from '../music/melody-input.js';
import { harmonyUsed, withRequestedHarmony, type HarmonyText } from '../music/requested-harmony.js';
import { midiFrom } from '../music/midi.js';
import type { JobContext, JobQueue } from '../jobs/ports.js';
import { toJobFailure } from '../jobs/job-failure.js';
import type { Page, PageRequest, PutOptions, Store } from '../store/ports.js';
import type { ApiKeyRecord, CompositionRecord, StoredFile } from '../store/records.js';
import { AUDIO_FORMATS, isAudioFormat } from '../render/audio-format.js';
import { arrangementFromMidi } from '../render/midi-arrangement.js';
import { pianoRollSvg } from '../render/piano-roll-svg.js';
import type { Renderer } from '../render/renderer.js';
import type { EventBus } from './event-bus.js';
import { modelsVisibleTo } from './model-visibility.js';
import { InFlightLimit } from './in-flight-limit.js';
import { RenderGate } from './render-gate.js';

export interface ComposeRequest extends Omit<ComposeOptions, 'chords' | 'key'>, HarmonyText {
  readonly melody: MelodyInput;
  /**
   * The model asked for; when its meter does not fit the melody's, a model of its genre that does is
   * used (the record's modelId says which).
   */
  readonly modelId: string;
  /** Output formats; MIDI is always made. */
  readonly formats?: readonly string[];
  /** Publish once composed (checked by the share service before the request is made). */
  readonly publish?: CompositionRecord['publish'];
}

/** Formats a composition can be delivered in: MIDI (always), audio, and piano-roll pictures. */
export const SUPPORTED_FORMATS = ['midi', ...AUDIO_FORMATS, 'png', 'svg'] as const;
export type DeliveryFormat = (typeof SUPPORTED_FORMATS)[number];

export const compositionTopic = (id: string) => `composition:${id}`;

function describeInput(input: MelodyInput, melody: Melody): { kind: string; summary: string } {
  const notes = `${melody.notes.length} notes, ${barCount(melody)} bars`;
  if (input.midi) return { kind: 'midi', summary: `MIDI file (${input.midi.length} bytes), ${notes}` };
  if (input.sampleId) return { kind: 'sample', summary: `sample '${input.sampleId}', ${notes}` };
  if (input.abc !== undefined) return { kind: 'abc', summary: `ABC${melody.title ? ` '${melody.title}'` : ''}, ${notes}` };
  return { kind: 'notation', summary: `notation, ${notes}` };
}

/** Refuses a variation (0-based) that the composition does not have, naming the ones it has. */
export function checkVariation(record: Pick<CompositionRecord, 'id' | 'variations'>, variation: number): void {
  if (Number.isInteger(variation) && variation >= 0 && variation < record.variations) return;
  throw new InvalidInputError(
    `variation ${variation} does not exist; composition '${record.id}' has ${record.variations === 1 ? 'one variation, 0' : `variations 0 to ${record.variations - 1}`}`,
    { field: 'variation', variations: record.variations },
  );
}

/** Tempos a composition plays at, the same range as the request's own `tempo`. */
const TEMPO_RANGE = { low: 20, high: 400 };

/**
 * The tempo the composition will play at (the request's, else the melody's) must be in range: a MIDI
 * file's 1 bpm (60,000,000 µs per quarter note) would otherwise pass here and fail only in the job.
 */
function checkTempo(tempo: number, req: ComposeRequest): void {
  if (tempo >= TEMPO_RANGE.low && tempo <= TEMPO_RANGE.high) return;
  const source = req.melody.midi
    ? `the MIDI file's tempo is ${tempo} bpm (${Math.round(60_000_000 / tempo)} µs per quarter note)`
    : `the melody's tempo is ${tempo} bpm`;
  throw new InvalidInputError(
    `${source}; Continuo plays from ${TEMPO_RANGE.low} to ${TEMPO_RANGE.high} bpm — give tempo (${TEMPO_RANGE.low}–${TEMPO_RANGE.high}) or set the melody's tempo in range`,
    { field: 'tempo', tempo },
  );
}

/**
 * Compositions: requested by a key holder (validated, quota-checked, recorded, queued), made by a
 * compose job (model → MIDI files in the store), and seen, listed and deleted only by their owner.
 */
export class CompositionService {
  constructor(
    private readonly store: Store,
    private readonly models: ModelRegistry,
    /** Where compositions are made and melodies read (worker threads, or this thread). */
    private readonly inference: Inference,
    private readonly queue: JobQueue,
    private readonly events: EventBus<CompositionRecord>,
    private readonly quota: { compositions: number; periodDays: number; inFlightPerKey?: number },
    private readonly renderer: Renderer,
    private readonly log: Logger,
    /** Renders on demand (audio, piano rolls) are bounded per key and server, and counted. */
    private readonly onDemand: { gate: RenderGate; counted(format: string): void } = { gate: new RenderGate(), counted: () => undefined },
  ) {}

  /** Compositions queued or running per key (D15), checked after the quota. */
  private inFlight?: InFlightLimit;

  /** Renders in flight, so that two requests for the same file share one render. */
  private readonly rendering = new Map<string, Promise<StoredFile>>();

  async request(owner: ApiKeyRecord, req: ComposeRequest): Promise<CompositionRecord> {
    // Another key's private model is NOT_FOUND like an unknown one, and none is chosen in its place.
    const models = modelsVisibleTo(this.models, owner.id);
    models.get(req.modelId); // an unknown model is NOT_FOUND before the melody is read
    const { chords: _chords, key: _key, ...options } = req;
    validateComposeOptions(options);
    const formats = [...new Set((req.formats ?? ['midi']).map((f) => f.toLowerCase()))];
    const unsupported = formats.filter((f) => !(SUPPORTED_FORMATS as readonly string[]).includes(f));
    if (unsupported.length) {
      throw new InvalidInputError(`format ${unsupported.join(', ')} is not available; this server delivers ${SUPPORTED_FORMATS.join(', ')}`, { field: 'formats' });
    }
    const melody = withRequestedHarmony(await this.inference.readMelody(req.melody), req);
    const model = modelForMelody(models, req.modelId, melody);
    const tempo = playingTempo(model.card, melody, req.tempo);
    checkTempo(tempo, req);
    await this.checkQuota(owner);
    const inFlight = (this.inFlight ??= new InFlightLimit(this.quota.inFlightPerKey));
    const record = await inFlight.admit(this.store.compositions, owner.id, () => this.store.compositions.create({
      ownerId: owner.id,
      status: 'queued',
      modelId: model.card.id,
      seed: req.seed ?? randomInt(0, 2 ** 31 - 1),
      variations: req.variations ?? 1,
      keepMelody: req.keepMelody ?? true,
      threshold: req.threshold,
      density: req.density,
      temperature: req.temperature,
      tempo,
      input: describeInput(req.melody, melody),
      melody,
      bars: barCount(melody),
      formats,
      files: [],
      ...(req.publish ? { publish: req.publish } : {}),
    }));
    const job = await this.store.jobs.create({
      type: 'compose', ownerId: owner.id, status: 'queued', progress: 0, payload: { compositionId: record.id }, attempts: 0,
    });
    try {
      await this.queue.enqueue('compose', job.id, { compositionId: record.id });
    } catch (error) {
      // Say so in the records rather than leave them queued. The job is cancelled, not failed: an
      // enqueue that timed out may still reach Redis later, and its worker then leaves it alone (the
      // caller, told UNAVAILABLE, asks again).
      const e = error instanceof ContinuoError ? error : new ContinuoError('UNAVAILABLE', 'the job could not be queued; try again later');
      await this.store.jobs.update(job.id, { status: 'cancelled', error: { code: e.code, message: e.message } });
      await this.setStatus(record.id, { status: 'failed', error: { code: e.code, message: e.message } });
      throw e;
    }
    return record;
  }

  private async checkQuota(owner: ApiKeyRecord): Promise<void> {
    const limit = owner.quota;
    if (limit === null) return;
    const period = this.quota.periodDays * 86_400_000;
    const since = new Date(Date.now() - period).toISOString();
    // Counted from the compose jobs, which deleting a composition leaves: deleting gives no quota back.
    const used = await this.store.jobs.countByOwnerSince(owner.id, 'compose', since);
    if (used < limit) return;
    // A place frees when the job that brings the count down to the limit leaves the window.
    const leaving = await this.store.jobs.createdAtByOwnerSince(owner.id, 'compose', since, used - limit);
    const retryMs = leaving ? Date.parse(leaving) + period - Date.now() : period;
    throw new RateLimitedError(
      `the quota of ${limit} compositions per ${this.quota.periodDays} days for this key is used up; older compositions leave the window day by day`,
      Math.max(1, Math.ceil(retryMs / 1000)),
    );
  }

  /** The compose job: runs the model and stores one MIDI file per variation. */
  async run(job: JobContext<{ compositionId: string }>): Promise<Record<string, unknown>> {
    const { compositionId } = job.data;
    const record = await this.store.compositions.get(compositionId);
    if (!record) throw new NotFoundError('composition', compositionId, 'it was deleted before it was composed');
    await this.setStatus(record.id, { status: 'running' });
    const started = Date.now();
    try {
      const melody = record.melody as Melody;
      const result = await this.inference.compose(record.modelId, melody, {
        seed: record.seed, variations: record.variations, keepMelody: record.keepMelody,
        threshold: record.threshold, density: record.density, temperature: record.temperature, tempo: record.tempo,
        ...(melody.chords ? { chords: melody.chords } : {}),
      });
      // One file per variation and format, whatever the number of runs: a job run again (its worker
      // died, its completion was lost) writes over the files of its earlier runs.
      const fileKey = (format: DeliveryFormat, variation: number) => ({ key: `compose:${job.jobId}:${format}:${variation}` });
      const files: StoredFile[] = [];
      for (const [variation, data] of result.midi.entries()) {
        const info = await this.store.files.put(data, { filename: `composition-${record.id}-${variation + 1}.mid`, contentType: 'audio/midi' }, fileKey('midi', variation));
        files.push({ fileId: info.id, format: 'midi', contentType: info.contentType, bytes: info.bytes, variation });
      }
      // Every variation in every format asked for: each one can be played and looked at.
      const extra = (record.formats.filter((f) => f !== 'midi') as DeliveryFormat[])
        .flatMap((format) => result.midi.map((_, variation) => ({ format, variation })));
      for (const [i, { format, variation }] of extra.entries()) {
        await job.updateProgress((i + 1) / (extra.length + 1), { rendering: format, variation });
        files.push(await this.makeFile({ ...record, files }, format, variation, fileKey(format, variation)));
      }
      // Named even when absent, so that a composition made again drops chords its model no longer used.
      const { key, chords, chordSource } = harmonyUsed(result, melody);
      await this.setStatus(record.id, { status: 'done', files, key, chords, chordSource });
      this.log.info({ composition: record.id, model: record.modelId, ms: Date.now() - started, windows: result.windows }, 'composed');
      return { compositionId: record.id, modelId: record.modelId, files: files.length };
    } catch (error) {
      await this.setStatus(record.id, { status: 'failed', error: toJobFailure(error, 'compose') });
      throw error;
    }
  }

  private async setStatus(id: string, patch: Partial<CompositionRecord>): Promise<void> {
    const updated = await this.store.compositions.update(id, patch);
    if (updated) this.events.publish(compositionTopic(id), updated);
  }

  /**
   * A file of one variation (0-based) of the caller's composition in a format (audio, picture), made
   * on first request and kept: later requests get the stored file.
   */
  async file(owner: ApiKeyRecord, id: string, format: DeliveryFormat, variation = 0): Promise<StoredFile> {
    const record = await this.get(owner, id);
    checkVariation(record, variation);
    const existing = record.files.find((f) => f.format === format && (f.variation ?? 0) === variation);
    if (existing) return existing;
    if (record.status !== 'done') {
      throw new InvalidInputError(`composition '${id}' is ${record.status}; files can be made once it is done`, { status: record.status });
    }
    const key = `${id}:${format}:${variation}`;
    let pending = this.rendering.get(key);
    if (!pending) {
      const render = () => {
        this.onDemand.counted(format);
        return this.makeFile(record, format, variation);
      };
      pending = this.onDemand.gate.run(owner.id, render).finally(() => this.rendering.delete(key));
      this.rendering.set(key, pending);
    }
    const file = await pending;
    const latest = await this.store.compositions.get(id);
    if (latest && !latest.files.some((f) => f.fileId === file.fileId)) {
      await this.store.compositions.update(id, { files: [...latest.files, file] });
    }
    return file;
  }

  /**
   * Renders a variation's MIDI to audio or draws its piano roll, and stores the result under `put`'s
   * key: the job's, or on demand one of the MIDI file (an id only its owner sees), so that servers
   * rendering it at once write one file.
   */
  private async makeFile(record: CompositionRecord, format: DeliveryFormat, variation: number, put?: PutOptions): Promise<StoredFile> {
    const midiFile = record.files.find((f) => f.format === 'midi' && (f.variation ?? 0) === variation);
    const stored = midiFile ? await this.store.files.get(midiFile.fileId) : null;
    if (!stored || !midiFile) throw new NotFoundError('MIDI file of composition', record.id, 'compose it again');
    const storedAs = put ?? { key: `render:${midiFile.fileId}:${format}` };
    // The MIDI file lines up with the user's source; audio and pictures start where the music does.
    const midi = { data: midiFrom(stored.data, (record.melody as Melody).offset ?? 0) };
    const started = Date.now();
    const name = `composition-${record.id}${variation > 0 ? `-${variation + 1}` : ''}`;
    if (isAudioFormat(format)) {
      const audio = await this.renderer.renderAudio(midi.data, format, { title: record.input.summary });
      const info = await this.store.files.put(audio.data, { filename: `${name}.${format}`, contentType: audio.contentType }, storedAs);
      this.log.info({ composition: record.id, format, variation, ms: Date.now() - started, seconds: audio.durationSeconds }, 'rendered');
      return { fileId: info.id, format, contentType: info.contentType, bytes: info.bytes, variation, durationSeconds: audio.durationSeconds };
    }
    const arrangement = arrangementFromMidi(midi.data);
    const bar = stepsPerBar((record.melody as Melody).timeSignature);
    const facts = [
      `model ${record.modelId}`, ...(record.key ? [`key ${record.key}`] : []), `seed ${record.seed}`,
      ...(record.variations > 1 ? [`variation ${variation + 1} of ${record.variations}`] : []),
    ];
    const firstBar = Math.floor(((record.melody as Melody).offset ?? 0) / bar) + 1;
    const svg = pianoRollSvg(arrangement, { title: record.input.summary, facts, firstBar });
    const data = format === 'svg' ? new TextEncoder().encode(svg) : (await this.renderer.png(svg)).data;
    const info = await this.store.files.put(data, { filename: `${name}.${format}`, contentType: format === 'svg' ? 'image/svg+xml' : 'image/png' }, storedAs);
    return { fileId: info.id, format, contentType: info.contentType, bytes: info.bytes, variation };
  }

  /** A composition of the caller's; NOT_FOUND otherwise (even when another key's: that it exists is theirs to know). */
  async get(owner: ApiKeyRecord, id: string): Promise<CompositionRecord> {
    const record = await this.store.compositions.get(id);
    if (!record || record.ownerId !== owner.id) throw new NotFoundError('composition', id);
    return record;
  }

  list(owner: ApiKeyRecord, page: PageRequest): Promise<Page<CompositionRecord>> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > 100) {
      throw new InvalidInputError(`first must be a whole number from 1 to 100, got ${page.first}`, { field: 'first' });
    }
    return this.store.compositions.listByOwner(owner.id, page);
  }

  async delete(owner: ApiKeyRecord, id: string): Promise<boolean> {
    const record = await this.get(owner, id);
    for (const f of record.files) await this.store.files.delete(f.fileId);
    return this.store.compositions.delete(record.id);
  }
}

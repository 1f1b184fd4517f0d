import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ChordSpan } from '../music/chord.js';
import { harmonise, harmoniserFromJson } from '../music/harmoniser.js';
import { harmoniseWithNet, netHarmoniserSchema } from '../music/net-harmoniser.js';
import type { Note } from '../music/melody.js';
import { ContinuoError, NotFoundError } from '../errors.js';
import { logger } from '../logger.js';
import { initBackend } from './backend.js';
import { disposeGenerator } from './generator-graph.js';
import { modelCardSchema, type ModelCard } from './model-card.js';
import { loadLayersModel } from './model-files.js';
import { rememberingChords } from './remembered-chords.js';

/**
 * Proposes chords for a melody (already in the model's key), on the melody's step grid. `keyKnown`:
 * the key the melody was moved by was written with it or given, not estimated, so the proposer does
 * not search for another.
 */
export interface ChordProposer {
  harmonise(melody: readonly Note[], steps: number, stepsPerBar: number, keyKnown?: boolean): ChordSpan[];
}

export interface LoadedModel {
  readonly card: ModelCard;
  readonly generator: tf.LayersModel;
  readonly dir: string;
  /** The model's harmoniser, for chord-conditioned models that ship one. */
  readonly harmoniser?: ChordProposer;
}

/** Reads and validates a model folder's card.json. */
export async function readCard(dir: string): Promise<ModelCard> {
  const raw = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')) as unknown;
  const parsed = modelCardSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContinuoError('INTERNAL', `${join(dir, 'card.json')}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** A model folder's harmoniser file, ready to propose chords. */
async function readHarmoniser(dir: string, file: string): Promise<ChordProposer> {
  try {
    const json = JSON.parse(await readFile(join(dir, file), 'utf8')) as { kind?: unknown };
    if (json.kind === 'mlp') {
      const parsed = netHarmoniserSchema.safeParse(json);
      if (!parsed.success) throw new Error(`Invalid harmoniser model: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(model)'}: ${i.message}`).join('; ')}`);
      const net = parsed.data;
      return rememberingChords({ harmonise: (melody, steps, stepsPerBar) => harmoniseWithNet(net, melody, steps, stepsPerBar) });
    }
    const model = harmoniserFromJson(json);
    return rememberingChords({ harmonise: (melody, steps, stepsPerBar, keyKnown) => harmonise(model, melody, steps, stepsPerBar, { keySearch: !keyKnown }) });
  } catch (error) {
    throw new ContinuoError('INTERNAL', `${join(dir, file)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  await initBackend();
  const card = await readCard(dir);
  const generator = await loadLayersModel(dir, 'model');
  const file = card.conditioning?.harmoniser;
  return { card, generator, dir, ...(file ? { harmoniser: await readHarmoniser(dir, file) } : {}) };
}

/** Model folders (card.json + model.json) directly under the roots, in name order, root by root. */
export async function modelFolders(...roots: string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    const entries = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    for (const name of entries) {
      const dir = join(root, name);
      if (existsSync(join(dir, 'card.json')) && existsSync(join(dir, 'model.json'))) dirs.push(dir);
    }
  }
  return dirs;
}

/** When a model folder's files last changed: a folder written again (retrained, recalibrated) differs. */
async function folderStamp(dir: string): Promise<string> {
  const [card, model] = await Promise.all([stat(join(dir, 'card.json')), stat(join(dir, 'model.json'))]);
  return `${card.mtimeMs}:${card.size}:${model.mtimeMs}:${model.size}`;
}

/** How often a serving process looks for model folders that appeared or changed (see `rescanEvery`). */
export const MODEL_RESCAN_MS = 10_000;

/** Every model folder under the roots, loaded once; a later root's model replaces an earlier one's with its id. */
export class ModelRegistry {
  private readonly models = new Map<string, LoadedModel>();
  /** The stamp of each folder as last loaded (or as last failed to load, so a broken one is reported once). */
  private readonly stamps = new Map<string, string>();
  private readonly listeners = new Set<(model: LoadedModel) => void>();
  private roots: readonly string[] = [];
  private scanning: Promise<string[]> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly log = logger.child({ module: 'registry' });

  private constructor() {}

  static async load(...roots: string[]): Promise<ModelRegistry> {
    const registry = new ModelRegistry();
    registry.roots = roots;
    for (const dir of await modelFolders(...roots)) {
      const started = Date.now();
      const model = await registry.add(dir);
      registry.log.info({ model: model.card.id, ms: Date.now() - started }, 'model loaded');
    }
    return registry;
  }

  /** Loads a model folder (e.g. one just trained) into the registry, replacing one with its id. */
  async add(dir: string): Promise<LoadedModel> {
    const stamp = await folderStamp(dir).catch(() => undefined);
    const model = await loadModel(dir);
    const replaced = this.models.get(model.card.id);
    if (replaced) disposeGenerator(replaced.generator);
    this.models.set(model.card.id, model);
    if (stamp) this.stamps.set(dir, stamp);
    for (const listener of this.listeners) listener(model);
    return model;
  }

  /**
   * Loads a model folder unless it is loaded already as its files are now: a trained model that the
   * process which trained it has added, and whose 'done' event arrives after, loads once.
   */
  async addIfChanged(dir: string): Promise<LoadedModel> {
    const stamp = await folderStamp(dir).catch(() => undefined);
    const loaded = this.list().find((m) => m.dir === dir);
    return loaded && stamp && this.stamps.get(dir) === stamp ? loaded : this.add(dir);
  }

  /** Called with each model loaded or reloaded from now on (the inference pool passes them to its threads). */
  onLoad(listener: (model: LoadedModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Loads the model folders that appeared under the roots, or whose card or network changed, since
   * they were last loaded (a model trained by `continuo train` beside a running server); returns their
   * ids. A folder that cannot be loaded is logged and tried again once it changes. A model keeps its
   * place when a folder of the same id under an earlier root changes, as at start-up.
   */
  rescan(): Promise<string[]> {
    this.scanning ??= this.scan().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private async scan(): Promise<string[]> {
    const loaded: string[] = [];
    const rank = (dir: string) => this.roots.findIndex((root) => dir.startsWith(join(root, '/')));
    for (const dir of await modelFolders(...this.roots)) {
      if (this.disposed) break;
      const stamp = await folderStamp(dir).catch(() => undefined);
      if (!stamp || this.stamps.get(dir) === stamp) continue;
      try {
        const card = await readCard(dir);
        const current = this.models.get(card.id);
        if (current && current.dir !== dir && rank(current.dir) > rank(dir)) {
          this.stamps.set(dir, stamp);
          continue;
        }
        const started = Date.now();
        const model = await this.add(dir);
        loaded.push(model.card.id);
        this.log.info({ model: model.card.id, dir, ms: Date.now() - started }, current ? 'model reloaded' : 'new model loaded');
      } catch (err) {
        this.stamps.set(dir, stamp);
        this.log.warn({ err, dir }, 'a model folder could not be loaded; it is tried again when it changes');
      }
    }
    return loaded;
  }

  /** Rescans every `ms` until `dispose()`, without keeping the process alive. */
  rescanEvery(ms = MODEL_RESCAN_MS): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.rescan(), ms);
    this.timer.unref();
  }

  list(): LoadedModel[] {
    return [...this.models.values()];
  }

  ids(): string[] {
    return [...this.models.keys()];
  }

  get(id: string): LoadedModel {
    const model = this.models.get(id);
    if (!model) throw new NotFoundError('model', id, `available models: ${this.ids().join(', ') || 'none'}`);
    return model;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.listeners.clear();
    for (const m of this.models.values()) disposeGenerator(m.generator);
    this.models.clear();
  }
}

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ChordSpan } from '../music/chord.js';
import { harmonise, harmoniserFromJson, type HarmoniserModel } from '../music/harmoniser.js';
import type { Note } from '../music/melody.js';
import { ContinuoError, NotFoundError } from '../errors.js';
import { logger } from '../logger.js';
import { initBackend } from './backend.js';
import { modelCardSchema, type ModelCard } from './model-card.js';
import { loadLayersModel } from './model-files.js';

/** Proposes chords for a melody (already in the model's key), on the melody's step grid. */
export interface ChordProposer {
  harmonise(melody: readonly Note[], steps: number, stepsPerBar: number): ChordSpan[];
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
  let model: HarmoniserModel;
  try {
    model = harmoniserFromJson(JSON.parse(await readFile(join(dir, file), 'utf8')));
  } catch (error) {
    throw new ContinuoError('INTERNAL', `${join(dir, file)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { harmonise: (melody, steps, stepsPerBar) => harmonise(model, melody, steps, stepsPerBar) };
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

/** Every model folder under the roots, loaded once; a later root's model replaces an earlier one's with its id. */
export class ModelRegistry {
  private readonly models = new Map<string, LoadedModel>();

  private constructor() {}

  static async load(...roots: string[]): Promise<ModelRegistry> {
    const registry = new ModelRegistry();
    const log = logger.child({ module: 'registry' });
    for (const dir of await modelFolders(...roots)) {
      const started = Date.now();
      const model = await registry.add(dir);
      log.info({ model: model.card.id, ms: Date.now() - started }, 'model loaded');
    }
    return registry;
  }

  /** Loads a model folder (e.g. one just trained) into the registry, replacing one with its id. */
  async add(dir: string): Promise<LoadedModel> {
    const model = await loadModel(dir);
    this.models.get(model.card.id)?.generator.dispose();
    this.models.set(model.card.id, model);
    return model;
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
    for (const m of this.models.values()) m.generator.dispose();
    this.models.clear();
  }
}

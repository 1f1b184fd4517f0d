import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { ContinuoError, NotFoundError } from '../errors.js';
import { logger } from '../logger.js';
import { initBackend } from './backend.js';
import { modelCardSchema, type ModelCard } from './model-card.js';
import { loadLayersModel } from './model-files.js';

export interface LoadedModel {
  readonly card: ModelCard;
  readonly generator: tf.LayersModel;
  readonly dir: string;
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

export async function loadModel(dir: string): Promise<LoadedModel> {
  await initBackend();
  const card = await readCard(dir);
  const generator = await loadLayersModel(dir, 'model');
  return { card, generator, dir };
}

/** Every model folder (card.json + model.json) under a directory, loaded once. */
export class ModelRegistry {
  private readonly models = new Map<string, LoadedModel>();

  private constructor(readonly root: string) {}

  static async load(root: string): Promise<ModelRegistry> {
    const registry = new ModelRegistry(root);
    const log = logger.child({ module: 'registry' });
    const entries = existsSync(root) ? await readdir(root, { withFileTypes: true }) : [];
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = join(root, entry.name);
      if (!existsSync(join(dir, 'card.json')) || !existsSync(join(dir, 'model.json'))) continue;
      const started = Date.now();
      const model = await loadModel(dir);
      registry.models.set(model.card.id, model);
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

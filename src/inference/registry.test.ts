import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untrainedModel } from '../../test/helpers/tiny-model.js';
import type { ModelCard } from './model-card.js';
import { saveLayersModel } from './model-files.js';
import { ModelRegistry } from './registry.js';

/** A model folder as `continuo train` leaves it: the network, then its card. */
async function writeModelFolder(dir: string, card: Partial<ModelCard>): Promise<void> {
  const model = await untrainedModel(card);
  try {
    await mkdir(dir, { recursive: true });
    await saveLayersModel(model.generator, dir, 'model');
    await writeFile(join(dir, 'card.json'), `${JSON.stringify(model.card, null, 2)}\n`);
  } finally {
    model.generator.dispose();
  }
}

describe('ModelRegistry.rescan: models trained while a server runs', () => {
  let root: string;
  let shipped: string;
  let user: string;
  let registry: ModelRegistry;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuo-registry-'));
    shipped = join(root, 'models');
    user = join(root, 'data', 'models');
    await writeModelFolder(join(shipped, 'pop'), { id: 'pop', name: 'Pop' });
    registry = await ModelRegistry.load(shipped, user); // the user folder does not exist yet
  });

  afterAll(async () => {
    registry?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('finds nothing new when nothing changed', async () => {
    expect(registry.ids()).toEqual(['pop']);
    expect(await registry.rescan()).toEqual([]);
  });

  it('loads a model folder that appeared, and one that was written again', async () => {
    await writeModelFolder(join(user, 'my-band'), { id: 'my-band', name: 'My band' });
    expect(await registry.rescan()).toEqual(['my-band']);
    expect(registry.get('my-band').card.name).toBe('My band');
    expect(await registry.rescan()).toEqual([]);

    const tensors = tf.memory().numTensors;
    await writeModelFolder(join(user, 'my-band'), { id: 'my-band', name: 'My band, retrained' });
    expect(await registry.rescan()).toEqual(['my-band']);
    expect(registry.get('my-band').card.name).toBe('My band, retrained');
    expect(tf.memory().numTensors).toBe(tensors); // the replaced network was disposed
  });

  it("keeps a user's model over a shipped one of the same id, as at start-up", async () => {
    await writeModelFolder(join(user, 'pop'), { id: 'pop', name: 'My pop' });
    expect(await registry.rescan()).toEqual(['pop']);
    await writeModelFolder(join(shipped, 'pop'), { id: 'pop', name: 'Pop, updated' });
    expect(await registry.rescan()).toEqual([]);
    expect(registry.get('pop').card.name).toBe('My pop');
  });

  it('skips a folder it cannot load until it changes', async () => {
    const dir = join(user, 'half-written');
    await writeModelFolder(dir, { id: 'half-written' });
    await writeFile(join(dir, 'card.json'), '{"id": "half-wr');
    expect(await registry.rescan()).toEqual([]);
    expect(await registry.rescan()).toEqual([]);
    await writeModelFolder(dir, { id: 'half-written' });
    expect(await registry.rescan()).toEqual(['half-written']);
  });
});

describe('ModelRegistry: models as they load', () => {
  let root: string;
  let registry: ModelRegistry;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'continuo-registry-'));
    registry = await ModelRegistry.load(root);
  });

  afterAll(async () => {
    registry?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('tells listeners of every model loaded or reloaded, and loads a folder once until it changes', async () => {
    const loaded: string[] = [];
    const stop = registry.onLoad((model) => loaded.push(model.card.name));
    const dir = join(root, 'trained');
    await writeModelFolder(dir, { id: 'trained', name: 'Trained' });
    const first = await registry.add(dir);
    expect(await registry.addIfChanged(dir)).toBe(first); // the 'done' event of a run this process loaded already
    await writeModelFolder(dir, { id: 'trained', name: 'Trained again' });
    expect((await registry.addIfChanged(dir)).card.name).toBe('Trained again');
    stop();
    await registry.add(dir);
    expect(loaded).toEqual(['Trained', 'Trained again']);
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '../../src/inference/backend.js';
import type { ModelCard } from '../../src/inference/model-card.js';
import { saveLayersModel } from '../../src/inference/model-files.js';
import { buildGenerator, type NetworkSpec } from '../../src/inference/networks.js';
import type { LoadedModel } from '../../src/inference/registry.js';

/**
 * An untrained (random-weight) four-track model for testing the compose machinery: windowing,
 * batching, seeds, decoding and tensor hygiene. Never shipped, never presented as trained.
 */
export async function untrainedModel(overrides: Partial<ModelCard> = {}): Promise<LoadedModel> {
  await initBackend('wasm');
  const network: NetworkSpec = { steps: 32, pitches: 64, tracks: 4, filters: 2, noiseChannels: 16 };
  const card: ModelCard = {
    id: 'untrained',
    name: 'Untrained test model',
    genre: 'test',
    description: 'random weights',
    tracks: [
      { name: 'Lead', program: 0, isDrum: false, role: 'melody', monophonic: true },
      { name: 'A', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
      { name: 'B', program: 19, isDrum: false, role: 'accompaniment', monophonic: false },
      { name: 'C', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
    ],
    pitchLow: 28,
    pitchCount: 64,
    stepsPerBar: 16,
    barsPerWindow: 2,
    timeSignature: { numerator: 4, denominator: 4 },
    tempoDefault: 100,
    melodyRange: { low: 60, high: 81 },
    network,
    threshold: 0,
    training: { dataset: 'none', split: 'none', windows: 0, iterations: 0, hyperParameters: {}, seconds: 0, backend: 'wasm' },
    ...overrides,
  };
  return { card, generator: buildGenerator(network), dir: '' };
}

/**
 * An untrained model as a folder under `modelsDir` (card and weights), for servers and workers started
 * as child processes with CONTINUO_MODELS_DIR: loads in a moment, composes in milliseconds.
 */
export async function writeUntrainedModel(modelsDir: string, overrides: Partial<ModelCard> = {}): Promise<ModelCard> {
  const { card, generator } = await untrainedModel(overrides);
  const dir = join(modelsDir, card.id);
  await mkdir(dir, { recursive: true });
  try {
    await saveLayersModel(generator, dir, 'model');
  } finally {
    generator.dispose();
  }
  await writeFile(join(dir, 'card.json'), JSON.stringify(card, null, 2));
  return card;
}

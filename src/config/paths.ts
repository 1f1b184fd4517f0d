import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the folder with package.json), from source or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the running code');
    dir = parent;
  }
  return dir;
}

/** The models shipped in the package, `models/` (CONTINUO_MODELS_DIR names another folder). */
export function shippedModelsDir(): string {
  return join(packageRoot(), 'models');
}

/**
 * Where models trained by users go (`continuo train`, the trainModel mutation): `<DATA_DIR>/models`.
 * Servers load them after the shipped ones, so a model here replaces a shipped one of its id.
 */
export function userModelsDir(dataDir: string): string {
  return join(dataDir, 'models');
}

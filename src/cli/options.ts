import { InvalidArgumentError } from 'commander';
import type { Config } from '../config/config.js';
import { userModelsDir } from '../config/paths.js';

export function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`'${value}' is not a number`);
  return n;
}

export const MODELS_DIR_HELP = 'folder of model folders (default: the shipped models, then the ones trained into DATA_DIR/models)';

/** The folders to load models from: the one given, else the shipped models and the users' (as a server does). */
export function modelRoots(dir: string | undefined, config: Pick<Config, 'modelsDir' | 'dataDir'>): string[] {
  return dir ? [dir] : [config.modelsDir, userModelsDir(config.dataDir)];
}

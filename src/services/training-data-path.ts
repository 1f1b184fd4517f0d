import { lstat, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ContinuoError, InvalidInputError } from '../errors.js';
import { DATASET_HELP, DATASET_KINDS } from '../training/datasets/index.js';

/** Entries a data set's folder may hold for the symlink check (POP909 has about 4,000). */
const MAX_ENTRIES = 200_000;

/** True when `path` is `root` or below it: `..foo` is a name like any other, `../foo` is outside. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

const outside = (path: string) =>
  new InvalidInputError(`data set path '${path}' must name a file or folder inside the server's training-data folder (links out of it are not followed)`, { field: 'dataset' });

/**
 * A path of a training-data request, resolved inside the training-data folder: refused when it
 * leaves the folder by `..`, or by a symbolic link anywhere in it or below it (a data set's loader
 * reads every file of a folder).
 */
export async function trainingDataPath(root: string, path: string): Promise<string> {
  const full = resolve(root, path);
  if (!path || !isInside(root, full)) throw outside(path);
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(full);
  } catch {
    throw new InvalidInputError(`data set '${path}' does not exist in the training-data folder`, { field: 'dataset' });
  }
  if (!isInside(realRoot, real)) throw outside(path);
  let entries = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if ((entries += 1) > MAX_ENTRIES) throw new InvalidInputError(`data set '${path}' holds more than ${MAX_ENTRIES} files; split it`, { field: 'dataset' });
      const at = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = await realpath(at).catch(() => null);
        if (!target || !isInside(realRoot, target)) throw outside(path);
        if ((await lstat(target)).isDirectory()) await walk(target);
      } else if (entry.isDirectory()) await walk(at);
    }
  };
  if ((await lstat(real)).isDirectory()) await walk(real);
  return full;
}

/** Checks the kind of a `kind:path` data set at request time, so that a typo does not fail in the job. */
export function checkDatasetKind(kind: string): void {
  if (!(DATASET_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidInputError(`data set kind '${kind}' is not known; use ${DATASET_HELP}`, { field: 'dataset' });
  }
}

/** A job's error without the server's folders in it (a loader's message names the files it read). */
export function withoutServerPaths(error: unknown, dirs: Record<string, string>): unknown {
  if (!(error instanceof ContinuoError)) return error;
  let message = error.message;
  for (const [name, dir] of Object.entries(dirs)) message = message.split(dir).join(name);
  return message === error.message ? error : new ContinuoError(error.code, message, error.details);
}

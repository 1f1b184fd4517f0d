import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ContinuoError, UnavailableError } from '../../errors.js';
import { isNotFound } from './durable-file.js';

const LOCK_FILE = '.lock';

/** Directories this process has open: a second store on one of them would interleave its logs. */
const heldHere = new Set<string>();

/**
 * One embedded store per data directory: two processes appending to the same logs would corrupt them.
 * The lock file holds the owner's pid; a lock whose process is gone (a crash) is taken over.
 */
export class DirectoryLock {
  private released = false;

  private constructor(
    readonly dir: string,
    private readonly path: string,
  ) {}

  static async acquire(dir: string): Promise<DirectoryLock> {
    if (heldHere.has(dir)) {
      throw new ContinuoError('INTERNAL', `the data directory ${dir} is already open in this process; close that store first`, { dir });
    }
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const handle = await open(path, 'wx');
        try {
          await handle.writeFile(String(process.pid));
        } finally {
          await handle.close();
        }
        heldHere.add(dir);
        return new DirectoryLock(dir, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await lockOwner(path);
      if (owner !== null && owner !== process.pid && isRunning(owner)) {
        // Busy, not broken: another Continuo (a running server) holds it, and will let go when it stops.
        throw new UnavailableError(
          `the data directory ${dir} is in use by process ${owner}; stop it, or use another data directory (if no Continuo process uses it, delete ${path})`,
          { dir, pid: owner },
        );
      }
      // Left by a process that has stopped (or by this pid before a restart): take it over.
      await rm(path, { force: true });
    }
    throw new UnavailableError(`could not lock the data directory ${dir}: other processes keep taking it; try again`, { dir });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.dir);
    await rm(this.path, { force: true });
  }
}

async function lockOwner(path: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await readFile(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

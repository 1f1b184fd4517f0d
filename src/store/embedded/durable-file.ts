import { open, rename } from 'node:fs/promises';

/**
 * Makes renames and new or removed names in `dir` survive a power cut (POSIX needs the directory
 * itself synced). Windows cannot open a directory; there the rename is as durable as it gets.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Directory syncs shared by the changes made meanwhile (group commit): a call resolves once a sync
 * that began after it has finished, and calls that arrive while one runs share the next one. Sixteen
 * files stored at once then cost two syncs, not sixteen.
 */
export class SharedDirectorySync {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    private readonly syncOnce: (dir: string) => Promise<void> = syncDirectory,
  ) {}

  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.syncOnce(this.dir).finally(() => (this.running = null));
      return this.running;
    }
    // The one under way may have begun before this caller's rename: wait for the next.
    this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = null;
      return this.sync();
    });
    return this.next;
  }
}

/**
 * Replaces `path` all at once: readers and a restart after a crash see the old content or the new,
 * never part of it. The caller syncs the directory (once for several files).
 */
export async function writeFileAtomically(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const temporary = `${path}.tmp`;
  // Owner only: records hold webhook URLs (credentials) and tokens' hashes.
  const handle = await open(temporary, 'w', 0o600);
  try {
    for (const chunk of chunks) await handle.writeFile(chunk);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

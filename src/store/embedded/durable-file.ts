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

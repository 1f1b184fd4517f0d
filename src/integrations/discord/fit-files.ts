import type { DiscordFile } from './discord-file.js';

export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;
export const MAX_FILES_PER_MESSAGE = 10;

export interface FittedFiles {
  readonly files: DiscordFile[];
  readonly dropped: DiscordFile[];
}

/** Keeps the files under the per-file limit and the total limit, dropping the largest first. */
export function fitFiles(files: readonly DiscordFile[], perFileLimit = DEFAULT_ATTACHMENT_LIMIT, totalLimit = Infinity): FittedFiles {
  const kept = files.filter((f) => f.data.byteLength <= perFileLimit).slice(0, MAX_FILES_PER_MESSAGE);
  const dropped = files.filter((f) => !kept.includes(f));
  const total = () => kept.reduce((n, f) => n + f.data.byteLength, 0);
  while (kept.length && total() > totalLimit) {
    const largest = kept.reduce((a, b) => (b.data.byteLength > a.data.byteLength ? b : a));
    kept.splice(kept.indexOf(largest), 1);
    dropped.push(largest);
  }
  return { files: kept, dropped };
}

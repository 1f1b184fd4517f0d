import { ContinuoError, UnavailableError } from './errors.js';

const WHY: Record<string, string> = {
  EACCES: 'it is not writable for the server',
  EPERM: 'it is not writable for the server',
  EROFS: 'it is on a read-only disk',
  ENOSPC: 'its disk is full',
  EDQUOT: 'its disk quota is used up',
};

/**
 * A file-system error of the server's own storage as what a caller may see: the data folder cannot be
 * written, and why — never the server's paths (Node's messages name them). Other errors pass as they are.
 */
export function storageFailure(error: unknown): ContinuoError | undefined {
  if (error instanceof ContinuoError) return undefined;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const why = code ? WHY[code] : undefined;
  if (!why) return undefined;
  return new UnavailableError(`the server cannot write its data folder: ${why} (${code}); an operator must fix the disk (see /readyz), then try again`, { errno: code });
}

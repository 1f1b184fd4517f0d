import { ContinuoError } from './errors.js';
import { networkFailure } from './network-failure.js';
import { storageFailure } from './storage-failure.js';

/**
 * An error as a domain error that a caller may see: a ContinuoError as it is, a failure of the
 * server's own disk or of its network as UNAVAILABLE (without paths or hosts). Anything else is
 * undefined: a bug, to be logged in full and masked.
 */
export function knownFailure(error: unknown): ContinuoError | undefined {
  if (error instanceof ContinuoError) return error;
  return storageFailure(error) ?? networkFailure(error);
}

import { createHash, randomBytes } from 'node:crypto';

/** Ids end up in URLs and file names, and must not be guessable: 128 random bits, base64url. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** What `newId()` makes (and a little more); anything else is never a stored id. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The id of the file stored under an idempotency key (FileStorage.put): as long as `newId()`'s and
 * as hard to guess as the key, which the hash does not reveal.
 */
export function idForKey(key: string): string {
  return createHash('sha256').update(key).digest().subarray(0, 16).toString('base64url');
}

import { randomBytes } from 'node:crypto';

/** Ids end up in URLs and file names, and must not be guessable: 128 random bits, base64url. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** What `newId()` makes (and a little more); anything else is never a stored id. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

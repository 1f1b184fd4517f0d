import { InvalidInputError } from '../errors.js';

/** A file sent as base64 (standard or URL-safe, line breaks allowed); anything else names the field to fix. */
export function decodeBase64(value: string, field: string, details: Record<string, unknown> = {}): Uint8Array {
  const clean = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) {
    throw new InvalidInputError(`${field} is not base64; encode the .mid file with base64`, { field, ...details });
  }
  return Buffer.from(clean, 'base64');
}

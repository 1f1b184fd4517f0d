import { InvalidInputError } from '../errors.js';

let last = 0;

/**
 * The time for `createdAt`/`updatedAt`, as an ISO string that never repeats or goes back within a
 * process: records made in the same millisecond still sort newest first in creation order, and an
 * update right after a create still moves `updatedAt` on.
 */
export function nowIso(): string {
  last = Math.max(Date.now(), last + 1);
  return new Date(last).toISOString();
}

/** A time given to a query, in the stored form (ISO, UTC, milliseconds), so that strings compare as times. */
export function toStoredTime(value: string, name: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new InvalidInputError(`${name} must be an ISO date and time, e.g. 2025-01-31T12:00:00Z`, { [name]: value });
  }
  return time.toISOString();
}

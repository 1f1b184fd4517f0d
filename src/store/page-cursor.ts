import { InvalidInputError } from '../errors.js';
import type { Page, PageRequest } from './ports.js';

/** Where a page ended: pages are ordered by createdAt, then id, both descending. */
export interface PagePosition {
  readonly createdAt: string;
  readonly id: string;
}

export const MAX_PAGE_SIZE = 100;

/** Opaque to clients; the same for every adapter, so a cursor outlives a switch of database. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // The time must be one: adapters compare it as a time (a database refuses anything else).
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[0]))) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidInputError('the page cursor is not valid; pass the nextCursor of a previous page', { after: cursor });
}

/** Checks a page request once, for every adapter. */
export function readPageRequest(page: PageRequest): { first: number; after: PagePosition | null } {
  if (!Number.isInteger(page.first) || page.first < 1 || page.first > MAX_PAGE_SIZE) {
    throw new InvalidInputError(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}`, { first: page.first });
  }
  return { first: page.first, after: page.after ? decodeCursor(page.after) : null };
}

/** True when `record` comes after `position` in newest-first order. */
export function isAfter(record: PagePosition, position: PagePosition): boolean {
  return record.createdAt < position.createdAt || (record.createdAt === position.createdAt && record.id < position.id);
}

/** Builds a page from up to `first + 1` records in page order (the extra one says there is more). */
export function toPage<T extends PagePosition>(records: readonly T[], first: number, totalCount: number): Page<T> {
  const items = records.slice(0, first);
  const last = items.at(-1);
  return { items, nextCursor: records.length > first && last ? encodeCursor(last) : null, totalCount };
}

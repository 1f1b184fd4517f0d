import type { PagePosition } from '../page-cursor.js';
import { plainCopy } from '../plain-copy.js';
import { patchEntries } from '../record-patch.js';

/** Sorts matching src/store/record-order.ts (ties broken by id, as the embedded store does). */
export const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;
export const OLDEST_FIRST = { createdAt: 1, _id: 1 } as const;

/** The records after `position` in newest-first order (the rest of a paged list). */
export function afterPosition(position: PagePosition | null): Record<string, unknown> {
  if (!position) return {};
  return {
    $or: [{ createdAt: { $lt: position.createdAt } }, { createdAt: position.createdAt, _id: { $lt: position.id } }],
  };
}

/** A patch as an update: named fields set (a shallow merge), `undefined` ones removed, a new updatedAt. */
export function toUpdate(patch: object, updatedAt: string | null): { $set: Record<string, unknown>; $unset?: Record<string, ''> } {
  const { set, unset } = patchEntries(patch);
  const $set = plainCopy(set);
  if (updatedAt !== null) $set.updatedAt = updatedAt;
  return unset.length > 0 ? { $set, $unset: Object.fromEntries(unset.map((key) => [key, ''] as const)) } : { $set };
}

/** The database named in a connection string (`mongodb://host/name?…`), if any. */
export function databaseInUri(uri: string): string | null {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** The connection string without its password, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)([^@/]*)@/, (_, scheme: string, credentials: string) => `${scheme}${credentials.split(':')[0]}:***@`);
}

/** Identity and timestamps belong to the store; a patch never changes them. */
const STORE_FIELDS = new Set(['id', '_id', 'createdAt', 'updatedAt']);

export interface PatchEntries {
  /** Fields to set (values as plain JSON). */
  readonly set: Record<string, unknown>;
  /** Fields the patch names with `undefined`: they are removed (e.g. clearing `error` on a retry). */
  readonly unset: readonly string[];
}

/** Splits a patch into fields to set and fields to remove; top-level fields only (a shallow merge). */
export function patchEntries(patch: object): PatchEntries {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (STORE_FIELDS.has(key)) continue;
    if (value === undefined) unset.push(key);
    else set[key] = value;
  }
  return { set, unset };
}

/** The record after a patch, with a new `updatedAt` when the record has one. */
export function applyPatch<T extends object>(record: T, patch: object, updatedAt: string | null): T {
  const { set, unset } = patchEntries(patch);
  const next: Record<string, unknown> = { ...record, ...set };
  for (const key of unset) delete next[key];
  if (updatedAt !== null) next.updatedAt = updatedAt;
  return next as T;
}

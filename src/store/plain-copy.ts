/**
 * Records are plain JSON by contract (src/store/records.ts). Every adapter hands out and keeps a JSON
 * copy, so callers cannot change stored state through a returned object, `undefined` fields disappear
 * everywhere alike, and what a create returns is what a later get (or a restart) returns.
 */
export function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

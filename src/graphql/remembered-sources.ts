import { RecentlyUsed } from '../recently-used.js';

/** Sources remembered: a client sends the same few operations again and again. */
const REMEMBERED = 200;
/** Longer sources are checked each time, so that what is remembered stays small. */
const LONGEST = 10_000;

/**
 * What was worked out from a GraphQL source that passed the checks (its parse, its validation), by
 * operation name and text, the most recently used kept: the checks are pure functions of the two, so a
 * source sent again passes them again. Sources that fail are never remembered and fail afresh.
 */
export class RememberedSources<T> {
  private readonly entries: RecentlyUsed<string, T>;

  constructor(size = REMEMBERED) {
    this.entries = new RecentlyUsed(size);
  }

  get(source: string, operationName: string | null | undefined): T | undefined {
    return this.entries.get(keyOf(source, operationName));
  }

  set(source: string, operationName: string | null | undefined, value: T): void {
    if (source.length <= LONGEST) this.entries.set(keyOf(source, operationName), value);
  }
}

/** Unambiguous: the name's length first, and no name apart from an empty one. */
const keyOf = (source: string, operationName: string | null | undefined) =>
  `${operationName == null ? '-' : `${operationName.length}:${operationName}`}:${source}`;

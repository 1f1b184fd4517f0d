import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { QueryTooDeepError } from '../errors.js';

export interface DepthLimits {
  /** Nested field selections. */
  readonly depth: number;
  /** Fragments (spreads and inline fragments) nested inside one another. */
  readonly fragments: number;
}

/** How deep a selection set goes below where it is used: in fields, and in fragments. */
interface Reach {
  readonly depth: number;
  readonly fragments: number;
}

const NONE: Reach = { depth: 0, fragments: 0 };

/** The entry points of introspection. */
const INTROSPECTION: ReadonlySet<string> = new Set(['__schema', '__type']);

/**
 * Refuses an operation whose field selections or fragment nesting go past the limits. Each fragment is
 * measured once and its measure reused wherever it is spread, so the work is linear in the size of the
 * document (spreading a fragment twice, 22 times over, is no longer 2^22 walks); and the walk stops as
 * soon as a limit is passed, so its recursion is never deeper than the limits.
 */
export function checkQueryDepth(document: DocumentNode, operationName: string | null | undefined, limits: DepthLimits): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const measured = new Map<string, Reach>();
  const measuring = new Set<string>(); // a cycle (refused by validation) must not loop here

  const check = (at: Reach): void => {
    if (at.depth > limits.depth) {
      throw new QueryTooDeepError(`the query is more than ${limits.depth} levels deep; ask for fewer nested fields`, { limit: limits.depth });
    }
    if (at.fragments > limits.fragments) {
      throw new QueryTooDeepError(`the query nests fragments more than ${limits.fragments} levels deep; spread fewer fragments inside one another`, {
        limit: limits.fragments,
      });
    }
  };

  // `at` is where the set sits in the whole operation, for the early stop; the result is relative to it.
  const reach = (set: SelectionSetNode | undefined, at: Reach): Reach => {
    if (!set) return NONE;
    let depth = 0;
    let nested = 0;
    for (const s of set.selections) {
      // Introspection is left to graphql-js's MaxIntrospectionDepthRule (validation), which bounds the
      // nesting of its lists, the only thing that makes it costly; its long `ofType` chains would
      // otherwise refuse the standard introspection query that IDEs send (16 levels).
      if (s.kind === Kind.FIELD && INTROSPECTION.has(s.name.value)) continue;
      if (s.kind === Kind.FIELD) {
        const below = { depth: at.depth + 1, fragments: at.fragments };
        check(below);
        const inner = reach(s.selectionSet, below);
        depth = Math.max(depth, 1 + inner.depth);
        nested = Math.max(nested, inner.fragments);
      } else {
        const below = { depth: at.depth, fragments: at.fragments + 1 };
        check(below);
        const inner = s.kind === Kind.INLINE_FRAGMENT ? reach(s.selectionSet, below) : spread(s.name.value, below);
        check({ depth: at.depth + inner.depth, fragments: below.fragments + inner.fragments });
        depth = Math.max(depth, inner.depth);
        nested = Math.max(nested, 1 + inner.fragments);
      }
    }
    return { depth, fragments: nested };
  };

  const spread = (name: string, at: Reach): Reach => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return NONE;
    measuring.add(name);
    const result = reach(fragment.selectionSet, at);
    measuring.delete(name);
    measured.set(name, result);
    return result;
  };

  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName)) reach(d.selectionSet, NONE);
  }
}

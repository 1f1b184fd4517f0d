import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';

/**
 * Costs beyond one per field (the default), read by the complexity limit (MAX_QUERY_COMPLEXITY, 500)
 * from the fields' `complexity` option. A file rendered on demand takes seconds and hundreds of MB, so
 * `audio` and `pianoRoll` cost 50: ten in one operation are over the limit (and one key's renders wait their turn, src/services/render-gate.ts).
 */
export const RENDER_COMPLEXITY = 50;

/**
 * A page of compositions costs what one of its nodes costs once per 10 it may hold (`first`, default
 * 20): `compositions(first: 100) { nodes { audio(format: WAV) { url } } }` costs over 1,000, a page of
 * plain fields stays cheap.
 */
export function pageComplexity({ args, childComplexity }: ComplexityEstimatorArgs): number {
  // Out of 1–100, `first` is refused by the resolver with a message that says so; it costs what 100 would.
  const first = typeof args.first === 'number' && Number.isFinite(args.first) ? Math.min(100, Math.max(1, args.first)) : 20;
  return 1 + childComplexity * Math.ceil(first / 10);
}

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** Depth of the deepest field selection of an operation, following fragments. */
export function queryDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) max = Math.max(max, s.selectionSet ? 1 + depthOf(s.selectionSet, seen) : 1);
      else if (s.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(s.selectionSet, seen));
      else if (!seen.has(s.name.value)) max = Math.max(max, depthOf(fragments.get(s.name.value)?.selectionSet, new Set([...seen, s.name.value])));
    }
    return max;
  };
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
  return Math.max(0, ...ops.map((op) => (op.kind === Kind.OPERATION_DEFINITION ? depthOf(op.selectionSet, new Set()) : 0)));
}

/** Refuses operations deeper or more complex (fields × list sizes) than the limits. */
export function queryLimits(schema: GraphQLSchema, limits: { depth: number; complexity: number }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const depth = queryDepth(document, request.operationName);
          if (depth > limits.depth) {
            throw new GraphQLError(`the query is ${depth} levels deep; the limit is ${limits.depth} — ask for fewer nested fields`, {
              extensions: { code: 'QUERY_TOO_DEEP', depth, limit: limits.depth, http: { status: 400 } },
            });
          }
          const complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > limits.complexity) {
            throw new GraphQLError(`the query's complexity is ${complexity}; the limit is ${limits.complexity} — ask for fewer fields or smaller pages`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', complexity, limit: limits.complexity, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

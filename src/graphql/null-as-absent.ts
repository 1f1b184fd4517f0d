import { getNullableType, isInputObjectType, isListType, type GraphQLArgument, type GraphQLInputField, type GraphQLInputType } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';

type Definition = GraphQLArgument | GraphQLInputField;

/** `value` with every explicit null of an optional argument or input field replaced by its default, or dropped. */
function withoutNulls(values: Record<string, unknown>, definitions: readonly Definition[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const definition of definitions) {
    if (!(definition.name in values)) continue;
    const value = values[definition.name];
    if (value === null) {
      if (definition.defaultValue !== undefined) out[definition.name] = definition.defaultValue;
      continue;
    }
    out[definition.name] = nested(value, definition.type);
  }
  return out;
}

function nested(value: unknown, type: GraphQLInputType): unknown {
  const inner = getNullableType(type);
  if (isListType(inner) && Array.isArray(value)) return value.map((item: unknown) => (item === null ? item : nested(item, inner.ofType)));
  if (isInputObjectType(inner) && typeof value === 'object' && value !== null) {
    return withoutNulls(value as Record<string, unknown>, Object.values(inner.getFields()));
  }
  return value;
}

/**
 * An explicit `null` for an optional argument or input field means "not given": a client that sends
 * `threshold: null` gets the default, not "threshold must be from -1 to 1, got null". Runs before
 * type-graphql turns the arguments into input objects.
 */
export const nullAsAbsent: MiddlewareFn = ({ args, info }, next) => {
  const definitions = info.parentType.getFields()[info.fieldName]?.args ?? [];
  if (definitions.length) {
    const cleaned = withoutNulls(args, definitions);
    for (const name of Object.keys(args)) delete args[name];
    Object.assign(args, cleaned);
  }
  return next();
};

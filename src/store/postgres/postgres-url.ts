/** The connection string without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/)([^:@/?]*):[^@/?]*@/, '$1$2:***@');
}

/** A schema name Continuo may put in a search path as it is: lower-case letters, digits and _. */
export const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** What an error from the driver or the network says (connection failures may come as an AggregateError with no message). */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(describeError).join('; ');
  if (error instanceof Error) return error.message || ((error as NodeJS.ErrnoException).code ?? error.name);
  return String(error);
}

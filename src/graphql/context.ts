import { UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import type { ApiKeyRecord } from '../store/records.js';

export interface Context {
  readonly services: Services;
  /** The caller's key; null when the request carried none (public queries still work). */
  readonly key: ApiKeyRecord | null;
  readonly log: Logger;
  /** Ends with the request or WebSocket subscription. */
  readonly signal?: AbortSignal;
}

export function requireKey(ctx: Context): ApiKeyRecord {
  if (!ctx.key) throw new UnauthenticatedError('an API key is required: send "Authorization: Bearer <key>" (create one with `continuo keys create`)');
  return ctx.key;
}

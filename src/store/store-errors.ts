import { ContinuoError } from '../errors.js';

/** A record with the same unique key (model id, API key secret) is already stored. */
export class DuplicateRecordError extends ContinuoError {
  constructor(what: string, key: string, value?: string) {
    super('BAD_USER_INPUT', `${what} with this ${key}${value ? ` ('${value}')` : ''} already exists; choose another ${key}`, { what, key });
  }
}

/** The store was used after `close()` or after its storage failed. */
export class StoreUnavailableError extends ContinuoError {
  constructor(reason: string, cause?: unknown) {
    super('INTERNAL', `the store is unavailable: ${reason}`, cause instanceof Error ? { cause: cause.message } : {});
  }
}

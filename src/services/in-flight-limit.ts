import { RateLimitedError } from '../errors.js';
import type { CompositionRepository } from '../store/ports.js';

/** Compositions one key may have queued or running at once (MAX_JOBS_IN_FLIGHT_PER_KEY). */
export const DEFAULT_IN_FLIGHT_PER_KEY = 20;
/** What a refused caller is told to wait: about what a few compositions take on a busy queue. */
const RETRY_AFTER_S = 30;

/**
 * Jobs in flight per key, so that one key cannot fill the queue for everyone (2,000 queued with eight
 * requests made the next user wait 17.6 s). Counted from the key's compositions that are queued or
 * running; one key's count and the write of its new record take turns, so that a burst (or aliases
 * in one operation) cannot all pass the same count.
 */
export class InFlightLimit {
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(private readonly limit: number = DEFAULT_IN_FLIGHT_PER_KEY) {}

  /** Runs `create` (the record's write) if the key is under its limit; RATE_LIMITED otherwise. */
  admit<T>(compositions: CompositionRepository, ownerId: string, create: () => Promise<T>): Promise<T> {
    const previous = this.turns.get(ownerId) ?? Promise.resolve();
    const turn = previous.then(async () => {
      const inFlight = await compositions.countByOwnerInStatus(ownerId, ['queued', 'running']);
      if (inFlight >= this.limit) {
        throw new RateLimitedError(
          `this key has ${inFlight} compositions queued or running; the limit is ${this.limit} at a time — wait for some to finish (follow them with compositionUpdated), then try again in ${RETRY_AFTER_S} s`,
          RETRY_AFTER_S,
        );
      }
      return create();
    });
    const settled = turn.catch(() => undefined);
    this.turns.set(ownerId, settled);
    void settled.then(() => {
      if (this.turns.get(ownerId) === settled) this.turns.delete(ownerId);
    });
    return turn;
  }
}

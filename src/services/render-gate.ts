import { RateLimitedError } from '../errors.js';

/** Renders on demand (audio, piano rolls) running at once for one key, and on the whole server. */
export const RENDERS_PER_KEY = 1;
export const RENDERS_PER_SERVER = 2;
/** Renders of one key that may wait for its slot (an operation may hold up to four render fields). */
export const RENDERS_WAITING_PER_KEY = 3;
/** What a refused caller is told to wait: about what one render of a 32-bar piece takes. */
const RETRY_AFTER_S = 10;

/** A counter of slots with a FIFO of waiters. */
class Slots {
  private used = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly size: number) {}

  get load(): number {
    return this.used + this.waiters.length;
  }

  async acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next(); // the slot passes on
    else this.used -= 1;
  }
}

/**
 * Bounds the renders a request starts inside itself (`audio(format)`, `pianoRoll`): they take seconds
 * and hundreds of MB each, and aliases or a page of compositions would start many at once. One key's
 * renders run one at a time, a few more wait their turn, and past that a new one is RATE_LIMITED with a
 * retry hint; the server runs a bounded number at once. A render already under way for the same file
 * is shared and takes no slot (CompositionService). Formats asked for in `compose` render in the job,
 * on the queue and under the quota, and are not counted here. (The complexity limit caps render
 * fields per operation: src/graphql/complexity.ts.)
 */
export class RenderGate {
  private readonly perKey = new Map<string, Slots>();
  private readonly server: Slots;

  constructor(private readonly limits: { perKey: number; waitingPerKey: number; total: number } = { perKey: RENDERS_PER_KEY, waitingPerKey: RENDERS_WAITING_PER_KEY, total: RENDERS_PER_SERVER }) {
    this.server = new Slots(limits.total);
  }

  /** Runs `render` in one of `keyId`'s slots once one is free, or refuses at once when too many wait. */
  async run<T>(keyId: string, render: () => Promise<T>): Promise<T> {
    let mine = this.perKey.get(keyId);
    if (!mine) this.perKey.set(keyId, (mine = new Slots(this.limits.perKey)));
    if (mine.load >= this.limits.perKey + this.limits.waitingPerKey) {
      throw new RateLimitedError(
        `${mine.load} files of yours are being rendered or waiting; this server renders ${this.limits.perKey} at a time per key — ask again in ${RETRY_AFTER_S} s, or ask for formats in compose(formats:) to have them made in the job`,
        RETRY_AFTER_S,
      );
    }
    await mine.acquire();
    try {
      await this.server.acquire();
      try {
        return await render();
      } finally {
        this.server.release();
      }
    } finally {
      mine.release();
      if (mine.load === 0) this.perKey.delete(keyId);
    }
  }
}

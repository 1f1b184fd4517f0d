import { randomBytes } from 'node:crypto';
import type { BotComposeRequest } from './bot-composer.js';

export const TAKE_PREFIX = 'take:';
export const TAKE_REF_PREFIX = 'take#';
export const PUBLISH_PREFIX = 'publish:';
const MAX_CUSTOM_ID = 100;
const MAX_KEPT = 500;

/**
 * Button custom ids for "Another take": the request itself when it fits in 100 characters, else a short
 * key into a small in-memory map (oldest entries dropped; a restart forgets them).
 */
export class TakeIds {
  private readonly kept = new Map<string, BotComposeRequest>();

  encode(req: BotComposeRequest): string {
    const inline = TAKE_PREFIX + JSON.stringify(req);
    if (inline.length <= MAX_CUSTOM_ID) return inline;
    const key = randomBytes(8).toString('base64url');
    this.kept.set(key, req);
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value as string);
    return TAKE_REF_PREFIX + key;
  }

  decode(customId: string): BotComposeRequest | undefined {
    if (customId.startsWith(TAKE_REF_PREFIX)) return this.kept.get(customId.slice(TAKE_REF_PREFIX.length));
    if (!customId.startsWith(TAKE_PREFIX)) return undefined;
    try {
      return JSON.parse(customId.slice(TAKE_PREFIX.length)) as BotComposeRequest;
    } catch {
      return undefined;
    }
  }
}

export function newSeed(previous?: number): number {
  let seed = Math.floor(Math.random() * 2 ** 31);
  if (seed === previous) seed = (seed + 1) % 2 ** 31;
  return seed;
}

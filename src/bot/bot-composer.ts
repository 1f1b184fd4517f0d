import type { DiscordFile } from '../integrations/discord/discord-file.js';

/** What the Discord bot asks of Continuo: a narrow port, so that the bot stays thin and testable. */
export interface BotComposeRequest {
  readonly notation?: string;
  readonly abc?: string;
  readonly sampleId?: string;
  readonly modelId: string;
  readonly tempo?: number;
  readonly seed?: number;
  /** Which bars of the melody (and of the chords) to compose: "1-8", "17-", "8" (the first 8). */
  readonly bars?: string;
  /** Chords by bar, `C | F G7 | C` (docs/notation.md): they replace chord symbols in the melody. */
  readonly chords?: string;
}

export interface BotComposition {
  readonly compositionId: string;
  readonly seed: number;
  readonly files: DiscordFile[];
  readonly summary: string;
  /** The key and the chords by bar the composition followed (no chords: the model does not follow them). */
  readonly key?: string;
  readonly chords?: string;
  readonly chordSource?: 'given' | 'harmoniser';
}

export interface BotComposer {
  compose(req: BotComposeRequest): Promise<BotComposition>;
  /** Present only when this server can publish (SoundCloud configured). */
  publish?(compositionId: string, title: string): Promise<{ url: string }>;
  models(): { id: string; name: string }[];
}

/** What the Discord bot asks of Continuo: a narrow port, so that the bot stays thin and testable. */
export interface BotComposeRequest {
  readonly notation?: string;
  readonly abc?: string;
  readonly sampleId?: string;
  readonly modelId: string;
  readonly tempo?: number;
  readonly seed?: number;
  /** Keep only the melody's first N bars. */
  readonly bars?: number;
}

export interface BotFile {
  readonly name: string;
  readonly data: Uint8Array;
  readonly contentType: string;
}

export interface BotComposition {
  readonly compositionId: string;
  readonly seed: number;
  readonly files: BotFile[];
  readonly summary: string;
}

export interface BotComposer {
  compose(req: BotComposeRequest): Promise<BotComposition>;
  /** Present only when this server can publish (SoundCloud configured). */
  publish?(compositionId: string, title: string): Promise<{ url: string }>;
  models(): { id: string; name: string }[];
}

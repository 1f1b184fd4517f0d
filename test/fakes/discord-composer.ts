import { InvalidInputError, NotationError } from '../../src/errors.js';
import type { BotComposeRequest, BotComposer, BotComposition } from '../../src/bot/index.js';

/** A BotComposer that returns small fixed files at once, and records what it was asked. */
export class FakeBotComposer implements BotComposer {
  readonly requests: BotComposeRequest[] = [];
  readonly published: { compositionId: string; title: string }[] = [];
  private next = 1;

  constructor(private readonly sizes: { mp3: number; mid: number; png: number } = { mp3: 2048, mid: 300, png: 1024 }) {}

  models() {
    return [{ id: 'tiny', name: 'Tiny' }, { id: 'bach', name: 'Bach chorales' }];
  }

  async compose(req: BotComposeRequest): Promise<BotComposition> {
    this.requests.push(req);
    if (req.notation?.includes('H4')) throw new NotationError("'H4' is not a note: use A–G", 2, 'H4');
    if (req.notation === '') throw new InvalidInputError('empty melody');
    const id = `c${this.next++}`;
    const seed = req.seed ?? 42;
    return {
      compositionId: id, seed, summary: `tiny · note list · ${req.tempo ?? 100} bpm`,
      ...(req.chords ? { key: 'C', chords: req.chords, chordSource: 'given' as const } : {}),
      files: [
        { name: `composition-${id}.mid`, data: new Uint8Array(this.sizes.mid), contentType: 'audio/midi' },
        { name: `composition-${id}.mp3`, data: new Uint8Array(this.sizes.mp3), contentType: 'audio/mpeg' },
        { name: `composition-${id}.png`, data: new Uint8Array(this.sizes.png), contentType: 'image/png' },
      ],
    };
  }

  async publish(compositionId: string, title: string): Promise<{ url: string }> {
    this.published.push({ compositionId, title });
    return { url: `https://soundcloud.com/continuo/${compositionId}` };
  }
}

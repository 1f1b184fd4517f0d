import { ContinuoError, InvalidInputError } from '../errors.js';
import { compositionTopic } from '../services/composition.service.js';
import { canUseModel } from '../services/model-visibility.js';
import type { Services } from '../services/services.js';
import type { ApiKeyRecord, CompositionRecord, StoredFile } from '../store/records.js';
import type { DiscordFile } from '../integrations/discord/discord-file.js';
import type { BotComposeRequest, BotComposer, BotComposition } from './bot-composer.js';
import { parseBarRange } from '../music/melody.js';
import { chordBarsIn } from './melody-bars.js';

const EXTENSIONS: Record<string, string> = { midi: 'mid', mp3: 'mp3', png: 'png' };
const DONE_TIMEOUT_MS = 10 * 60_000;
const SHARE_POLL_MS = 1000;

/** The bot's composer over the in-process services, composing under one API key of its own. */
export class ServicesBotComposer implements BotComposer {
  private owner?: Promise<ApiKeyRecord>;
  readonly publish?: (compositionId: string, title: string) => Promise<{ url: string }>;

  constructor(
    private readonly services: Services,
    private readonly keyName = 'discord-bot',
  ) {
    if (this.canPublish()) this.publish = (id, title) => this.publishToSoundCloud(id, title);
  }

  /** The models every key may use: the bot composes under a key of its own, which trains none. */
  models(): { id: string; name: string }[] {
    return this.services.models.list().filter((m) => canUseModel(m.card, undefined)).map((m) => ({ id: m.card.id, name: m.card.name }));
  }

  async compose(req: BotComposeRequest): Promise<BotComposition> {
    const owner = await this.key();
    const topic = (id: string) => compositionTopic(id);
    const abort = new AbortController();
    const bars = req.bars !== undefined ? parseBarRange(req.bars) : undefined;
    let record = await this.services.compositions.request(owner, {
      melody: { ...this.melody(req), ...(bars ? { bars } : {}) },
      modelId: req.modelId,
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
      ...(req.tempo !== undefined ? { tempo: req.tempo } : {}),
      ...(req.chords !== undefined ? { chords: bars ? chordBarsIn(req.chords, bars) : req.chords } : {}),
      formats: ['mp3', 'png'],
    });
    // Subscribe first, then re-read: an update between the two is not missed.
    const events = this.services.compositionEvents.subscribe(topic(record.id), abort.signal);
    const timer = setTimeout(() => abort.abort(), DONE_TIMEOUT_MS);
    try {
      const waiting = (async () => {
        for await (const update of events) {
          if (update.status === 'done' || update.status === 'failed') return update;
        }
        return undefined;
      })();
      const latest = await this.services.compositions.get(owner, record.id);
      record = latest.status === 'done' || latest.status === 'failed' ? latest : ((await waiting) ?? (await this.services.compositions.get(owner, record.id)));
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
    if (record.status === 'failed') throw new ContinuoError((record.error?.code as ContinuoError['code']) ?? 'INTERNAL', record.error?.message ?? 'composing failed');
    if (record.status !== 'done') throw new ContinuoError('INTERNAL', 'composing took too long; try again');
    return {
      compositionId: record.id, seed: record.seed, files: await this.files(record), summary: `${record.modelId} · ${record.input.summary} · ${record.tempo} bpm`,
      ...(record.key ? { key: record.key } : {}),
      ...(record.chords ? { chords: record.chords, chordSource: record.chordSource ?? 'given' } : {}),
    };
  }

  private melody(req: BotComposeRequest): { notation?: string; abc?: string; sampleId?: string } {
    if (req.abc !== undefined) return { abc: req.abc };
    if (req.notation !== undefined) return { notation: req.notation };
    if (req.sampleId !== undefined) return { sampleId: req.sampleId };
    throw new InvalidInputError('give a melody: `notation` or `sample`', { field: 'notation' });
  }

  private async files(record: CompositionRecord): Promise<DiscordFile[]> {
    const wanted = ['midi', 'mp3', 'png'];
    const out: DiscordFile[] = [];
    for (const format of wanted) {
      const file: StoredFile | undefined = record.files.find((f) => f.format === format && !f.variation);
      if (!file) continue;
      const stored = await this.services.store.files.get(file.fileId);
      if (!stored) continue;
      out.push({ name: `composition-${record.id}.${EXTENSIONS[format]}`, data: stored.data, contentType: file.contentType });
    }
    return out;
  }

  private key(): Promise<ApiKeyRecord> {
    this.owner ??= this.services.keys.create(this.keyName, null).then((k) => k.key);
    return this.owner;
  }

  private canPublish(): boolean {
    try {
      this.services.shares.checkPossible({ target: 'SOUNDCLOUD', title: 'check' });
      return true;
    } catch {
      return false;
    }
  }

  private async publishToSoundCloud(compositionId: string, title: string): Promise<{ url: string }> {
    const owner = await this.key();
    const share = await this.services.shares.request(owner, { compositionId, target: 'SOUNDCLOUD', title, description: 'Composed with Continuo on Discord', visibility: 'PUBLIC' });
    const deadline = Date.now() + DONE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const latest = await this.services.store.shares.get(share.id);
      if (latest?.status === 'done') return { url: String(latest.result?.permalinkUrl ?? '') };
      if (latest?.status === 'failed') throw new ContinuoError('INTERNAL', latest.error?.message ?? 'publishing failed');
      await new Promise((r) => setTimeout(r, SHARE_POLL_MS));
    }
    throw new ContinuoError('INTERNAL', 'publishing took too long; try again later');
  }
}

import { InvalidInputError, NotConfiguredError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { DiscordSettings } from '../config/discord-settings.js';
import { soundCloudNotConfigured } from '../config/soundcloud-settings.js';
import type { SoundCloud } from '../integrations/soundcloud/index.js';
import { parseWebhookUrl, postToWebhook } from '../integrations/discord/index.js';
import { toJobFailure } from '../jobs/job-failure.js';
import type { JobContext, JobQueue } from '../jobs/ports.js';
import type { Store } from '../store/ports.js';
import type { ApiKeyRecord, CompositionRecord, ShareRecord, ShareTarget } from '../store/records.js';
import { checkVariation, type CompositionService, type DeliveryFormat } from './composition.service.js';

export interface ShareRequest {
  readonly compositionId: string;
  readonly target: ShareTarget;
  readonly title: string;
  readonly description: string;
  readonly visibility: 'PUBLIC' | 'PRIVATE';
  /** Which variation to publish, 0-based as in a composition's files (default 0, the first). */
  readonly variation?: number;
  /** Discord: the channel webhook (default DISCORD_WEBHOOK_URL). */
  readonly webhookUrl?: string;
}

/** The audio SoundCloud gets: lossless, so that its own transcoding starts from the best source. */
const UPLOAD_FORMAT = 'flac';

/**
 * Shares of a composition: checked and recorded at once, published by a share job (a SoundCloud
 * upload with the piano roll as artwork, or a Discord channel message through a webhook); where it
 * landed is recorded on the share.
 */
export class ShareService {
  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly compositions: CompositionService,
    private readonly models: ModelRegistry,
    /** Absent where SoundCloud is not set up. */
    private readonly soundcloud: SoundCloud | undefined,
    private readonly discord: Pick<DiscordSettings, 'webhookUrl' | 'apiUrl'>,
    private readonly fileUrl: (fileId: string, filename: string) => string,
    private readonly log: Logger,
  ) {}

  /**
   * Where this server can publish with nothing more from the caller: SoundCloud once its app is set up,
   * Discord when it has a default channel webhook (DISCORD_WEBHOOK_URL).
   */
  targets(): ShareTarget[] {
    return [...(this.soundcloud ? (['SOUNDCLOUD'] as const) : []), ...(this.discord.webhookUrl ? (['DISCORD'] as const) : [])];
  }

  /** Refuses a share that this server cannot make (target not configured, no title). */
  checkPossible(req: Pick<ShareRequest, 'target' | 'title' | 'webhookUrl'>): void {
    if (!req.title.trim()) throw new InvalidInputError('a share needs a title; it is shown as the track or message title', { field: 'title' });
    if (req.target === 'DISCORD') {
      const url = this.webhookUrl(req);
      if (!url) {
        throw new NotConfiguredError('sharing to Discord needs a channel webhook: give webhookUrl (Channel settings → Integrations → Webhooks) or set DISCORD_WEBHOOK_URL on the server', { target: req.target });
      }
      parseWebhookUrl(url);
      return;
    }
    if (!this.soundcloud) throw soundCloudNotConfigured();
  }

  private webhookUrl(req: Pick<ShareRequest, 'webhookUrl'>): string | undefined {
    return req.webhookUrl?.trim() || this.discord.webhookUrl;
  }

  async request(owner: ApiKeyRecord, req: ShareRequest): Promise<ShareRecord> {
    const composition = await this.compositions.get(owner, req.compositionId);
    this.checkPossible(req);
    if (composition.status !== 'done') {
      throw new InvalidInputError(`composition '${composition.id}' is ${composition.status}; share it once it is done`, { status: composition.status });
    }
    const variation = req.variation ?? 0;
    checkVariation(composition, variation);
    const share = await this.store.shares.create({
      compositionId: composition.id, ownerId: owner.id, target: req.target, title: req.title.trim(),
      description: req.description, visibility: req.visibility, variation, status: 'queued',
      ...(req.target === 'DISCORD' ? { webhookUrl: this.webhookUrl(req) } : {}),
    });
    const job = await this.store.jobs.create({ type: 'share', ownerId: owner.id, status: 'queued', progress: 0, attempts: 0, payload: { shareId: share.id } });
    await this.queue.enqueue('share', job.id, { shareId: share.id });
    return share;
  }

  /** A channel message with the variation's audio, MIDI and piano roll (large files left out and said so). */
  private async postToDiscord(share: ShareRecord, owner: ApiKeyRecord, composition: CompositionRecord): Promise<Record<string, unknown>> {
    const wanted: DeliveryFormat[] = ['mp3', 'midi', 'png'];
    const variation = share.variation ?? 0;
    const files = [];
    const links: string[] = [];
    for (const format of wanted) {
      const stored = await this.compositions.file(owner, composition.id, format, variation);
      const data = await this.store.files.get(stored.fileId);
      const name = `${share.title}.${format === 'midi' ? 'mid' : format}`;
      if (data) files.push({ name, data: data.data, contentType: stored.contentType });
      links.push(`[${format === 'midi' ? 'MIDI' : format.toUpperCase()}](${this.fileUrl(stored.fileId, name)})`);
    }
    const model = this.models.list().find((m) => m.card.id === composition.modelId)?.card;
    // The links stand in for any file too large to attach.
    const which = composition.variations > 1 ? ` · variation ${variation + 1} of ${composition.variations}` : '';
    const content = [`**${share.title}**`, share.description, `_${model?.name ?? composition.modelId} · ${composition.bars} bars${which} · made with Continuo_ · ${links.join(' · ')}`]
      .filter(Boolean)
      .join('\n');
    const posted = await postToWebhook(share.webhookUrl ?? '', { content, files }, { api: this.discord.apiUrl });
    const result = { messageId: posted.messageId, sent: posted.sent, dropped: posted.dropped };
    await this.store.shares.update(share.id, { status: 'done', result });
    this.log.info({ share: share.id, message: posted.messageId }, 'posted to Discord');
    return result;
  }

  /** Automated publishing: the share a composition asked for, once it is done. */
  async publishComposed(compositionId: string): Promise<ShareRecord | undefined> {
    const composition = await this.store.compositions.get(compositionId);
    if (!composition?.publish || composition.status !== 'done') return undefined;
    const owner = await this.store.apiKeys.get(composition.ownerId);
    if (!owner) return undefined;
    return this.request(owner, { compositionId, ...composition.publish });
  }

  list(compositionId: string): Promise<ShareRecord[]> {
    return this.store.shares.listByComposition(compositionId);
  }

  /** The share job: render the variation's audio and artwork (kept with the composition), upload, record. */
  async run(job: JobContext<{ shareId: string }>): Promise<Record<string, unknown>> {
    const share = await this.store.shares.get(job.data.shareId);
    if (!share) throw new NotFoundError('share', job.data.shareId);
    const owner = await this.store.apiKeys.get(share.ownerId);
    if (!owner) throw new NotFoundError('API key', share.ownerId, 'the key that made this share was deleted');
    await this.store.shares.update(share.id, { status: 'running' });
    try {
      const composition = await this.compositions.get(owner, share.compositionId);
      if (share.target === 'DISCORD') return await this.postToDiscord(share, owner, composition);
      const client = this.soundcloud;
      if (!client) throw soundCloudNotConfigured();
      const variation = share.variation ?? 0;
      const audioFile = await this.compositions.file(owner, composition.id, UPLOAD_FORMAT, variation);
      const artworkFile = await this.compositions.file(owner, composition.id, 'png', variation);
      const [audio, artwork] = await Promise.all([this.store.files.get(audioFile.fileId), this.store.files.get(artworkFile.fileId)]);
      if (!audio) throw new NotFoundError('audio of composition', composition.id);
      const model = this.models.list().find((m) => m.card.id === composition.modelId)?.card;
      const track = await client.upload({
        shareId: share.id,
        title: share.title,
        description: share.description,
        audio: { data: audio.data, filename: `${share.title}.${UPLOAD_FORMAT}`, contentType: audioFile.contentType },
        durationSeconds: audioFile.durationSeconds ?? 0,
        genre: model?.genre,
        tags: ['Continuo', 'AI accompaniment', ...(model ? [model.name] : [])],
        sharing: share.visibility === 'PUBLIC' ? 'public' : 'private',
        artworkPng: artwork?.data,
      });
      const result = { urn: track.urn, permalinkUrl: track.permalinkUrl, title: track.title, sharing: track.sharing };
      await this.store.shares.update(share.id, { status: 'done', result });
      this.log.info({ share: share.id, urn: track.urn }, 'published to SoundCloud');
      return result;
    } catch (error) {
      await this.store.shares.update(share.id, { status: 'failed', error: toJobFailure(error, 'share') });
      throw error;
    }
  }
}

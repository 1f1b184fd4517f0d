import { extname } from 'node:path';
import { ContinuoError, InvalidInputError, TooLargeError, UnauthenticatedError } from '../../errors.js';
import { logger } from '../../logger.js';
import { isTransient, toContinuoError, type HttpFailure } from './http-failure.js';
import { backoffDelay, type RetryPolicy } from './retry-policy.js';
import type { SoundCloudAccount, SoundCloudApi, SoundCloudTrack } from './soundcloud-api.js';
import { formatTagList, parseTagList, shareMarker } from './tag-list.js';

const log = logger.child({ module: 'soundcloud' });

export type SoundCloudSharing = 'public' | 'private';
export type SoundCloudLicense =
  | 'no-rights-reserved'
  | 'all-rights-reserved'
  | 'cc-by'
  | 'cc-by-nc'
  | 'cc-by-nd'
  | 'cc-by-sa'
  | 'cc-by-nc-nd'
  | 'cc-by-nc-sa';

export interface TrackUploadRequest {
  /** The share request's id: at most one track is ever created for it, however often this is called. */
  readonly shareId: string;
  readonly title: string;
  /** FLAC or WAV keep the most quality (SoundCloud transcodes whatever it gets); OGG and MP3 also work. */
  readonly audio: { readonly data: Uint8Array; readonly filename: string; readonly contentType?: string };
  /** The audio's length, checked against the account's upload time left. */
  readonly durationSeconds: number;
  readonly description?: string;
  readonly genre?: string;
  readonly tags?: readonly string[];
  /** Default private, as a share is until its owner says otherwise. */
  readonly sharing?: SoundCloudSharing;
  /** PNG bytes (SoundCloud takes artwork from Pro accounts only). */
  readonly artworkPng?: Uint8Array;
  readonly downloadable?: boolean;
  readonly license?: SoundCloudLicense;
}

export interface UploadedTrack {
  readonly urn: string;
  readonly id: string;
  readonly permalinkUrl: string;
  readonly title: string;
  readonly sharing: SoundCloudSharing;
}

const AUDIO_TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.aac': 'audio/aac',
  '.m4a': 'audio/mp4',
};
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SHARE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const ACTION = 'upload the track';

function minutes(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/**
 * Publishes one audio file as a SoundCloud track, exactly once per share request. Every upload carries
 * the machine tag `continuo:share=<shareId>` (kept by SoundCloud, hidden on the track page). When an
 * attempt fails in a way that may still have created the track (5xx, timeout, dropped connection), the
 * account's newest tracks are searched for that tag before anything is sent again.
 */
export class TrackUploader {
  constructor(
    private readonly api: SoundCloudApi,
    private readonly retry: RetryPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async upload(request: TrackUploadRequest): Promise<UploadedTrack> {
    const form = this.form(request);
    const started = this.now();
    // A share job that ran before (and crashed after SoundCloud created the track) finds its track here.
    const earlier = await this.findByShare(request.shareId);
    if (earlier) {
      log.info({ shareId: request.shareId, urn: earlier.urn }, 'SoundCloud track for this share exists already; not uploading again');
      return this.result(earlier, request);
    }
    await this.checkQuota(request);

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.api.createTrack(form);
      if (outcome.kind === 'created') {
        log.info({ shareId: request.shareId, urn: outcome.track.urn, attempt, ms: this.now() - started, bytes: request.audio.data.byteLength }, 'uploaded to SoundCloud');
        return this.result(outcome.track, request);
      }
      const { failure, mayExist } = outcome;
      if (!mayExist && !(failure.status === 0 || isTransient(failure.status))) throw toContinuoError(failure, ACTION, attempt);
      const wait = backoffDelay(this.retry, attempt, failure.retryAfterMs);
      const lastTry = attempt >= this.retry.maxAttempts || wait > this.retry.maxRetryAfterMs;
      log.warn({ shareId: request.shareId, status: failure.status, attempt, mayExist, waitMs: wait }, 'SoundCloud upload attempt failed');
      if (mayExist) {
        // Give SoundCloud a moment to finish or list the track, then look before sending the audio again.
        await this.retry.sleep(Math.min(wait, this.retry.maxDelayMs));
        const found = await this.findAfterFailure(request, failure);
        if (found) {
          log.info({ shareId: request.shareId, urn: found.urn, attempt }, 'the failed SoundCloud upload had created the track; using it');
          return this.result(found, request);
        }
        if (failure.status >= 200 && failure.status < 300) {
          throw new ContinuoError('INTERNAL', `SoundCloud accepted the upload but its answer could not be read; look for "${request.title}" among your SoundCloud tracks before sharing again`, { shareId: request.shareId });
        }
      } else if (!lastTry) {
        await this.retry.sleep(wait);
      }
      if (lastTry) {
        throw toContinuoError(failure, ACTION, attempt);
      }
    }
  }

  /** Refuses a track longer than the upload time the account has left. */
  async checkQuota(request: Pick<TrackUploadRequest, 'durationSeconds'>): Promise<SoundCloudAccount> {
    const account = await this.api.me();
    const left = account.quota.uploadSecondsLeft;
    if (!account.quota.unlimited && left !== null && request.durationSeconds > left) {
      throw new TooLargeError(
        `the track lasts ${minutes(request.durationSeconds)} but the SoundCloud account '${account.username}' has ${minutes(left)} of upload time left; ` +
          `delete tracks on SoundCloud or upgrade its plan, or share a shorter piece`,
        { durationSeconds: request.durationSeconds, uploadSecondsLeft: left },
      );
    }
    return account;
  }

  private async findByShare(shareId: string): Promise<SoundCloudTrack | undefined> {
    const marker = shareMarker(shareId);
    const tracks = await this.api.myTracks(50);
    return tracks.find((t) => parseTagList(t.tagList).includes(marker));
  }

  /** The lookup after an unclear failure; if even that fails, stop: uploading blind could duplicate. */
  private async findAfterFailure(request: TrackUploadRequest, failure: HttpFailure): Promise<SoundCloudTrack | undefined> {
    try {
      return await this.findByShare(request.shareId);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw new ContinuoError(
        'INTERNAL',
        `SoundCloud failed during the upload (${failure.status || 'no answer'}: ${failure.detail}) and could not then be asked whether the track arrived ` +
          `(${(error as Error).message}); look for "${request.title}" among your SoundCloud tracks before sharing again`,
        { shareId: request.shareId, uncertain: true },
      );
    }
  }

  private result(track: SoundCloudTrack, request: TrackUploadRequest): UploadedTrack {
    const sharing = track.sharing === 'public' || track.sharing === 'private' ? track.sharing : (request.sharing ?? 'private');
    return { urn: track.urn, id: track.id, permalinkUrl: track.permalinkUrl, title: track.title || request.title, sharing };
  }

  private form(request: TrackUploadRequest): FormData {
    if (!SHARE_ID.test(request.shareId)) throw new InvalidInputError(`share id '${request.shareId}' is not an id; use letters, digits, '-' and '_' only`);
    const title = request.title.trim();
    if (!title) throw new InvalidInputError('a SoundCloud track needs a title; give the share a title');
    const { audio } = request;
    const ext = extname(audio.filename).toLowerCase();
    const contentType = audio.contentType ?? AUDIO_TYPES[ext];
    if (!contentType || !AUDIO_TYPES[ext]) {
      throw new InvalidInputError(`'${audio.filename}' is not an audio file SoundCloud takes; send WAV or FLAC (best quality), OGG or MP3, named with its extension`);
    }
    if (audio.data.byteLength === 0) throw new InvalidInputError(`'${audio.filename}' is empty; render the composition's audio first`);
    if (!(request.durationSeconds > 0)) throw new InvalidInputError('the audio duration must be a positive number of seconds');
    if (request.artworkPng && !PNG_SIGNATURE.every((b, i) => request.artworkPng![i] === b)) {
      throw new InvalidInputError('the artwork is not a PNG image; send the PNG picture of the score');
    }

    const form = new FormData();
    form.set('track[title]', title);
    form.set('track[asset_data]', new Blob([audio.data], { type: contentType }), audio.filename);
    form.set('track[sharing]', request.sharing ?? 'private');
    if (request.description) form.set('track[description]', request.description);
    if (request.genre) form.set('track[genre]', request.genre);
    form.set('track[tag_list]', formatTagList([...(request.tags ?? []), shareMarker(request.shareId)]));
    if (request.downloadable !== undefined) form.set('track[downloadable]', String(request.downloadable));
    if (request.license) form.set('track[license]', request.license);
    if (request.artworkPng) form.set('track[artwork_data]', new Blob([request.artworkPng], { type: 'image/png' }), 'artwork.png');
    return form;
  }
}

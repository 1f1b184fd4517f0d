import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { SpessaLog, type BasicSoundBank } from 'spessasynth_core';
import { InvalidInputError } from '../errors.js';
import { logger } from '../logger.js';
import { encodePcm } from './audio-encoder.js';
import { audioFormatSpec, type AudioFormat } from './audio-format.js';
import { resolveFfmpeg } from './ffmpeg-binary.js';
import { DEFAULT_PCM_OPTIONS, SAMPLE_RATE, normalizedPcm, pcmFrames, type PcmOptions } from './pcm-source.js';
import { DEFAULT_MAX_SECONDS, readPlayableMidi } from './playable-midi.js';
import { loadSoundfont, resolveSoundfont } from './soundfont.js';
import { svgToPng, type PngImage } from './svg-raster.js';
import { withWavSizes } from './wav-header.js';

const log = logger.child({ module: 'render' });

// spessasynth logs to the console by default; its warnings (e.g. a missing preset) belong in our log.
SpessaLog.logFunctions = {
  info: (...data: unknown[]) => log.trace({ spessasynth: data.map(String).join(' ') }),
  warn: (...data: unknown[]) => log.warn({ spessasynth: data.map(String).join(' ') }),
  group: () => undefined,
  groupCollapsed: () => undefined,
  groupEnd: () => undefined,
};

/** The configuration's RenderSettings (CONTINUO_SOUNDFONT, FFMPEG_PATH, CONTINUO_FONT_DIR), or a caller's. */
export interface RendererOptions {
  /** .sf2/.sf3 General MIDI sound bank; default FluidR3Mono from npm. */
  readonly soundfontPath?: string;
  /** ffmpeg binary; default `ffmpeg` on PATH, else the one from npm. */
  readonly ffmpegPath?: string;
  /** Font folders for the labels of PNG pictures, beside the system's. */
  readonly fontDirs?: readonly string[];
}

export interface AudioRenderOptions {
  /** Seconds after the last note (default 1.5) so that it rings out. */
  readonly tailSeconds?: number;
  /** Peak level in dBFS (default −1). */
  readonly peakDbfs?: number;
  /** Seconds of PCM held to measure the peak (default 60): the memory bound, ~10.6 MB per 30 s. */
  readonly windowSeconds?: number;
  /** Longer pieces are refused (default 15 minutes). */
  readonly maxSeconds?: number;
  /** Reverb and chorus (default on); off renders ~2–3× faster, for previews. */
  readonly effects?: boolean;
  /** Written into the file's metadata. */
  readonly title?: string;
  readonly signal?: AbortSignal;
  /** Seconds synthesised so far, after each ~93 ms chunk. */
  readonly onProgress?: (seconds: number) => void;
}

export interface AudioStream {
  /** The encoded file as it is made. */
  readonly stream: Readable;
  readonly format: AudioFormat;
  readonly contentType: string;
  readonly durationSeconds: number;
}

export interface RenderedAudio {
  readonly data: Uint8Array;
  readonly format: AudioFormat;
  readonly contentType: string;
  readonly durationSeconds: number;
}

/** Options a person may have typed (CLI, GraphQL), checked before any work starts. */
function checked(o: PcmOptions): PcmOptions {
  if (!(o.tailSeconds >= 0 && o.tailSeconds <= 30)) throw new InvalidInputError(`a tail of ${o.tailSeconds} s is out of range; give 0–30 seconds`);
  // alimiter's ceiling goes down to 0.0625 (−24 dBFS).
  if (!(o.peakDbfs >= -24 && o.peakDbfs <= 0)) throw new InvalidInputError(`a peak of ${o.peakDbfs} dBFS is out of range; give −24 to 0 dBFS`);
  if (!(o.windowSeconds > 0)) throw new InvalidInputError(`a peak window of ${o.windowSeconds} s is out of range; give more than 0 seconds`);
  return o;
}

/**
 * MIDI → General MIDI synthesis (spessasynth) → ffmpeg → mp3/ogg/wav/flac. The sound bank is large
 * (15 MB of SF3 to read and parse; its samples are decoded on first use and kept), so it is loaded on
 * first use and shared by every render of this renderer. Pictures (piano rolls, charts) become PNG here
 * too, in the configured fonts.
 */
export class Renderer {
  private bank?: Promise<BasicSoundBank>;
  private ffmpeg?: string;

  constructor(private readonly options: RendererOptions = {}) {}

  /** Loads the sound bank (once; later calls wait for the same load). */
  initialize(): Promise<BasicSoundBank> {
    this.bank ??= (async () => {
      const path = resolveSoundfont(this.options.soundfontPath);
      const t0 = performance.now();
      const bank = await loadSoundfont(path);
      log.info({ soundfont: path, presets: bank.presets.length, ms: Math.round(performance.now() - t0) }, 'sound bank loaded');
      return bank;
    })().catch((error: unknown) => {
      this.bank = undefined;
      throw error;
    });
    return this.bank;
  }

  isInitialized(): boolean {
    return this.bank !== undefined;
  }

  get ffmpegPath(): string {
    return (this.ffmpeg ??= resolveFfmpeg(this.options.ffmpegPath));
  }

  /** A picture as PNG, its labels in this machine's fonts. */
  png(svg: string, options: { width?: number } = {}): Promise<PngImage> {
    return svgToPng(svg, { ...options, fontDirs: this.options.fontDirs });
  }

  /**
   * Starts rendering and returns the encoded stream at once; bad MIDI is refused before anything starts.
   * Synthesis runs in ~93 ms blocks pulled by ffmpeg, so memory stays at the peak window plus pipe buffers.
   */
  async renderAudioStream(midi: Uint8Array, format: AudioFormat, options: AudioRenderOptions = {}): Promise<AudioStream> {
    const song = readPlayableMidi(midi, options.maxSeconds ?? DEFAULT_MAX_SECONDS);
    const pcmOptions = checked({
      tailSeconds: options.tailSeconds ?? DEFAULT_PCM_OPTIONS.tailSeconds,
      peakDbfs: options.peakDbfs ?? DEFAULT_PCM_OPTIONS.peakDbfs,
      windowSeconds: options.windowSeconds ?? DEFAULT_PCM_OPTIONS.windowSeconds,
      effects: options.effects ?? DEFAULT_PCM_OPTIONS.effects,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    const ffmpegPath = this.ffmpegPath;
    const bank = await this.initialize();
    const pcm = Readable.from(normalizedPcm(bank, song, pcmOptions), { objectMode: false });
    const stream = encodePcm(pcm, format, { ffmpegPath, peakDbfs: pcmOptions.peakDbfs, title: options.title });
    const durationSeconds = pcmFrames(song, pcmOptions.tailSeconds) / SAMPLE_RATE;
    const t0 = performance.now();
    stream.once('end', () => log.info({ format, seconds: durationSeconds, ms: Math.round(performance.now() - t0) }, 'audio rendered'));
    return { stream, format, contentType: audioFormatSpec(format).contentType, durationSeconds };
  }

  /** The whole encoded file in memory (what an upload or a download needs). */
  async renderAudio(midi: Uint8Array, format: AudioFormat, options: AudioRenderOptions = {}): Promise<RenderedAudio> {
    const { stream, ...rest } = await this.renderAudioStream(midi, format, options);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const data = Buffer.concat(chunks);
    return { ...rest, data: format === 'wav' ? withWavSizes(data) : data };
  }

  /** Lets the sound bank go; a later render loads it again. */
  dispose(): void {
    this.bank = undefined;
  }
}

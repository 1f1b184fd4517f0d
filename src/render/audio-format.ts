import { InvalidInputError } from '../errors.js';

/** The audio files Continuo writes. `ogg` is Opus in an Ogg container. */
export const AUDIO_FORMATS = ['mp3', 'ogg', 'wav', 'flac'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export interface AudioFormatSpec {
  readonly contentType: string;
  readonly extension: string;
  /** ffmpeg muxer (`-f`). */
  readonly container: string;
  readonly codec: string;
  /** Output options after the codec: bit rate, sample rate, sample format. */
  readonly options: readonly string[];
  /**
   * ffmpeg completes this format's header only by seeking back once the stream has ended (FLAC's
   * STREAMINFO: sample count and MD5; on a pipe both stay 0, and readers take the file for empty), so it
   * is encoded into a temporary file, which is then streamed.
   */
  readonly needsSeekableOutput?: boolean;
}

// mp3 is constant bit rate: a piped (unseekable) output gets no Xing header, so players estimate the
// duration from the bit rate, which is only right for CBR. Opus knows only 48 kHz (and lower rates that
// divide it), so the ogg file is 48 kHz; the others keep the synthesis rate, 44.1 kHz.
const SPECS: Record<AudioFormat, AudioFormatSpec> = {
  mp3: { contentType: 'audio/mpeg', extension: '.mp3', container: 'mp3', codec: 'libmp3lame', options: ['-b:a', '192k', '-ar', '44100'] },
  ogg: { contentType: 'audio/ogg', extension: '.ogg', container: 'ogg', codec: 'libopus', options: ['-b:a', '128k', '-ar', '48000'] },
  wav: { contentType: 'audio/wav', extension: '.wav', container: 'wav', codec: 'pcm_s16le', options: ['-ar', '44100'] },
  flac: { contentType: 'audio/flac', extension: '.flac', container: 'flac', codec: 'flac', options: ['-ar', '44100', '-sample_fmt', 's16'], needsSeekableOutput: true },
};

export function audioFormatSpec(format: AudioFormat): AudioFormatSpec {
  return SPECS[format];
}

export function isAudioFormat(value: string): value is AudioFormat {
  return (AUDIO_FORMATS as readonly string[]).includes(value);
}

/** Checks a format name from outside (GraphQL, CLI); `opus` names the Ogg Opus file too. */
export function parseAudioFormat(value: string): AudioFormat {
  const name = value.toLowerCase().replace(/^\./, '');
  if (name === 'opus') return 'ogg';
  if (isAudioFormat(name)) return name;
  throw new InvalidInputError(`'${value}' is not an audio format Continuo writes; choose one of ${AUDIO_FORMATS.join(', ')}`);
}

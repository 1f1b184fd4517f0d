import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { ContinuoError, NotConfiguredError } from '../errors.js';
import { audioFormatSpec, type AudioFormat } from './audio-format.js';
import { CHANNELS, SAMPLE_RATE, dbToGain } from './pcm-source.js';

export interface EncodeOptions {
  readonly ffmpegPath: string;
  /** Ceiling of the limiter, in dBFS (the normalisation target). */
  readonly peakDbfs: number;
  readonly title?: string;
}

function encoderError(error: Error, format: AudioFormat, ffmpegPath: string): Error {
  const input = (error as Error & { inputStreamError?: Error }).inputStreamError;
  if (input) return input;
  if (/ENOENT|EACCES|Cannot find ffmpeg/.test(error.message)) {
    return new NotConfiguredError(`ffmpeg at '${ffmpegPath}' cannot be run (${error.message}); install ffmpeg or set FFMPEG_PATH`);
  }
  return new ContinuoError('INTERNAL', `ffmpeg could not encode ${format}: ${error.message}`);
}

/**
 * Encodes a PCM stream (f32le, stereo, 44.1 kHz) with ffmpeg as it arrives: PCM goes to ffmpeg's stdin and
 * the encoded file comes back on stdout, so neither the PCM nor a WAV ever lands on disk. `alimiter`
 * (lookahead, no auto-level) holds peaks under the target in the same pass. A format whose header ffmpeg
 * can only finish by seeking (FLAC) is written to a temporary file instead, streamed once complete and
 * then deleted.
 */
export function encodePcm(pcm: Readable, format: AudioFormat, options: EncodeOptions): Readable {
  const spec = audioFormatSpec(format);
  const out = new PassThrough();
  const file = spec.needsSeekableOutput ? join(tmpdir(), `continuo-${randomUUID()}${spec.extension}`) : undefined;
  const removeFile = (): void => {
    if (file) void rm(file, { force: true }).catch(() => undefined);
  };
  let settled = false;
  let abandoned = false;
  const command = ffmpeg(pcm)
    .setFfmpegPath(options.ffmpegPath)
    .inputFormat('f32le')
    .inputOptions(['-ar', String(SAMPLE_RATE), '-ac', String(CHANNELS)])
    .audioFilters(`alimiter=limit=${dbToGain(options.peakDbfs).toFixed(4)}:level=false:attack=5:release=50`)
    .audioCodec(spec.codec)
    .audioChannels(CHANNELS)
    .outputOptions([...spec.options, ...(options.title ? ['-metadata', `title=${options.title}`] : [])])
    .format(spec.container)
    // ffmpeg starts after fluent-ffmpeg's capability checks; a reader may have left by then.
    .on('start', () => abandoned && command.kill('SIGKILL'))
    .on('end', () => {
      settled = true;
      if (!file) return out.end();
      // Ends `out` after the last byte; a reader that leaves early closes the file.
      pipeline(createReadStream(file), out, removeFile);
    })
    .on('error', (error: Error) => {
      removeFile(); // after ffmpeg has exited, whether it failed or was stopped
      if (settled) return;
      settled = true;
      pcm.destroy();
      out.destroy(encoderError(error, format, options.ffmpegPath));
    });
  // Synthesis errors (an abort) are also reported by fluent-ffmpeg, but only once ffmpeg has started.
  pcm.once('error', (error: Error) => {
    if (settled) return;
    settled = true;
    abandoned = true;
    command.kill('SIGKILL');
    out.destroy(error);
  });
  // `end: false`: the output ends when ffmpeg has exited cleanly, not merely when its stdout closes, so a
  // failure part-way is an error and not a short file. A file is likewise only read once ffmpeg is done.
  if (file) command.save(file);
  else command.pipe(out, { end: false });
  out.on('close', () => {
    if (settled) return;
    // The reader went away early: stop synthesising and encoding.
    settled = true;
    abandoned = true;
    pcm.destroy();
    command.kill('SIGKILL');
  });
  return out;
}

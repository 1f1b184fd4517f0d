import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { ContinuoError } from '../errors.js';

const require = createRequire(import.meta.url);

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `ffmpeg` on PATH, if any. */
function ffmpegOnPath(env: NodeJS.ProcessEnv): string | undefined {
  const name = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The static build shipped in `@ffmpeg-installer/<platform>` (an optional dependency per platform). */
function bundledFfmpeg(): string | undefined {
  try {
    // The package throws a plain string on platforms it has no build for; any throw means "none".
    return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch {
    return undefined;
  }
}

/**
 * Which ffmpeg to run: `FFMPEG_PATH`, else a system `ffmpeg` on PATH (usually newer and built for the
 * machine), else the one shipped in npm, so that `npm ci` is the only set-up step.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.FFMPEG_PATH?.trim();
  if (named) {
    if (!executable(named)) throw new ContinuoError('NOT_CONFIGURED', `FFMPEG_PATH is '${named}', which is not an executable file; point it at an ffmpeg binary or unset it`);
    return named;
  }
  const found = ffmpegOnPath(env) ?? bundledFfmpeg();
  if (!found) {
    throw new ContinuoError('NOT_CONFIGURED', `no ffmpeg found: none on PATH and @ffmpeg-installer has no build for ${process.platform}-${process.arch}; install ffmpeg or set FFMPEG_PATH`);
  }
  return found;
}

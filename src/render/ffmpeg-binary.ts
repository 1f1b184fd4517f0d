import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { NotConfiguredError } from '../errors.js';

const require = createRequire(import.meta.url);

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `ffmpeg` on the search path, if any. */
function ffmpegOnPath(searchPath: string): string | undefined {
  const name = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  for (const dir of searchPath.split(delimiter)) {
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
 * Which ffmpeg to run: the one named (FFMPEG_PATH), else a system `ffmpeg` on PATH (usually newer and
 * built for the machine), else the one shipped in npm, so that `npm ci` is the only set-up step.
 */
export function resolveFfmpeg(named?: string, searchPath = process.env.PATH ?? ''): string {
  if (named?.trim()) {
    if (!executable(named.trim())) throw new NotConfiguredError(`FFMPEG_PATH is '${named}', which is not an executable file; point it at an ffmpeg binary or unset it`);
    return named.trim();
  }
  const found = ffmpegOnPath(searchPath) ?? bundledFfmpeg();
  if (!found) {
    throw new NotConfiguredError(`no ffmpeg found: none on PATH and @ffmpeg-installer has no build for ${process.platform}-${process.arch}; install ffmpeg or set FFMPEG_PATH`);
  }
  return found;
}

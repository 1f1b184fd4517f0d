import { createWriteStream, existsSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { InvalidInputError } from '../errors.js';
import { arrangementFromMidi } from '../render/midi-arrangement.js';
import { pianoRollSvg } from '../render/piano-roll-svg.js';
import { Renderer } from '../render/renderer.js';
import { trainingChartSvg, type TrainingChartOptions } from '../render/training-chart.js';
import { patchWavSizes } from '../render/wav-header.js';
import type { TrainingProgress } from '../training/trainer.js';
import { commandConfig } from './command-config.js';
import { number } from './options.js';
import { outputExtensions, outputFile } from './output-file.js';

/** ffmpeg's piped WAV has open-ended sizes; the file on disk gets the real ones. */
async function fixWavFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const header = new Uint8Array(Math.min(size, 4096));
    await handle.read(header, 0, header.length, 0);
    await handle.write(patchWavSizes(header, size), 0, header.length, 0);
  } finally {
    await handle.close();
  }
}

/** A model's tracks from the card.json beside a history.json (model folders have both). */
async function chartOptions(historyFile: string, title: string | undefined): Promise<TrainingChartOptions> {
  const card = join(dirname(historyFile), 'card.json');
  if (!existsSync(card)) return { title };
  const parsed = JSON.parse(await readFile(card, 'utf8')) as { name?: string; tracks?: TrainingChartOptions['tracks'] };
  return { title: title ?? parsed.name, tracks: parsed.tracks };
}

async function readHistory(file: string): Promise<TrainingProgress[]> {
  try {
    const history = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (Array.isArray(history)) return history as TrainingProgress[];
  } catch (error) {
    throw new InvalidInputError(`'${file}' is not JSON (${(error as Error).message}); give a history.json written by continuo train`);
  }
  throw new InvalidInputError(`'${file}' is not a training history (a JSON array of progress entries); give a history.json written by continuo train`);
}

export const renderCommand = new Command('render')
  .description('render a MIDI file to audio (mp3, ogg/opus, wav, flac) or a piano-roll picture (png, svg), or a training history.json to charts')
  .argument('<input>', 'song.mid | history.json')
  .option('-o, --out <file>', `output file; its extension picks the format (${outputExtensions(['audio', 'picture']).join(' ')}); default: beside the input, .mp3 for MIDI and .png for a history`)
  .option('--title <text>', 'title in the picture or the audio metadata')
  .option('--tail <seconds>', 'seconds after the last note, so that it rings out', number, 1.5)
  .option('--peak <dBFS>', 'peak level of the audio', number, -1)
  .option('--no-effects', 'no reverb or chorus (renders 2–3× faster)')
  .option('--width <px>', 'width of a PNG', number)
  .option('--soundfont <file>', 'General MIDI .sf2/.sf3 sound bank (default CONTINUO_SOUNDFONT, else FluidR3Mono)')
  .action(async (input: string, opts: { out?: string; title?: string; tail: number; peak: number; effects: boolean; width?: number; soundfont?: string }) => {
    const config = commandConfig();
    const renderer = new Renderer({ ...config.render, ...(opts.soundfont ? { soundfontPath: opts.soundfont } : {}) });
    if (!existsSync(input)) throw new InvalidInputError(`there is no file '${input}'; give a .mid file or a history.json`);
    const isHistory = extname(input).toLowerCase() === '.json';
    const out = opts.out ?? join(dirname(input), `${basename(input, extname(input))}${isHistory ? '.png' : '.mp3'}`);
    const kind = outputFile(out, ['audio', 'picture']);
    const started = performance.now();
    if (isHistory && kind.kind === 'audio') throw new InvalidInputError(`a training history draws as a picture; name the output .png or .svg, not '${out}'`);
    let summary: string;
    if (kind.kind === 'picture') {
      const svg = isHistory
        ? await trainingChartSvg(await readHistory(input), await chartOptions(input, opts.title))
        : pianoRollSvg(arrangementFromMidi(await readFile(input), opts.title ?? basename(input, extname(input))));
      await writeFile(out, kind.png ? (await renderer.png(svg, { width: opts.width })).data : svg);
      summary = isHistory ? 'training charts' : 'piano roll';
    } else {
      const audio = await renderer.renderAudioStream(await readFile(input), kind.format, { tailSeconds: opts.tail, peakDbfs: opts.peak, effects: opts.effects, title: opts.title });
      try {
        await pipeline(audio.stream, createWriteStream(out));
      } catch (error) {
        await rm(out, { force: true });
        throw error;
      }
      if (kind.format === 'wav') await fixWavFile(out);
      summary = `${audio.durationSeconds.toFixed(1)} s of ${kind.format}`;
    }
    const { size } = await stat(out);
    process.stdout.write(`${out}: ${summary}, ${Math.ceil(size / 1024)} KiB in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  });

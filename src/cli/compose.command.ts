import { parseBarRange } from '../music/melody.js';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Command } from 'commander';
import { ContinuoError, InvalidInputError } from '../errors.js';
import { compose } from '../inference/compose.js';
import { modelForMelody } from '../inference/model-choice.js';
import { layersModelBytes } from '../inference/model-files.js';
import { modelReport } from '../inference/model-report.js';
import { ModelRegistry } from '../inference/registry.js';
import type { Arrangement } from '../music/arrangement.js';
import { stepsPerBar } from '../music/melody.js';
import { arrangementToMidi } from '../music/midi.js';
import { melodyFromInput, type MelodyInput } from '../music/melody-input.js';
import { parseNotation } from '../music/notation.js';
import { harmonyUsed, withRequestedHarmony } from '../music/requested-harmony.js';
import { SAMPLE_MELODIES } from '../music/samples.js';
import { parseAudioFormat, type AudioFormat } from '../render/audio-format.js';
import { pianoRollSvg } from '../render/piano-roll-svg.js';
import { Renderer } from '../render/renderer.js';
import { initBackend } from '../inference/backend.js';
import { commandConfig } from './command-config.js';
import { MODELS_DIR_HELP, modelRoots, number } from './options.js';
import { outputExtensions, outputFile, type OutputFile } from './output-file.js';

const OUTPUT_KINDS = ['midi', 'audio', 'picture'] as const;

const MELODY_FILES = ['.mid', '.midi', '.abc'];
/** One word with an extension, like `song.mid` or `tunes/reel.txt`: meant as a file, never notation. */
const FILE_LIKE = /^\S+\.[A-Za-z][A-Za-z0-9]{0,7}$/;
/** Letters and dashes, like `ode-to-joy`: a sample id, unless it reads as notation (`Bb`). */
const ID_LIKE = /^[A-Za-z]+(?:-[A-Za-z]+)*$/;

function readsAsNotation(text: string): boolean {
  try {
    parseNotation(text);
    return true;
  } catch {
    return false;
  }
}

/** A positional melody: a .mid/.midi/.abc file, a sample id, or notation text. */
async function inputFrom(source: string, track: string | undefined): Promise<MelodyInput> {
  const midiTrack = track === undefined ? undefined : /^\d+$/.test(track) ? Number(track) : track;
  const ext = extname(source).toLowerCase();
  if (MELODY_FILES.includes(ext) || FILE_LIKE.test(source)) {
    if (!existsSync(source)) throw new ContinuoError('NOT_FOUND', `there is no file '${source}' (looked for ${resolve(source)})`, { file: source });
    if (ext === '.abc') return { abc: await readFile(source, 'utf8') };
    if (ext === '.mid' || ext === '.midi') return { midi: await readFile(source), midiTrack };
    throw new InvalidInputError(`cannot read a melody from '${source}'; give a ${MELODY_FILES.join(', ')} file, a sample id or notation text`, { file: source });
  }
  if (source.startsWith('sample:')) return { sampleId: source.slice('sample:'.length) };
  if (SAMPLE_MELODIES.some((s) => s.id === source) || (ID_LIKE.test(source) && !readsAsNotation(source))) return { sampleId: source };
  if (/^X:\s*\d/m.test(source)) return { abc: source };
  return { notation: source };
}

/** Writes one arrangement as the output file's extension asks; returns the line to print for audio. */
async function writeArrangement(arrangement: Arrangement, file: string, out: OutputFile, renderer: Renderer): Promise<string | undefined> {
  if (out.kind === 'midi') {
    await writeFile(file, arrangementToMidi(arrangement));
    return undefined;
  }
  if (out.kind === 'picture') {
    const svg = pianoRollSvg(arrangement);
    await writeFile(file, out.png ? (await renderer.png(svg)).data : svg);
    return undefined;
  }
  return writeAudio(arrangement, file, out.format, renderer);
}

async function writeAudio(arrangement: Arrangement, file: string, format: AudioFormat, renderer: Renderer): Promise<string> {
  const rendered = await renderer.renderAudio(arrangementToMidi(arrangement), format, { title: arrangement.title });
  await writeFile(file, rendered.data);
  return `${file}: ${rendered.durationSeconds.toFixed(1)} s of ${format}`;
}

export const composeCommand = new Command('compose')
  .description('accompany a melody (MIDI file, ABC file, sample name or notation text) and write a MIDI file (or audio, or a piano roll)')
  .argument('<melody>', 'song.mid | tune.abc | sample id (e.g. ode-to-joy) | notation, e.g. "C4 D4 E4/2 | G4/1"')
  .option('-m, --model <id>', "model id (a model of its genre for the melody's meter is used when its own does not fit)", 'chorale')
  .option('-o, --out <file>', `output file, its extension picks the format: ${outputExtensions(OUTPUT_KINDS).join(' ')} (variations get -2, -3… before the extension)`, 'composition.mid')
  .option('--track <name|index>', 'MIDI track holding the melody')
  .option('--seed <n>', 'random seed (same seed ⇒ same music)', number)
  .option('--variations <n>', 'how many different arrangements', number, 1)
  .option('--no-keep-melody', 'let the model rewrite the melody too')
  .option('--density <x>', 'more (up to 1) or fewer (down to −1) notes than the model was calibrated to write', number)
  .option('--threshold <x>', 'one note threshold, −1…1, for every part, replacing the calibrated levels (lower: more notes)', number)
  .option('--temperature <x>', 'noise scale, 0…2', number)
  .option('--tempo <bpm>', 'tempo of the output', number)
  .option('--chords <bars>', 'chords by bar, e.g. "C | F G7 | Am . Dm G7 | C" (replace chord symbols in the melody; see docs/notation.md)')
  .option('--bars <range>', 'which bars of a long melody to compose: 17-48, 17- (from bar 17 on), 8 (the first 8); the MIDI output keeps them where they were')
  .option('--key <key>', "the melody's key, e.g. G, F#m, \"Bb minor\" (default: written with the melody, else estimated)")
  .option('--audio <format>', 'also render each arrangement to audio beside the output: mp3, ogg, wav or flac')
  .option('--models-dir <dir>', MODELS_DIR_HELP)
  .action(async (source: string, opts) => {
    const audio = opts.audio === undefined ? undefined : parseAudioFormat(String(opts.audio));
    const output = outputFile(opts.out, OUTPUT_KINDS);
    const config = commandConfig();
    await initBackend(config.backend);
    const renderer = new Renderer(config.render);
    const registry = await ModelRegistry.load(...modelRoots(opts.modelsDir, config));
    try {
      const melody = withRequestedHarmony(melodyFromInput({ ...(await inputFrom(source, opts.track)), ...(opts.bars !== undefined ? { bars: parseBarRange(String(opts.bars)) } : {}) }), { chords: opts.chords, key: opts.key });
      const result = await compose(modelForMelody(registry, opts.model, melody), melody, {
        seed: opts.seed, variations: opts.variations, keepMelody: opts.keepMelody,
        threshold: opts.threshold, density: opts.density, temperature: opts.temperature, tempo: opts.tempo,
        ...(melody.chords ? { chords: melody.chords } : {}),
      });
      const ext = extname(opts.out);
      const base = opts.out.slice(0, opts.out.length - ext.length);
      for (const [i, arrangement] of result.arrangements.entries()) {
        const name = i === 0 ? base : `${base}-${i + 1}`;
        const file = `${name}${ext}`;
        const written = await writeArrangement(arrangement, file, output, renderer);
        if (written) process.stdout.write(`${written}\n`);
        if (audio && `.${audio}` !== ext.toLowerCase()) process.stdout.write(`${await writeAudio(arrangement, `${name}.${audio}`, audio, renderer)}\n`);
        const notes = arrangement.tracks.map((t) => `${t.name} ${t.notes.length}`).join(', ');
        process.stdout.write(`${file}: ${arrangement.steps / stepsPerBar(arrangement.timeSignature)} bars, ${notes} notes (model ${result.modelId}, seed ${result.seed})\n`);
      }
      const used = harmonyUsed(result, melody);
      const chords = used.chords
        ? `chords (${used.chordSource === 'harmoniser' ? 'proposed by the model' : 'given'}): ${used.chords}`
        : `no chords (the '${result.modelId}' model does not follow chords)`;
      process.stdout.write(`key ${used.key ?? '?'}; ${chords}\n`);
    } finally {
      registry.dispose();
    }
  });

export const modelsCommand = new Command('models')
  .description('list the installed models')
  .option('--models-dir <dir>', MODELS_DIR_HELP)
  .option('--json', 'print the cards as JSON')
  .option('--markdown', 'print a Markdown report comparing the models (training, size, metrics against real music)')
  .action(async (opts) => {
    const config = commandConfig();
    await initBackend(config.backend);
    const roots = modelRoots(opts.modelsDir, config);
    const registry = await ModelRegistry.load(...roots);
    try {
      const cards = registry.list().map((m) => m.card);
      if (opts.markdown) {
        const models = await Promise.all(registry.list().map(async (m) => ({ card: m.card, bytes: await layersModelBytes(m.dir) })));
        process.stdout.write(modelReport(models));
        return;
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(cards, null, 2)}\n`);
        return;
      }
      if (cards.length === 0) process.stdout.write(`no models in ${roots.join(' or ')}\n`);
      for (const c of cards) {
        process.stdout.write(`${c.id}\t${c.name} (${c.genre}): ${c.tracks.map((t) => t.name).join(', ')}; ${c.training.iterations} iterations on ${c.training.dataset}\n`);
      }
    } finally {
      registry.dispose();
    }
  });

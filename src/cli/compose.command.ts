import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Command } from 'commander';
import { modelsDir } from '../config/paths.js';
import { compose } from '../inference/compose.js';
import { modelForMelody } from '../inference/model-choice.js';
import { layersModelBytes } from '../inference/model-files.js';
import { modelReport } from '../inference/model-report.js';
import { ModelRegistry } from '../inference/registry.js';
import { stepsPerBar } from '../music/melody.js';
import { arrangementToMidi } from '../music/midi.js';
import { melodyFromInput, type MelodyInput } from '../music/melody-input.js';
import { harmonyUsed, withRequestedHarmony } from '../music/requested-harmony.js';
import { SAMPLE_MELODIES } from '../music/samples.js';
import { parseAudioFormat } from '../render/audio-format.js';
import { defaultRenderer } from '../render/renderer.js';
import { number } from './options.js';

/** A positional melody: a .mid/.midi/.abc file, a sample id, or notation text. */
async function inputFrom(source: string, track: string | undefined): Promise<MelodyInput> {
  const midiTrack = track === undefined ? undefined : /^\d+$/.test(track) ? Number(track) : track;
  const ext = extname(source).toLowerCase();
  if ((ext === '.mid' || ext === '.midi') && existsSync(source)) return { midi: await readFile(source), midiTrack };
  if (ext === '.abc' && existsSync(source)) return { abc: await readFile(source, 'utf8') };
  if (source.startsWith('sample:')) return { sampleId: source.slice('sample:'.length) };
  if (SAMPLE_MELODIES.some((s) => s.id === source)) return { sampleId: source };
  if (/^X:\s*\d/m.test(source)) return { abc: source };
  return { notation: source };
}

export const composeCommand = new Command('compose')
  .description('accompany a melody (MIDI file, ABC file, sample name or notation text) and write a MIDI file')
  .argument('<melody>', 'song.mid | tune.abc | sample id (e.g. ode-to-joy) | notation, e.g. "C4 D4 E4/2 | G4/1"')
  .option('-m, --model <id>', "model id (a model of its genre for the melody's meter is used when its own does not fit)", 'chorale')
  .option('-o, --out <file>', 'output MIDI file (variations get -2, -3… before the extension)', 'composition.mid')
  .option('--track <name|index>', 'MIDI track holding the melody')
  .option('--seed <n>', 'random seed (same seed ⇒ same music)', number)
  .option('--variations <n>', 'how many different arrangements', number, 1)
  .option('--no-keep-melody', 'let the model rewrite the melody too')
  .option('--threshold <x>', 'note threshold, −1…1 (lower: more notes)', number)
  .option('--temperature <x>', 'noise scale, 0…2', number)
  .option('--tempo <bpm>', 'tempo of the output', number)
  .option('--chords <bars>', 'chords by bar, e.g. "C | F G7 | Am . Dm G7 | C" (replace chord symbols in the melody; see docs/notation.md)')
  .option('--key <key>', "the melody's key, e.g. G, F#m, \"Bb minor\" (default: written with the melody, else estimated)")
  .option('--audio <format>', 'also render each arrangement to audio: mp3, ogg, wav or flac')
  .option('--models-dir <dir>', 'folder of model folders', modelsDir())
  .action(async (source: string, opts) => {
    const audio = opts.audio === undefined ? undefined : parseAudioFormat(String(opts.audio));
    const registry = await ModelRegistry.load(opts.modelsDir);
    try {
      const melody = withRequestedHarmony(melodyFromInput(await inputFrom(source, opts.track)), { chords: opts.chords, key: opts.key });
      const result = await compose(modelForMelody(registry, opts.model, melody), melody, {
        seed: opts.seed, variations: opts.variations, keepMelody: opts.keepMelody,
        threshold: opts.threshold, temperature: opts.temperature, tempo: opts.tempo,
        ...(melody.chords ? { chords: melody.chords } : {}), ...(melody.key ? { key: melody.key } : {}),
      });
      const ext = extname(opts.out) || '.mid';
      const base = opts.out.slice(0, opts.out.length - extname(opts.out).length);
      for (const [i, arrangement] of result.arrangements.entries()) {
        const file = i === 0 ? `${base}${ext}` : `${base}-${i + 1}${ext}`;
        const midi = arrangementToMidi(arrangement);
        await writeFile(file, midi);
        if (audio) {
          const rendered = await defaultRenderer().renderAudio(midi, audio, { title: arrangement.title });
          const audioFile = `${file.slice(0, file.length - ext.length)}.${audio}`;
          await writeFile(audioFile, rendered.data);
          process.stdout.write(`${audioFile}: ${rendered.durationSeconds.toFixed(1)} s of ${audio}\n`);
        }
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
  .option('--models-dir <dir>', 'folder of model folders', modelsDir())
  .option('--json', 'print the cards as JSON')
  .option('--markdown', 'print a Markdown report comparing the models (training, size, metrics against real music)')
  .action(async (opts) => {
    const registry = await ModelRegistry.load(opts.modelsDir);
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
      if (cards.length === 0) process.stdout.write(`no models in ${opts.modelsDir}\n`);
      for (const c of cards) {
        process.stdout.write(`${c.id}\t${c.name} (${c.genre}): ${c.tracks.map((t) => t.name).join(', ')}; ${c.training.iterations} iterations on ${c.training.dataset}\n`);
      }
    } finally {
      registry.dispose();
    }
  });

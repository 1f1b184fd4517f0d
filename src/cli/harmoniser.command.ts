import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { readCard } from '../inference/registry.js';
import { DATASET_HELP, loadTrainingData } from '../training/datasets/index.js';
import { updateCard } from '../training/evaluate.js';
import { defaultHarmonicRhythm, harmoniserFor, HARMONISER_FILE, keyNormalised, withWindowBars } from '../training/train-model.js';
import { commandConfig } from './command-config.js';
import { MODELS_DIR_HELP, modelRoots, number } from './options.js';

export const harmoniserCommand = new Command('harmoniser')
  .description("(re)train a chord-conditioned model's harmoniser on a data set's train split and write it into the model folder")
  .requiredOption('-m, --model <id>', 'model id')
  .requiredOption('--data <spec>', `data set: ${DATASET_HELP}`)
  .option('--kind <kind>', 'hmm (a hidden Markov model with a key search) or mlp (a small network that reads 3 segments of context either side)', 'hmm')
  .option('--harmonic-rhythm <steps>', 'steps per chord decision (default half a bar; a bar in 3/4, 3/8 and 9/8)', number)
  .option('--margin <share>', "hmm: the MBR margin this model decodes with, 0-1 (1 = Viterbi's chords; default 0.05); choose it by chord accuracy on the valid split (`continuo eval --split valid`)", number)
  .option('--hidden <units>', 'mlp: hidden units (default 96)', number)
  .option('--epochs <n>', 'mlp: passes over the training excerpts (default 8)', number)
  .option('--models-dir <dir>', MODELS_DIR_HELP)
  .action(async (opts) => {
    // The options first: a mistake is told before the data set is read.
    if (opts.kind !== 'hmm' && opts.kind !== 'mlp') throw new InvalidInputError(`--kind ${opts.kind} is not a harmoniser; use hmm or mlp`);
    const margin = opts.margin as number | undefined;
    if (margin !== undefined && opts.kind !== 'hmm') throw new InvalidInputError('--margin is for the hmm harmoniser');
    if (margin !== undefined && !(margin >= 0 && margin <= 1)) throw new InvalidInputError(`--margin ${margin} is not a share; use a number from 0 to 1`);
    for (const [flag, value, most] of [['--hidden', opts.hidden, 1024], ['--epochs', opts.epochs, 200]] as const) {
      if (value === undefined) continue;
      if (opts.kind !== 'mlp') throw new InvalidInputError(`${flag} is for the mlp harmoniser`);
      if (!Number.isInteger(value) || value < 1 || value > most) throw new InvalidInputError(`${flag} ${value} is not a whole number from 1 to ${most}`);
    }
    const net = { ...(opts.hidden !== undefined ? { hidden: opts.hidden as number } : {}), ...(opts.epochs !== undefined ? { epochs: opts.epochs as number } : {}) };
    // A later root's folder wins, as when models are loaded.
    const roots = modelRoots(opts.modelsDir, commandConfig());
    const dir = roots.map((root) => join(root, opts.model)).reverse().find((d) => existsSync(join(d, 'card.json')));
    if (!dir) throw new NotFoundError('model', opts.model, `no folder ${opts.model}/ with a card.json in ${roots.join(' or ')}`);
    const card = await readCard(dir);
    if (!card.conditioning?.chords) throw new InvalidInputError(`model '${card.id}' does not take chords; it has no harmoniser`);
    const data = keyNormalised(withWindowBars(await loadTrainingData(opts.data)));
    const trained = harmoniserFor(data, opts.harmonicRhythm ?? defaultHarmonicRhythm(card.timeSignature), opts.kind, net);
    const harmoniser = margin !== undefined && trained.kind === 'hmm' ? { ...trained, mbrMargin: margin } : trained;
    await writeFile(join(dir, HARMONISER_FILE), `${JSON.stringify(harmoniser)}\n`);
    await updateCard(dir, (c) => ({ ...c, conditioning: { chords: true, key: c.conditioning?.key ?? 'normalised', harmoniser: HARMONISER_FILE } }));
    process.stdout.write(`${harmoniser.kind} harmoniser of '${card.id}' written: ${harmoniser.vocabulary.length} chords, one per ${harmoniser.segmentSteps} steps, from ${harmoniser.trainedOn}\n`);
  });

import { Command } from 'commander';
import { ModelRegistry } from '../inference/registry.js';
import { calibrateThresholds, withThresholds } from '../training/calibrate.js';
import { calibrateFoldBands, foldTail, withFoldBands } from '../training/fold-bands.js';
import { DATASET_HELP, loadTrainingData } from '../training/datasets/index.js';
import { evaluateModel, modelView, namedEvaluation, updateCard } from '../training/evaluate.js';
import { listeningEvaluation, listeningTable, LISTENING_BARS, LISTENING_PIECES } from '../training/listening-evaluation.js';
import { initBackend } from '../inference/backend.js';
import { commandConfig } from './command-config.js';
import { MODELS_DIR_HELP, modelRoots, number } from './options.js';
import { keyNormalised, trackDecoding, withWindowBars } from '../training/train-model.js';
import type { ModelTrack } from '../inference/model-card.js';
import { InvalidInputError } from '../errors.js';

const pickThresholds = (t: ModelTrack) => ({ ...(t.threshold !== undefined ? { threshold: t.threshold } : {}), ...(t.sustain !== undefined ? { sustain: t.sustain } : {}) });

export const evalCommand = new Command('eval')
  .description("measure a model on a data set's held-out music as a user hears it: real / model / rule-based baseline side by side on the same melodies, the harmoniser's chord accuracy, and a real-vs-generated classifier")
  .requiredOption('-m, --model <id>', 'model id')
  .requiredOption('--data <spec>', `data set: ${DATASET_HELP}`)
  .option('--split <name>', 'test | valid | train', 'test')
  .option('--calibrate', "first calibrate decoding: each part's thresholds on the valid split (and, for chord-conditioned models, its range, shortest notes and rhythmic grid from the train split, and the band its output is folded into, chosen on the valid split)")
  .option('--no-classifier', 'skip the real-vs-generated classifier')
  .option('--write-card', "store the result (and the calibrated decoding) on the model's card")
  .option('--bars <n>', 'bars from the start of each piece', number, LISTENING_BARS)
  .option('--pieces <n>', 'pieces of the split (in id order)', number, LISTENING_PIECES)
  .option('--json', 'print everything as JSON (window metrics too) instead of the table')
  .option('--models-dir <dir>', MODELS_DIR_HELP)
  .action(async (opts) => {
    const config = commandConfig();
    await initBackend(config.backend);
    const registry = await ModelRegistry.load(...modelRoots(opts.modelsDir, config));
    try {
      let model = registry.get(opts.model);
      const data = await loadTrainingData(opts.data);
      const split = opts.split as 'test' | 'valid' | 'train';
      const pieces = data[split];
      if (!pieces) throw new InvalidInputError(`split '${opts.split}' does not exist; use test, valid or train`, { split: opts.split });
      if (opts.calibrate) {
        const played = withWindowBars(data);
        if (model.card.conditioning) {
          const tracks = trackDecoding(model.card.tracks, played, keyNormalised(played), true, model.card.stepsPerBar);
          // Keep what was calibrated before; the data decide ranges, lengths and grids.
          model = { ...model, card: { ...model.card, tracks: tracks.map((t, k) => ({ ...t, ...pickThresholds(model.card.tracks[k]) })) } };
        }
        const thresholds = await calibrateThresholds(model, modelView(model.card, data.valid));
        model = { ...model, card: withThresholds(model.card, thresholds) };
        process.stderr.write(`calibrated thresholds: ${model.card.tracks.map((t) => `${t.name} ${t.threshold ?? '–'}${t.minSteps ? ` (notes ≥ ${t.minSteps} steps${t.minLoneSteps ? `, ≥ ${t.minLoneSteps} alone` : ''})` : ''}`).join(', ')}\n`);
        const bands = await calibrateFoldBands(model, played.train, data.valid);
        model = { ...model, card: withFoldBands(model.card, bands) };
        if (bands) {
          const pc = (x: number) => (100 * x).toFixed(1);
          const told = bands.bands.flatMap((b, k) => (b ? [`${model.card.tracks[k].name} ${b.low}–${b.high}`] : []));
          process.stderr.write(`fold bands (${foldTail(bands.tail)}): ${told.join(', ')}; in the real register: real ${pc(bands.real)} %, folded ${bands.generated.map(pc).join(' / ')} %\n`);
        }
      }
      const label = `${data.name}, ${split} split`;
      const listening = await listeningEvaluation(model, pieces, label, { bars: opts.bars, pieces: opts.pieces, classifier: opts.classifier });
      const evaluation = opts.json || opts.writeCard ? await evaluateModel(model, pieces, label, { classifier: opts.classifier }) : undefined;
      const windows = evaluation && namedEvaluation(model.card, evaluation);
      process.stdout.write(opts.json ? `${JSON.stringify({ listening, windows }, null, 2)}\n` : listeningTable(listening));
      if (opts.writeCard && evaluation) await updateCard(model.dir, (card) => ({ ...card, tracks: model.card.tracks, metrics: { ...evaluation, listening } }));
    } finally {
      registry.dispose();
    }
  });

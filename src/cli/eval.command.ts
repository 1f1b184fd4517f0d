import { Command } from 'commander';
import { modelsDir } from '../config/paths.js';
import { ModelRegistry } from '../inference/registry.js';
import { calibrateThresholds, withThresholds } from '../training/calibrate.js';
import { DATASET_HELP, loadTrainingData } from '../training/datasets/index.js';
import { evaluateModel, updateCard } from '../training/evaluate.js';

export const evalCommand = new Command('eval')
  .description("measure a model on a data set's held-out music: generated vs real metrics, and a real-vs-generated classifier")
  .requiredOption('-m, --model <id>', 'model id')
  .requiredOption('--data <spec>', `data set: ${DATASET_HELP}`)
  .option('--split <name>', 'test | valid | train', 'test')
  .option('--calibrate', "first calibrate the tracks' decoding thresholds on the valid split")
  .option('--no-classifier', 'skip the real-vs-generated classifier')
  .option('--write-card', "store the result (and calibrated thresholds) on the model's card")
  .option('--models-dir <dir>', 'folder of model folders', modelsDir())
  .action(async (opts) => {
    const registry = await ModelRegistry.load(opts.modelsDir);
    try {
      let model = registry.get(opts.model);
      const data = await loadTrainingData(opts.data);
      const split = opts.split as 'test' | 'valid' | 'train';
      const pieces = data[split];
      if (!pieces) throw new Error(`split '${opts.split}' does not exist; use test, valid or train`);
      if (opts.calibrate) {
        const thresholds = await calibrateThresholds(model, data.valid);
        model = { ...model, card: withThresholds(model.card, thresholds) };
        process.stderr.write(`calibrated thresholds: ${model.card.tracks.map((t) => `${t.name} ${t.threshold ?? '–'}`).join(', ')}\n`);
      }
      const evaluation = await evaluateModel(model, pieces, `${data.name}, ${split} split`, { classifier: opts.classifier });
      process.stdout.write(`${JSON.stringify(evaluation, null, 2)}\n`);
      if (opts.writeCard) await updateCard(model.dir, (card) => ({ ...card, tracks: model.card.tracks, metrics: evaluation }));
    } finally {
      registry.dispose();
    }
  });

import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { userModelsDir } from '../config/paths.js';
import { checkDataDirWritable, commandConfig } from './command-config.js';
import { number } from './options.js';
import { trainingProgressBar } from './progress-bar.js';
import { initBackend } from '../inference/backend.js';
import { DEFAULT_HYPER_PARAMETERS, validateHyperParameters, type HyperParameters } from '../training/hyper-parameters.js';
import { DATASET_HELP } from '../training/datasets/index.js';
import { trainModelFolder } from '../training/train-model-folder.js';
import { validateTrainingThreads } from '../training/training-threads.js';

export const trainCommand = new Command('train')
  .description('train a model (WGAN-GP) on a data set and write a model folder with its card')
  .requiredOption('--data <spec>', `data set: ${DATASET_HELP}`)
  .requiredOption('--id <id>', 'model id (lower-case, dashes)')
  .option('--name <name>', 'display name')
  .option('--genre <genre>', 'genre', 'chorale')
  .option('--description <text>', 'description for people choosing a model', '')
  .option('--license <text>', 'terms of the training data that the model carries (shown on the card)')
  .option('--run-dir <dir>', 'checkpoints, samples and history', 'runs/<id>')
  .option('--model-dir <dir>', 'finished model folder (default: DATA_DIR/models/<id>, where servers find it, without a restart, and compose too)')
  .option('--resume', 'continue from the run folder\'s checkpoint', false)
  .option('--iterations <n>', 'generator iterations', number, DEFAULT_HYPER_PARAMETERS.iterations)
  .option('--update-ratio <n>', 'critic steps per generator step', number, DEFAULT_HYPER_PARAMETERS.updateRatio)
  .option('--batch-size <n>', 'windows per batch', number, DEFAULT_HYPER_PARAMETERS.batchSize)
  .option('--learning-rate <x>', 'Adam learning rate', number, DEFAULT_HYPER_PARAMETERS.learningRate)
  .option('--beta1 <x>', 'Adam β1', number, DEFAULT_HYPER_PARAMETERS.beta1)
  .option('--beta2 <x>', 'Adam β2', number, DEFAULT_HYPER_PARAMETERS.beta2)
  .option('--gradient-penalty <x>', 'WGAN-GP penalty weight', number, DEFAULT_HYPER_PARAMETERS.gradientPenalty)
  .option('--filters <n>', 'network size: filters of the first block', number, DEFAULT_HYPER_PARAMETERS.filters)
  .option('--transpose <n>', 'random transposition of windows, ± semitones', number, DEFAULT_HYPER_PARAMETERS.transpose)
  .option('--reconstruction <x>', 'weight of the L1 term between generated and real tracks in the generator loss (0 = pure WGAN-GP)', number, DEFAULT_HYPER_PARAMETERS.reconstruction)
  .option('--reconstruction-loss <kind>', 'l1 (median: parts the melody decides) or bce (probabilities: parts it does not, like a walking bass)', 'l1')
  .option('--no-chords', "do not condition on the data's chords (nor move the music to C major / A minor)")
  .option('--harmonic-rhythm <steps>', "steps per chord of the model's harmoniser (default half a bar; a bar in 3/4, 3/8 and 9/8)", number)
  .option('--pitch-low <n>', 'MIDI number of the lowest pitch row', number, 28)
  .option('--pitch-count <n>', 'pitch rows (multiple of 16)', number, 64)
  .option('--tempo <bpm>', 'default tempo of the model', number, 100)
  .option('--swing <x>', "8th-note swing of the model's output when played: 0.5 straight … 0.67 triplet swing", number)
  .option('--eval-every <n>', 'iterations between metric evaluations', number, 25)
  .option('--sample-every <n>', 'iterations between sample MIDI files', number, 100)
  .option('--checkpoint-every <n>', 'iterations between checkpoints', number, 25)
  .option('--max-minutes <n>', 'stop after this much training time and write the model with the iterations done', number)
  .option('--stop-when-converged', 'end the run when the similarity index (real vs generated metric profiles) stops rising, and write the model')
  .option('--threads <n>', 'threads that share each batch, each computing the gradients of its part (1: one thread; default: one per CPU core, at least 16 windows each)', number)
  .option('--no-progress', 'print one JSON line per iteration instead of a progress bar')
  .action(async (opts) => {
    const hyper: HyperParameters = {
      iterations: opts.iterations, updateRatio: opts.updateRatio, batchSize: opts.batchSize,
      learningRate: opts.learningRate, beta1: opts.beta1, beta2: opts.beta2,
      gradientPenalty: opts.gradientPenalty, filters: opts.filters, transpose: opts.transpose, reconstruction: opts.reconstruction, reconstructionLoss: opts.reconstructionLoss,
    };
    const problems = validateHyperParameters(hyper);
    if (opts.swing !== undefined && !(opts.swing >= 0.5 && opts.swing <= 0.75)) problems.push(`swing must be between 0.5 (straight) and 0.75; got ${opts.swing}`);
    const threadProblem = opts.threads === undefined ? undefined : validateTrainingThreads(opts.threads);
    if (threadProblem) problems.push(threadProblem);
    if (problems.length) throw new InvalidArgumentError(problems.join('; '));
    const config = commandConfig();
    if (opts.modelDir === undefined) await checkDataDirWritable(config);
    const backend = await initBackend(config.backend);
    const id: string = opts.id;
    const bar = opts.progress ? trainingProgressBar() : undefined;
    let similarity = '-';
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    const { card, stopped } = await trainModelFolder({
      dataset: opts.data,
      identity: { id, name: opts.name ?? id, genre: opts.genre, description: opts.description, ...(opts.license ? { license: opts.license } : {}) },
      hyper,
      pitchLow: opts.pitchLow,
      pitchCount: opts.pitchCount,
      tempo: opts.tempo,
      swing: opts.swing,
      runDir: resolve(String(opts.runDir).replace('<id>', id)),
      modelDir: resolve(String(opts.modelDir ?? join(userModelsDir(config.dataDir), '<id>')).replace('<id>', id)),
      fontDirs: config.render.fontDirs,
      resume: opts.resume,
      ...(opts.chords === false ? { conditionOnChords: false } : {}),
      ...(opts.harmonicRhythm !== undefined ? { harmonicRhythm: opts.harmonicRhythm } : {}),
      timeBudgetMs: opts.maxMinutes === undefined ? undefined : opts.maxMinutes * 60_000,
      ...(opts.stopWhenConverged ? { stopWhenConverged: true } : {}),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    }, {
      evalEvery: opts.evalEvery,
      sampleEvery: opts.sampleEvery,
      checkpointEvery: opts.checkpointEvery,
      signal: controller.signal,
      onStart: ({ resumed, iteration, windows }) => {
        process.stderr.write(`backend ${backend.name}; ${windows} training windows; ${resumed ? `resumed at iteration ${iteration}` : 'fresh start'}\n`);
        bar?.start(hyper.iterations, iteration, { critic: '-', gen: '-', w: '-', similarity: '-' });
      },
      onProgress: (p) => {
        if (p.similarity !== undefined) similarity = p.similarity.toFixed(3);
        const values = { critic: p.criticLoss.toFixed(3), gen: p.generatorLoss.toFixed(3), w: p.wasserstein.toFixed(3), similarity };
        if (bar) bar.update(p.iteration, values);
        else process.stdout.write(`${JSON.stringify({ ...p, metrics: undefined, hasMetrics: Boolean(p.metrics) })}\n`);
      },
    });
    bar?.stop();
    if (stopped) {
      process.stdout.write(`stopped at iteration ${card.training.iterations}; the checkpoint is kept — continue with --resume\n`);
      return;
    }
    const accuracy = card.metrics?.realOrGenerated?.accuracy;
    process.stdout.write(`model '${card.id}' written after ${card.training.iterations} iterations (${card.training.seconds} s${card.training.converged ? ', the similarity index had stopped rising' : ''})`);
    process.stdout.write(card.metrics ? `; ${card.metrics.evaluatedOn}; real-vs-generated accuracy ${accuracy ?? 'not measured (too few windows)'}\n` : '\n');
  });

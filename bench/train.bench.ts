import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.js';
import { shippedModelsDir } from '../src/config/paths.js';
import { currentBackend, initBackend } from '../src/inference/backend.js';
import type { ModelCard } from '../src/inference/model-card.js';
import type { Note } from '../src/music/melody.js';
import { JSB_TRACKS } from '../src/training/datasets/jsb-chorales.js';
import { DEFAULT_HYPER_PARAMETERS } from '../src/training/hyper-parameters.js';
import { GanTrainer } from '../src/training/trainer.js';
import { defaultTrainingThreads } from '../src/training/training-threads.js';
import { windowsOf, type Piece } from '../src/training/dataset.js';
import { report, round } from './stats.js';

/**
 * Chorale-shaped pieces made here, so that the bench needs no data set: 16 bars of four voices (a
 * soprano walking a scale over alto, tenor and bass a third, a fifth and two octaves below). An
 * iteration's cost depends on the window size and the batch, not on which notes the windows hold.
 */
function syntheticChorales(count = 8): Piece[] {
  const tune = [0, 2, 4, 5, 7, 5, 4, 2, 0, 4, 7, 12, 7, 4, 2, 0];
  return Array.from({ length: count }, (_, k) => {
    const root = 62 + (k % 5);
    const voice = (below: number): Note[] =>
      Array.from({ length: 64 }, (_, i) => ({ pitch: root + tune[(i + k) % tune.length] - below, start: i * 4, duration: 4, velocity: 90 }));
    return { id: `synthetic-${k}`, steps: 256, tracks: [voice(0), voice(3), voice(7), voice(24)] };
  });
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * CPU time of each thread of this process by thread id, where Linux shows it (/proc, in clock ticks of
 * 10 ms): the busiest thread's share of an iteration is the least the iteration takes on idle cores.
 */
function threadCpuMs(): Map<string, number> | undefined {
  if (!existsSync('/proc/self/task')) return undefined;
  const times = new Map<string, number>();
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(id, (Number(fields[11]) + Number(fields[12])) * 10); // utime + stime
    } catch {
      // the thread ended
    }
  }
  return times;
}

function busiestThreadMs(before: Map<string, number> | undefined, after: Map<string, number> | undefined): number | undefined {
  if (!before || !after) return undefined;
  return Math.max(0, ...[...after].map(([id, ms]) => ms - (before.get(id) ?? 0)));
}

/** A trainer that trains an iteration per turn, and what each took. */
class Turns {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];
  readonly busiest: number[] = [];
  readonly trainer: GanTrainer;
  private onIteration: (() => void) | undefined;

  constructor(readonly threads: number, readonly dir: string, iterations: number, pieces: Piece[]) {
    const hyper = { ...DEFAULT_HYPER_PARAMETERS, iterations };
    const spec = { steps: 32, pitches: 64, tracks: 4, filters: hyper.filters, noiseChannels: 8 * hyper.filters };
    this.trainer = new GanTrainer({
      hyper, threads, card: { network: spec, pitchLow: 28, tracks: JSB_TRACKS.map((t) => ({ ...t })), threshold: 0 },
      stepsPerBar: 16, timeSignature: { numerator: 4, denominator: 4 }, tempo: 100, pieces,
      windows: windowsOf(pieces, { steps: 32, hop: 4, maxMelodyRest: 0.5, pitchLow: 28, pitchCount: 64 }),
      evalWindows: [], outDir: dir, evalEvery: 1e9, sampleEvery: 1e9, checkpointEvery: 1e9,
      onProgress: () => this.onIteration?.(),
    });
  }

  /** Trains one more iteration and records what it took (not the checkpoint that ends a turn). */
  async next(): Promise<void> {
    const start = { wall: performance.now(), cpu: cpuMs(), threads: threadCpuMs() };
    this.onIteration = () => {
      this.wall.push(performance.now() - start.wall);
      this.cpu.push(cpuMs() - start.cpu);
      const busy = busiestThreadMs(start.threads, threadCpuMs());
      if (busy !== undefined) this.busiest.push(busy);
    };
    await this.trainer.run(this.trainer.iteration + 1);
  }
}

/**
 * train.iteration: wall time of one training iteration (update ratio 5, batch 64, default size) with
 * 1 thread and with `threads` sharing each batch, the CPU time of the process (all its threads) per
 * iteration, and that of its busiest thread. The set-ups take turns, an iteration each, so that the
 * machine's other load weighs on each alike; its load average is part of the figure: on a busy
 * machine threads wait for cores (and Linux shares the CPU between sessions, not threads).
 */
async function iterationBench(iterations: number, threads: readonly number[]): Promise<void> {
  const pieces = syntheticChorales();
  const loadBefore = loadavg()[0];
  const setups: Turns[] = [];
  try {
    for (const n of threads) {
      const t = new Turns(n, await mkdtemp(join(tmpdir(), 'continuo-bench-')), iterations + 1, pieces);
      setups.push(t);
      await t.trainer.init(false);
    }
    for (let i = 0; i <= iterations; i++) for (const t of setups) await t.next();
  } finally {
    for (const t of setups) {
      t.trainer.dispose();
      await rm(t.dir, { recursive: true, force: true });
    }
  }
  const mean = (values: number[]) => round(values.reduce((a, b) => a + b, 0) / values.length, 0);
  for (const t of setups) {
    // The first iteration includes kernel warm-up.
    report({
      bench: 'train.iteration',
      data: `synthetic, ${pieces.length} four-voice pieces`,
      backend: currentBackend()?.name,
      threads: t.threads,
      cores: availableParallelism(),
      update_ratio: DEFAULT_HYPER_PARAMETERS.updateRatio,
      batch: DEFAULT_HYPER_PARAMETERS.batchSize,
      filters: DEFAULT_HYPER_PARAMETERS.filters,
      iterations,
      ms_per_iteration: mean(t.wall.slice(1)),
      cpu_ms_per_iteration: mean(t.cpu.slice(1)),
      ...(t.busiest.length > 1 ? { busiest_thread_cpu_ms_per_iteration: mean(t.busiest.slice(1)) } : {}),
      load_average: [round(loadBefore, 1), round(loadavg()[0], 1)],
    });
  }
}

/**
 * train.iteration on synthetic chorale windows (no data set needed), on one thread and on the default
 * threads (one per core), and the shipped chorale model's own training time from its card.
 */
export async function trainBench(iterations = 3): Promise<void> {
  const backend = await initBackend(loadConfig().backend);
  const threads = defaultTrainingThreads(DEFAULT_HYPER_PARAMETERS.batchSize, backend.name);
  await iterationBench(iterations, threads > 1 ? [1, threads] : [1]);
  const cardFile = join(shippedModelsDir(), 'chorale', 'card.json');
  if (existsSync(cardFile)) {
    const card = JSON.parse(await readFile(cardFile, 'utf8')) as ModelCard;
    report({
      bench: 'train.shipped_model',
      model: card.id,
      iterations: card.training.iterations,
      batch: card.training.hyperParameters.batchSize,
      seconds: card.training.seconds,
      backend: card.training.backend,
    });
  }
}

import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { InvalidInputError } from '../errors.js';
import { logger } from '../logger.js';
import type { TrackRole } from '../music/arrangement.js';
import type { MetricSummary, TrackMetrics } from '../music/metrics.js';
import { FONT_FAMILY } from './piano-roll-svg.js';
import { trackColor } from './track-colors.js';

export interface TrainingChartOptions {
  readonly title?: string;
  /**
   * The model's tracks, in the order of `metrics.tracks`: names for the legend and roles to pick the
   * accompaniment. Default: track 0 is the melody (the trainer's key track), the rest accompaniment.
   */
  readonly tracks?: readonly { readonly name: string; readonly role: TrackRole }[];
  /** Width of each plot in pixels. */
  readonly width?: number;
}

const log = logger.child({ module: 'render' });

/** vega and vega-lite warn on the console by default; their messages belong in our log. */
class ChartLogger {
  level(level?: number): number | this {
    return level === undefined ? 2 : this;
  }
  error(...args: unknown[]): this {
    log.warn({ vega: args.map(String).join(' ') }, 'chart error');
    return this;
  }
  warn(...args: unknown[]): this {
    log.debug({ vega: args.map(String).join(' ') }, 'chart warning');
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

/** What a chart draws of each training iteration (training's progress records have these fields). */
export interface ChartPoint {
  readonly iteration: number;
  readonly criticLoss: number;
  readonly generatorLoss: number;
  readonly wasserstein: number;
  readonly metrics?: MetricSummary;
}

type History = readonly ChartPoint[];

const LOSSES = [
  { key: 'criticLoss', label: 'critic loss' },
  { key: 'generatorLoss', label: 'generator loss' },
  { key: 'wasserstein', label: 'Wasserstein estimate' },
] as const;

const METRICS: readonly { key: keyof TrackMetrics; label: string }[] = [
  { key: 'inScaleRatio', label: 'in-scale ratio' },
  { key: 'emptyBarRate', label: 'empty-bar rate' },
  { key: 'qualifiedNoteRate', label: 'qualified-note rate' },
];

/** Long-format rows for vega-lite; non-finite values (NaN where a track had no notes) are left out. */
function lossRows(history: History) {
  return history.flatMap((p) => LOSSES.filter((l) => Number.isFinite(p[l.key])).map((l) => ({ iteration: p.iteration, series: l.label, value: p[l.key] })));
}

function metricRows(history: History, options: TrainingChartOptions) {
  return history.flatMap((p) =>
    (p.metrics?.tracks ?? []).flatMap((m, k) => {
      const track = options.tracks?.[k] ?? { name: `track ${k + 1}`, role: k === 0 ? 'melody' : 'accompaniment' };
      if (track.role !== 'accompaniment') return [];
      return METRICS.filter((x) => Number.isFinite(m[x.key])).map((x) => ({ iteration: p.iteration, metric: x.label, track: track.name, index: k, value: m[x.key] as number }));
    }),
  );
}

/** The vega-lite spec: losses over iterations on top, the evaluation metrics per accompaniment track below. */
export function trainingChartSpec(history: History, options: TrainingChartOptions = {}): TopLevelSpec {
  if (history.length === 0) throw new InvalidInputError('the training history is empty; train for at least one iteration before drawing it');
  const width = options.width ?? 560;
  const losses = {
    title: 'Losses',
    data: { values: lossRows(history) },
    mark: { type: 'line', strokeWidth: 1.5 },
    width,
    height: 220,
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
      y: { field: 'value', type: 'quantitative', title: 'loss', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 240 }, scale: { domain: LOSSES.map((l) => l.label), range: ['#e15759', '#4e79a7', '#59a14f'] } },
    },
  } as const;
  const metrics = metricRows(history, options);
  // Colours follow the track index, as in the piano roll.
  const colorOf = new Map(metrics.map((r) => [r.track, trackColor(r.index)]));
  const metricCharts = {
    title: 'Evaluation metrics (accompaniment tracks)',
    data: { values: metrics },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: METRICS.map((m) => m.label) } },
    spec: {
      width: Math.round((width - 60) / 3),
      height: 160,
      mark: { type: 'line', point: true, strokeWidth: 1.5, clip: true },
      encoding: {
        x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } },
        color: { field: 'track', type: 'nominal', title: 'track', scale: { domain: [...colorOf.keys()], range: [...colorOf.values()] } },
      },
    },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: { text: options.title, fontSize: 16 } } : {}),
    background: '#ffffff',
    config: { font: FONT_FAMILY, view: { stroke: '#dddddd' } },
    vconcat: metrics.length ? [losses, metricCharts] : [losses],
    // Loss series and tracks are different things: each plot keeps its own colours and legend.
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  } as TopLevelSpec;
}

/** Training charts as SVG, rendered by vega in Node without a DOM or canvas. */
export async function trainingChartSvg(history: History, options: TrainingChartOptions = {}): Promise<string> {
  const chartLogger = new ChartLogger();
  const { spec } = compile(trainingChartSpec(history, options), { logger: chartLogger });
  const view = new View(parse(spec), { renderer: 'none', logger: chartLogger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

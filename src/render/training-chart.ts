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
  readonly similarity?: number;
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

/**
 * The loss axis: the 1st–99th percentile of the losses after the first tenth of the run, padded by a
 * tenth of that span, so that the opening spike (hundreds, where the run then moves by units) does
 * not flatten the curves; the lines are clipped to it. Undefined (the axis fits everything) when
 * nothing would be cut.
 */
export function lossDomain(history: History): [number, number] | undefined {
  const values = lossRows(history).map((r) => r.value);
  if (values.length === 0) return undefined;
  const first = history[0].iteration;
  const span = history[history.length - 1].iteration - first;
  const settled = lossRows(history.filter((p) => p.iteration >= first + span / 10)).map((r) => r.value).sort((a, b) => a - b);
  if (settled.length < 2) return undefined;
  const at = (q: number) => settled[Math.round(q * (settled.length - 1))];
  const low = at(0.01);
  const high = at(0.99);
  const pad = Math.max((high - low) / 10, 1e-6);
  const domain: [number, number] = [low - pad, high + pad];
  return values.some((v) => v < domain[0] || v > domain[1]) ? domain : undefined;
}

/** The vega-lite spec: losses over iterations on top, the similarity index, then the evaluation metrics per accompaniment track. */
export function trainingChartSpec(history: History, options: TrainingChartOptions = {}): TopLevelSpec {
  if (history.length === 0) throw new InvalidInputError('the training history is empty; train for at least one iteration before drawing it');
  const width = options.width ?? 560;
  const domain = lossDomain(history);
  const losses = {
    title: domain ? 'Losses (the axis leaves out the opening spike)' : 'Losses',
    data: { values: lossRows(history) },
    mark: { type: 'line', strokeWidth: 1.5, clip: true },
    width,
    height: 220,
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
      y: { field: 'value', type: 'quantitative', title: 'loss', scale: domain ? { domain } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 240 }, scale: { domain: LOSSES.map((l) => l.label), range: ['#e15759', '#4e79a7', '#59a14f'] } },
    },
  } as const;
  const similarityRows = history.flatMap((p) => (p.similarity !== undefined && Number.isFinite(p.similarity) ? [{ iteration: p.iteration, value: p.similarity }] : []));
  const similarity = {
    title: 'Similarity index (generated vs real metric profiles; flat = converged)',
    data: { values: similarityRows },
    mark: { type: 'line', point: true, strokeWidth: 1.5, color: '#b07aa1' },
    width,
    height: 120,
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
      y: { field: 'value', type: 'quantitative', title: 'similarity', scale: { zero: false } },
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
    vconcat: [losses, ...(similarityRows.length ? [similarity] : []), ...(metrics.length ? [metricCharts] : [])],
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

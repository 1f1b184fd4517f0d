import { listeningTable, type ListeningEvaluation } from '../music/listening-table.js';
import type { MetricSummary } from '../music/metrics.js';
import type { ModelCard } from './model-card.js';

/** What the report needs of a model folder: its card and the size of its files. */
export interface ReportedModel {
  readonly card: ModelCard;
  readonly bytes: number;
}

interface CardMetrics {
  readonly evaluatedOn: string;
  readonly generated: MetricSummary;
  readonly real: MetricSummary;
  readonly realOrGenerated?: { accuracy: number; testPairs: number };
  readonly listening?: ListeningEvaluation;
}

const fixed = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const percent = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`);
const pair = (a: string, b: string) => `${a} / ${b}`;
const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;

function distanceToMelody(summary: MetricSummary, track: number): number | undefined {
  return summary.tonalDistance.find((d) => d.a === 0 && d.b === track)?.distance;
}

/**
 * Markdown comparing models: one overview row per model (data, training, size, the real-vs-generated
 * classifier), then per model the card's metrics of every accompaniment track, generated next to real.
 */
export function modelReport(models: readonly ReportedModel[]): string {
  const lines: string[] = [
    '| model | tracks | training data | iterations (update ratio, batch) | training time | size | real-vs-generated accuracy |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const { card, bytes } of models) {
    const metrics = card.metrics as CardMetrics | undefined;
    const h = card.training.hyperParameters;
    const classifier = metrics?.realOrGenerated ? `${percent(metrics.realOrGenerated.accuracy)} (${metrics.realOrGenerated.testPairs} pairs)` : '–';
    lines.push(
      `| \`${card.id}\` | ${card.tracks[0].name} → ${card.tracks.slice(1).map((t) => t.name).join(', ')} | ${card.training.windows.toLocaleString('en')} windows | ${card.training.iterations} (${h.updateRatio}, ${h.batchSize}) | ${minutes(card.training.seconds)} | ${(bytes / 2 ** 20).toFixed(1)} MB | ${classifier} |`,
    );
  }
  for (const { card } of models) {
    const metrics = card.metrics as CardMetrics | undefined;
    lines.push('', `### \`${card.id}\`: generated / real`, '');
    if (!metrics) {
      lines.push('Not evaluated yet: run `continuo eval --model ' + card.id + ' --data … --write-card`.');
      continue;
    }
    if (metrics.listening) {
      lines.push('As heard: real / model / rule baseline on the same held-out melodies (`continuo eval`), percentages.', '', listeningTable(metrics.listening).trim(), '');
      lines.push('Window metrics (MuseGAN style), generated / real:', '');
    }
    lines.push(
      metrics.evaluatedOn,
      '',
      '| track | in-scale | notes ≥ 3 steps | pitch classes per bar | empty bars | polyphony | range | tonal distance to the melody |',
      '|---|---|---|---|---|---|---|---|',
    );
    card.tracks.forEach((track, k) => {
      if (k === 0) return;
      const g = metrics.generated.tracks[k];
      const r = metrics.real.tracks[k];
      if (!g || !r) return;
      lines.push(
        `| ${track.name} | ${pair(fixed(g.inScaleRatio, 3), fixed(r.inScaleRatio, 3))} | ${pair(fixed(g.qualifiedNoteRate, 3), fixed(r.qualifiedNoteRate, 3))} | ${pair(fixed(g.pitchClassesUsed), fixed(r.pitchClassesUsed))} | ${pair(percent(g.emptyBarRate), percent(r.emptyBarRate))} | ${pair(fixed(g.polyphonyRate), fixed(r.polyphonyRate))} | ${pair(`${g.lowestPitch ?? '–'}–${g.highestPitch ?? '–'}`, `${r.lowestPitch ?? '–'}–${r.highestPitch ?? '–'}`)} | ${pair(fixed(distanceToMelody(metrics.generated, k)), fixed(distanceToMelody(metrics.real, k)))} |`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrackRole } from '../music/arrangement.js';
import { svgToPng } from './svg-raster.js';
import { trainingChartSvg, type ChartPoint } from './training-chart.js';

/** Writes `training-chart.svg` and `.png` (losses and metrics over iterations) into a folder. */
export async function writeTrainingCharts(
  dir: string,
  history: readonly ChartPoint[],
  model: { readonly name: string; readonly tracks: readonly { readonly name: string; readonly role: TrackRole }[] },
  fontDirs: readonly string[] = [],
): Promise<void> {
  const svg = await trainingChartSvg(history, { title: `${model.name}: training`, tracks: model.tracks });
  await writeFile(join(dir, 'training-chart.svg'), svg);
  await writeFile(join(dir, 'training-chart.png'), (await svgToPng(svg, { fontDirs })).data);
}

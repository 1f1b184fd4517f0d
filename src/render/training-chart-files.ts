import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrackRole } from '../music/arrangement.js';
import type { TrainingProgress } from '../training/trainer.js';
import { svgToPng } from './svg-raster.js';
import { trainingChartSvg } from './training-chart.js';

/** Writes `training-chart.svg` and `.png` (losses and metrics over iterations) into a folder. */
export async function writeTrainingCharts(
  dir: string,
  history: readonly TrainingProgress[],
  model: { readonly name: string; readonly tracks: readonly { readonly name: string; readonly role: TrackRole }[] },
): Promise<void> {
  const svg = await trainingChartSvg(history, { title: `${model.name}: training`, tracks: model.tracks });
  await writeFile(join(dir, 'training-chart.svg'), svg);
  await writeFile(join(dir, 'training-chart.png'), (await svgToPng(svg)).data);
}

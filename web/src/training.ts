import { ApiError, type Api } from './api';
import { $ } from './dom';
import { StudioCancelTrainingDocument, StudioTrainDocument, StudioTrainingJobDocument, StudioTrainingProgressDocument } from './generated/graphql';

interface Point {
  iteration: number;
  critic?: number | null;
  generator?: number | null;
}

const SERIES = [
  { field: 'critic', label: 'critic loss', color: '#f28e2b' },
  { field: 'generator', label: 'generator loss', color: '#4e79a7' },
] as const;

/** A line chart of the losses against the iteration, redrawn on every point. */
function drawChart(canvas: HTMLCanvasElement, points: Point[], iterations: number): void {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const g = canvas.getContext('2d');
  if (!g || !width) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = '#14171c';
  g.fillRect(0, 0, width, height);
  const values = points.flatMap((p) => SERIES.map((s) => p[s.field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  const pad = { l: 52, r: 12, t: 24, b: 26 };
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const x = (i: number): number => pad.l + (i / Math.max(1, iterations)) * (width - pad.l - pad.r);
  const y = (v: number): number => pad.t + ((hi - v) / (hi - lo)) * (height - pad.t - pad.b);
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#9aa4b2';
  g.strokeStyle = '#262b33';
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    g.fillRect(pad.l, Math.round(y(v)), width - pad.l - pad.r, 1);
    g.fillText(v.toFixed(2), pad.l - 6, y(v));
  }
  g.textAlign = 'center';
  g.fillText(`iteration (of ${iterations})`, (width + pad.l) / 2, height - 10);
  SERIES.forEach((s, k) => {
    g.fillStyle = s.color;
    g.fillRect(pad.l + k * 140, 8, 14, 3);
    g.textAlign = 'left';
    g.fillText(s.label, pad.l + k * 140 + 20, 10);
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    let started = false;
    for (const p of points) {
      const v = p[s.field];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (started) g.lineTo(x(p.iteration), y(v));
      else g.moveTo(x(p.iteration), y(v));
      started = true;
    }
    g.stroke();
  });
  canvas.dataset.points = String(points.length);
  canvas.dataset.lastIteration = String(points[points.length - 1]?.iteration ?? 0);
}

/** `{ [field]: n }` when the number field holds a value, else nothing (the server's default). */
function optionalInt<K extends string>(id: string, field: K): Partial<Record<K, number>> {
  const value = $<HTMLInputElement>(id).value.trim();
  return value ? ({ [field]: Math.round(Number(value)) } as Partial<Record<K, number>>) : {};
}

/** The training panel: start a job on a server data set, follow `trainingProgress` as a live chart. */
export function setupTraining(api: Api, problem: (e: unknown) => string): void {
  const form = $<HTMLFormElement>('train-form');
  const status = $('train-status');
  const errorBox = $('train-error');
  const cancel = $<HTMLButtonElement>('train-cancel');
  const canvas = $<HTMLCanvasElement>('train-chart');
  let jobId: string | null = null;
  drawChart(canvas, [], 1);
  $('training').addEventListener('toggle', () => drawChart(canvas, [], 1));

  const fail = (message: string | null): void => {
    errorBox.hidden = !message;
    errorBox.textContent = message ?? '';
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fail(null);
    const iterations = Number($<HTMLInputElement>('train-iterations').value) || 200;
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    submit.disabled = true;
    const points: Point[] = [];
    try {
      const job = (await api.request(StudioTrainDocument, {
        input: {
          dataset: $<HTMLInputElement>('train-dataset').value.trim(),
          modelId: $<HTMLInputElement>('train-model').value.trim(),
          iterations,
          ...optionalInt('train-batch', 'batchSize'),
          ...optionalInt('train-filters', 'filters'),
        },
      })).trainModel;
      jobId = job.id;
      cancel.disabled = false;
      status.textContent = `Training job ${job.id}: ${job.status.toLowerCase()}`;
      const sub = api.subscribe(StudioTrainingProgressDocument, { jobId: job.id }, ({ trainingProgress: p }) => {
        if (typeof p.iteration === 'number') {
          points.push({ iteration: p.iteration, critic: p.criticLoss, generator: p.generatorLoss });
          drawChart(canvas, points, p.iterations ?? iterations);
        }
        status.textContent = `Training job ${job.id}: ${p.status.toLowerCase()}${p.iteration != null ? `, iteration ${p.iteration} of ${p.iterations ?? iterations}` : ''}`;
      });
      try {
        await sub.done;
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'NETWORK') throw error;
      }
      const final = (await api.request(StudioTrainingJobDocument, { id: job.id })).trainingJob;
      if (final) {
        status.textContent = `Training job ${final.id}: ${final.status.toLowerCase()}${final.status === 'DONE' ? ` — model ${final.modelId} is ready to compose with (reload to see its card)` : ''}`;
        if (final.error) fail(`${final.error.message} (${final.error.code})`);
      }
    } catch (error) {
      fail(problem(error));
    } finally {
      submit.disabled = false;
      cancel.disabled = true;
    }
  });

  cancel.addEventListener('click', async () => {
    if (!jobId) return;
    try {
      await api.request(StudioCancelTrainingDocument, { id: jobId });
    } catch (error) {
      fail(problem(error));
    }
  });
}

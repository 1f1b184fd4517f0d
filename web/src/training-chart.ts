/** One step of a run as the chart draws it: the losses every iteration, the similarity index when it was measured. */
export interface TrainingPoint {
  readonly iteration: number;
  readonly critic?: number | null;
  readonly generator?: number | null;
  readonly similarity?: number | null;
}

const LOSSES = [
  { field: 'critic', label: 'critic loss', color: '#f28e2b' },
  { field: 'generator', label: 'generator loss', color: '#76a7dc' },
] as const;
const SIMILARITY = { label: 'similarity index (right, 0–1)', color: '#8cd17d' };

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A line chart of a training run against the iteration: the losses on the left axis, the similarity
 * index (0–1) on the right, redrawn on every point. What it shows is mirrored in data attributes and
 * the label, for tests and assistive tools.
 */
export function drawTrainingChart(canvas: HTMLCanvasElement, points: readonly TrainingPoint[], iterations: number): void {
  const measured = points.filter((p) => finite(p.similarity));
  const last = points[points.length - 1];
  const lastSimilarity = measured[measured.length - 1];
  canvas.dataset.points = String(points.length);
  canvas.dataset.lastIteration = String(last?.iteration ?? 0);
  canvas.dataset.similarityPoints = String(measured.length);
  canvas.dataset.similarity = lastSimilarity ? String(lastSimilarity.similarity) : '';
  canvas.setAttribute('aria-label', last
    ? `Training losses and similarity index: iteration ${last.iteration} of ${iterations}${finite(last.critic) ? `, critic loss ${last.critic.toFixed(2)}` : ''}${finite(last.generator) ? `, generator loss ${last.generator.toFixed(2)}` : ''}${lastSimilarity ? `, similarity ${lastSimilarity.similarity!.toFixed(3)} at iteration ${lastSimilarity.iteration}` : ''}`
    : 'Training losses and similarity index: no iteration yet');

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
  const values = points.flatMap((p) => LOSSES.map((s) => p[s.field]).filter(finite));
  const pad = { l: 52, r: 44, t: 26, b: 34 };
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const x = (i: number): number => pad.l + (i / Math.max(1, iterations)) * (width - pad.l - pad.r);
  const y = (v: number): number => pad.t + ((hi - v) / (hi - lo)) * (height - pad.t - pad.b);
  const ySimilarity = (v: number): number => pad.t + (1 - v) * (height - pad.t - pad.b);
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#9aa4b2';
  g.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    g.fillStyle = '#262b33';
    g.fillRect(pad.l, Math.round(y(v)), width - pad.l - pad.r, 1);
    g.fillStyle = '#9aa4b2';
    g.textAlign = 'right';
    g.fillText(v.toFixed(2), pad.l - 6, y(v));
    g.textAlign = 'left';
    g.fillStyle = SIMILARITY.color;
    g.fillText((k / 4).toFixed(2), width - pad.r + 6, ySimilarity(k / 4));
  }
  g.fillStyle = '#9aa4b2';
  g.textAlign = 'center';
  g.fillText(`iteration (of ${iterations})`, (width + pad.l - pad.r) / 2, height - 10);
  // Iteration ticks at whole numbers, about five of them.
  const every = Math.max(1, Math.ceil(iterations / 5));
  for (let i = every; i <= iterations; i += every) {
    g.fillRect(Math.round(x(i)), height - pad.b, 1, 4);
    g.fillText(String(i), x(i), height - pad.b + 11);
  }

  const legend = [...LOSSES.map((s) => ({ label: s.label, color: s.color })), SIMILARITY];
  legend.forEach((s, k) => {
    g.fillStyle = s.color;
    g.fillRect(pad.l + k * 150, 9, 14, 3);
    g.textAlign = 'left';
    g.fillText(s.label, pad.l + k * 150 + 20, 11);
  });
  const line = (color: string, at: (p: TrainingPoint) => number | null | undefined, toY: (v: number) => number, dots: boolean): void => {
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    let started = false;
    for (const p of points) {
      const v = at(p);
      if (!finite(v)) continue;
      if (started) g.lineTo(x(p.iteration), toY(v));
      else g.moveTo(x(p.iteration), toY(v));
      started = true;
    }
    g.stroke();
    if (!dots) return;
    for (const p of points) {
      const v = at(p);
      if (!finite(v)) continue;
      g.beginPath();
      g.arc(x(p.iteration), toY(v), 3.5, 0, 2 * Math.PI);
      g.fill();
    }
  };
  for (const s of LOSSES) line(s.color, (p) => p[s.field], y, points.length < 40);
  line(SIMILARITY.color, (p) => p.similarity, ySimilarity, true);
}

import cliProgress from 'cli-progress';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A time left for people: `7s`, `45s`, `1m55s`, `2m00s`, `1h05m`. The whole is rounded first (to
 * `roundTo` seconds past 10 s, to minutes past an hour) and then split, so 119 s reads `2m00s`, never
 * `1m60s` as cli-progress's own formatter writes it. Before a rate is known cli-progress passes
 * 'NULL' or 'INF'; those read `–`.
 */
export function formatEta(seconds: number | string, roundTo = 1): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds >= 3600) {
    const minutes = Math.round(seconds / 60);
    return `${Math.floor(minutes / 60)}h${pad(minutes % 60)}m`;
  }
  const step = seconds > 10 ? Math.max(1, roundTo) : 1;
  const total = Math.round(seconds / step) * step;
  if (total >= 3600) return '1h00m';
  return total >= 60 ? `${Math.floor(total / 60)}m${pad(total % 60)}s` : `${total}s`;
}

/** The training progress bar: iterations, the three losses, the last similarity index and the time left. */
export function trainingProgressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      format: 'train {bar} {value}/{total} | critic {critic} | gen {gen} | W {w} | similarity {similarity} | ETA {eta_formatted}',
      formatTime: (seconds, _options, roundTo) => formatEta(seconds, roundTo),
    },
    cliProgress.Presets.shades_classic,
  );
}

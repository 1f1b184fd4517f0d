/**
 * A chord chart in the bar syntax the API takes and returns (docs/notation.md, "Chords by bar"), read
 * only as far as drawing it needs: which symbol sounds from where to where, in bars. The symbols are
 * shown as written; the service checks them when they are sent.
 */
export interface ChartSpan {
  /** Bars from the first bar, fractional (`F G7` puts G7 at 0.5 of its bar). */
  readonly start: number;
  readonly end: number;
  /** The symbol as written; null for no chord (N.C.). */
  readonly symbol: string | null;
}

const HOLD = new Set(['.', '/']);
const NO_CHORD = /^(n\.?\s?c\.?|none)$/i;

/** The bars of a chart: `|`-separated, a leading or trailing `|`, `||` and `|]` allowed. */
function bars(text: string): string[][] {
  const cells = text.replace(/\|\]/g, '|').split('|').map((bar) => bar.trim().split(/\s+/).filter(Boolean));
  // Bar lines at the ends and doubled ones make empty cells; bars are never empty otherwise.
  return cells.filter((cell) => cell.length > 0);
}

/** The chart's spans, each held to the next symbol; the last one ends at `totalBars` (or its own bar's end). */
export function chartSpans(text: string, totalBars?: number): ChartSpan[] {
  const out: { start: number; end: number; symbol: string | null }[] = [];
  const all = bars(text);
  all.forEach((cell, bar) => {
    cell.forEach((token, i) => {
      const start = bar + i / cell.length;
      const end = bar + (i + 1) / cell.length;
      const last = out[out.length - 1];
      if (HOLD.has(token)) {
        if (last) last.end = end;
      } else {
        out.push({ start, end, symbol: NO_CHORD.test(token) ? null : token });
      }
    });
  });
  const last = out[out.length - 1];
  if (last && totalBars !== undefined && totalBars > last.end) last.end = totalBars;
  return out;
}

/** The chart written back with one space around each bar line, as the service writes it. */
export function tidyChart(text: string): string {
  return bars(text).map((cell) => cell.join(' ')).join(' | ');
}

import type { Arrangement, ArrangementTrack } from '../music/arrangement.js';
import { STEPS_PER_QUARTER, stepsPerBar } from '../music/melody.js';
import { trackColor } from './track-colors.js';

export interface PianoRollPictureOptions {
  /** Drawn above the roll; default the arrangement's title, `null` for none. */
  readonly title?: string | null;
  /** Horizontal zoom; default fits the piece into about 1600 px (2–10 px per 16th). */
  readonly pixelsPerStep?: number;
  /** Height of one semitone row. */
  readonly pixelsPerPitch?: number;
  /** Facts about the piece shown under the title (model, key, seed…); the tempo and meter are always shown. */
  readonly facts?: readonly string[];
  /** The number of the first bar drawn (default 1): a part of a longer piece keeps its bar numbers. */
  readonly firstBar?: number;
}

export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);
/** Rows named at the left: C (with its octave, in bold), E and G, which keeps labels at least 3 rows apart. */
const NAMED_ROWS: Readonly<Record<number, string>> = { 0: 'C', 4: 'E', 7: 'G' };
const LEFT = 48;
const RIGHT = 12;
const LEGEND_ROW = 22;
const BAR_NUMBERS = 16;
const MIN_PITCH_SPAN = 24;

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

const n = (x: number) => Math.round(x * 100) / 100;

interface LegendItem {
  readonly label: string;
  readonly x: number;
  readonly row: number;
}

/** Legend entries left to right, wrapping onto a new row where the picture ends (text width estimated). */
function layoutLegend(tracks: readonly ArrangementTrack[], width: number): LegendItem[] {
  const items: LegendItem[] = [];
  let x = LEFT;
  let row = 0;
  for (const t of tracks) {
    const label = t.isDrum && !/drum/i.test(t.name) ? `${t.name} (drums)` : t.name;
    const itemWidth = 16 + Math.ceil(label.length * 7.2) + 14;
    if (x > LEFT && x + itemWidth > width - RIGHT) {
      x = LEFT;
      row++;
    }
    items.push({ label, x, row });
    x += itemWidth;
  }
  return items;
}

/** The pitch rows to show: the pitched notes' range with a margin, at least two octaves. */
function pitchRange(tracks: readonly ArrangementTrack[]): { low: number; high: number } {
  const pitches = tracks.filter((t) => !t.isDrum).flatMap((t) => t.notes.map((x) => x.pitch));
  let low = pitches.length ? Math.min(...pitches) - 2 : 48;
  let high = pitches.length ? Math.max(...pitches) + 2 : 72;
  const grow = MIN_PITCH_SPAN - (high - low + 1);
  if (grow > 0) {
    low -= Math.floor(grow / 2);
    high += Math.ceil(grow / 2);
  }
  return { low: Math.max(0, low), high: Math.min(127, high) };
}

/**
 * A piano-roll picture of an arrangement as SVG: time across (bar lines dark, beat lines light, bar
 * numbers on top), pitch up (C rows labelled, black-key rows shaded), one colour per track with a
 * legend; drum tracks get a lane of their own under the roll, a row per drum sound.
 */
export function pianoRollSvg(arrangement: Arrangement, options: PianoRollPictureOptions = {}): string {
  const { tracks, steps } = arrangement;
  const title = options.title === undefined ? arrangement.title : options.title;
  const px = options.pixelsPerStep ?? Math.max(2, Math.min(10, Math.floor(1600 / Math.max(1, steps))));
  const row = options.pixelsPerPitch ?? 6;
  const { low, high } = pitchRange(tracks);
  const drumKeys = [...new Set(tracks.filter((t) => t.isDrum).flatMap((t) => t.notes.map((x) => x.pitch)))].sort((a, b) => b - a);
  const rollWidth = steps * px;
  const rollHeight = (high - low + 1) * row;
  const drumGap = drumKeys.length ? 10 : 0;
  const drumHeight = drumKeys.length * row;
  const width = LEFT + Math.max(rollWidth, 240) + RIGHT;
  const legend = layoutLegend(tracks, width);
  const facts = [
    `${Math.round(arrangement.tempo * 10) / 10} bpm`,
    `${arrangement.timeSignature.numerator}/${arrangement.timeSignature.denominator}`,
    ...(options.facts ?? []),
  ].join(' · ');
  const factsTop = (title ? 30 : 8) + 12;
  const legendTop = factsTop + 10;
  const top = legendTop + LEGEND_ROW * (Math.max(0, ...legend.map((l) => l.row)) + 1) + BAR_NUMBERS;
  const height = top + rollHeight + drumGap + drumHeight + 10;
  const drumTop = top + rollHeight + drumGap;
  const yOf = (pitch: number) => top + (high - pitch) * row;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}">`);
  out.push(`<title>${escapeXml(title ?? 'piano roll')}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  if (title) out.push(`<text x="${LEFT}" y="22" font-size="16" font-weight="bold" fill="#222">${escapeXml(title)}</text>`);
  out.push(`<text class="facts" x="${LEFT}" y="${factsTop}" font-size="11" fill="#555">${escapeXml(facts)}</text>`);

  // Legend: a swatch and the name of each track, in track order.
  out.push('<g class="legend" font-size="12" fill="#222">');
  legend.forEach(({ label, x, row: r }, i) => {
    const y = legendTop + r * LEGEND_ROW;
    out.push(`<rect x="${x}" y="${y}" width="12" height="12" rx="2" fill="${trackColor(i)}"/><text x="${x + 16}" y="${y + 10}">${escapeXml(label)}</text>`);
  });
  out.push('</g>');

  // Rows: shaded black keys, a line at every C, C, E and G named.
  out.push('<g class="rows">');
  out.push(`<rect x="${LEFT}" y="${top}" width="${rollWidth}" height="${rollHeight}" fill="#fbfbfb"/>`);
  for (let p = low; p <= high; p++) {
    if (BLACK_KEYS.has(p % 12)) out.push(`<rect x="${LEFT}" y="${yOf(p)}" width="${rollWidth}" height="${row}" fill="#eeeeee"/>`);
    if (p % 12 === 0) out.push(`<line x1="${LEFT}" x2="${LEFT + rollWidth}" y1="${yOf(p) + row}" y2="${yOf(p) + row}" stroke="#cccccc" stroke-width="0.5"/>`);
    const name = NAMED_ROWS[p % 12];
    if (name) {
      const bold = p % 12 === 0 ? ' font-weight="bold"' : '';
      out.push(`<text x="${LEFT - 6}" y="${yOf(p) + row}" font-size="${p % 12 === 0 ? 10 : 8}"${bold} fill="#555" text-anchor="end">${name}${Math.floor(p / 12) - 1}</text>`);
    }
  }
  if (drumKeys.length) {
    out.push(`<rect x="${LEFT}" y="${drumTop}" width="${rollWidth}" height="${drumHeight}" fill="#f3f3f3"/>`);
    out.push(`<text x="${LEFT - 6}" y="${drumTop + Math.min(drumHeight, 10)}" font-size="10" fill="#555" text-anchor="end">drums</text>`);
  }
  out.push('</g>');

  // Time grid: beat lines light, bar lines dark, bar numbers above (thinned out when bars are narrow).
  const bar = stepsPerBar(arrangement.timeSignature);
  const beat = (STEPS_PER_QUARTER * 4) / arrangement.timeSignature.denominator;
  const gridBottom = drumKeys.length ? drumTop + drumHeight : top + rollHeight;
  const numberEvery = Math.max(1, Math.ceil(24 / (bar * px)));
  out.push('<g class="grid">');
  for (let s = 0; s <= steps; s += beat) {
    const isBar = s % bar === 0;
    out.push(`<line class="${isBar ? 'bar' : 'beat'}" x1="${n(LEFT + s * px)}" x2="${n(LEFT + s * px)}" y1="${top}" y2="${gridBottom}" stroke="${isBar ? '#888888' : '#dddddd'}" stroke-width="${isBar ? 1 : 0.5}"/>`);
    const number = s / bar + (options.firstBar ?? 1);
    if (isBar && s < steps && (s / bar) % numberEvery === 0) out.push(`<text x="${n(LEFT + s * px + 2)}" y="${top - 4}" font-size="10" fill="#555">${number}</text>`);
  }
  out.push('</g>');

  // Notes, track by track, slightly translucent so that unisons between tracks still show.
  tracks.forEach((t, i) => {
    out.push(`<g class="track" data-track="${escapeXml(t.name)}" fill="${trackColor(i)}" fill-opacity="0.85">`);
    for (const note of t.notes) {
      const y = t.isDrum ? drumTop + drumKeys.indexOf(note.pitch) * row : yOf(note.pitch);
      if (!t.isDrum && (note.pitch < low || note.pitch > high)) continue;
      const w = Math.max(1, note.duration * px - 1);
      out.push(`<rect x="${n(LEFT + note.start * px)}" y="${y}" width="${n(w)}" height="${row - 1}" rx="1"/>`);
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

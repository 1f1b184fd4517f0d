/** Tableau 10: distinct, print- and screen-safe colours, in an order that keeps neighbours apart. */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac'];

/** One colour per track index: the palette, then golden-angle hues so that every track differs. */
export function trackColor(index: number): string {
  if (index < PALETTE.length) return PALETTE[index];
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue},55%,45%)`;
}

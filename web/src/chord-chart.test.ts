import { describe, expect, it } from 'vitest';
import { chartSpans, tidyChart } from './chord-chart';

describe('a chord chart by bar', () => {
  it('shares a bar among its chords, holds on `.`, and holds the last chord to the end', () => {
    expect(chartSpans('| C | F G7 | Am . Dm G7 | N.C. |', 5)).toEqual([
      { start: 0, end: 1, symbol: 'C' },
      { start: 1, end: 1.5, symbol: 'F' },
      { start: 1.5, end: 2, symbol: 'G7' },
      { start: 2, end: 2.5, symbol: 'Am' },
      { start: 2.5, end: 2.75, symbol: 'Dm' },
      { start: 2.75, end: 3, symbol: 'G7' },
      { start: 3, end: 5, symbol: null },
    ]);
  });

  it('holds a chord across a bar line written as `.`', () => {
    expect(chartSpans('C | . G')).toEqual([
      { start: 0, end: 1.5, symbol: 'C' },
      { start: 1.5, end: 2, symbol: 'G' },
    ]);
  });

  it('writes a chart back with one space around each bar line', () => {
    expect(tidyChart('  C|F   G7 || C |]\n')).toBe('C | F G7 | C');
    expect(tidyChart('')).toBe('');
  });
});

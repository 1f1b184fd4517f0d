import { describe, expect, it } from 'vitest';
import { barAndBeat, COMMON_TIME, parseMeter, stepsPerBar, stepsPerBeat } from './meter';

describe('meters of a played melody', () => {
  it('counts 16ths to the bar and to the beat as the meter is felt', () => {
    const bars = ['4/4', '3/4', '2/4', '6/8', '2/2', '12/8'].map((t) => [t, stepsPerBar(parseMeter(t)), stepsPerBeat(parseMeter(t))]);
    expect(bars).toEqual([['4/4', 16, 4], ['3/4', 12, 4], ['2/4', 8, 4], ['6/8', 12, 6], ['2/2', 16, 8], ['12/8', 24, 6]]);
  });

  it('reads only a meter as a meter', () => {
    expect(parseMeter(' 6 / 8 ')).toEqual({ numerator: 6, denominator: 8 });
    expect(parseMeter('waltz')).toBe(COMMON_TIME);
  });

  it('names a step by its bar and beat in the meter', () => {
    expect(barAndBeat(40, COMMON_TIME)).toBe('bar 3, beat 3');
    expect(barAndBeat(41, COMMON_TIME)).toBe('bar 3, beat 3 and 1/4');
    expect(barAndBeat(12, parseMeter('3/4'))).toBe('bar 2, beat 1');
    expect(barAndBeat(20, parseMeter('6/8'))).toBe('bar 2, beat 2 and 2/6');
  });
});

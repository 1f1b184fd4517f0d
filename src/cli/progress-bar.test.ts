import { describe, expect, it } from 'vitest';
import { formatEta } from './progress-bar.js';

describe('formatEta', () => {
  it('rounds the whole time before splitting it, so a minute never shows 60 seconds', () => {
    expect(formatEta(119, 5)).toBe('2m00s'); // cli-progress's own formatter: 1m60s
    expect(formatEta(118, 5)).toBe('2m00s');
    expect(formatEta(117, 5)).toBe('1m55s');
    expect(formatEta(3599, 5)).toBe('1h00m');
    expect(formatEta(7170, 5)).toBe('2h00m'); // 119.5 minutes
    expect(formatEta(3900)).toBe('1h05m');
  });

  it('keeps seconds below a minute, and whole seconds below ten', () => {
    expect(formatEta(7, 5)).toBe('7s');
    expect(formatEta(44, 5)).toBe('45s');
    expect(formatEta(59, 5)).toBe('1m00s');
    expect(formatEta(0)).toBe('0s');
  });

  it('shows a dash before the rate is known', () => {
    expect(formatEta('NULL')).toBe('–');
    expect(formatEta('INF')).toBe('–');
    expect(formatEta(Number.NaN)).toBe('–');
  });
});

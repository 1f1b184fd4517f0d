import { describe, expect, it } from 'vitest';
import { RecentlyUsed } from './recently-used.js';

describe('RecentlyUsed', () => {
  it('keeps the most recently used entries: a read makes an entry the newest, a new one past the size drops the oldest', () => {
    const kept = new RecentlyUsed<string, number>(2);
    kept.set('a', 1);
    kept.set('b', 2);
    expect(kept.get('a')).toBe(1); // now b is the oldest
    kept.set('c', 3);
    expect([kept.get('a'), kept.get('b'), kept.get('c')]).toEqual([1, undefined, 3]);
    kept.set('c', 4); // a key set again replaces its value and drops nothing
    expect([kept.get('a'), kept.get('c')]).toEqual([1, 4]);
  });
});

import { describe, expect, it } from 'vitest';
import { RememberedSources } from './remembered-sources.js';

describe('RememberedSources', () => {
  it('answers by operation name and source together', () => {
    const remembered = new RememberedSources<string>();
    remembered.set('{ a }', undefined, 'no name');
    remembered.set('{ a }', 'A', 'named');
    expect(remembered.get('{ a }', null)).toBe('no name');
    expect(remembered.get('{ a }', 'A')).toBe('named');
    expect(remembered.get('{ a }', '')).toBeUndefined();
    // A name that runs into the source does not pass for another pair.
    remembered.set('b\n{ c }', 'a', 'first');
    expect(remembered.get('{ c }', 'a\nb')).toBeUndefined();
  });

  it('keeps the most recently used, and no long source', () => {
    const remembered = new RememberedSources<number>(2);
    remembered.set('1', null, 1);
    remembered.set('2', null, 2);
    remembered.get('1', null);
    remembered.set('3', null, 3);
    expect([remembered.get('1', null), remembered.get('2', null), remembered.get('3', null)]).toEqual([1, undefined, 3]);
    remembered.set('x'.repeat(10_001), null, 4);
    expect(remembered.get('x'.repeat(10_001), null)).toBeUndefined();
  });
});

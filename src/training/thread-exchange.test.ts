import { describe, expect, it } from 'vitest';
import { ThreadExchange, ThreadExchangeError } from './thread-exchange.js';

describe('ThreadExchange', () => {
  it('gives a lone thread its own values back, twice in a row (both banks)', () => {
    const exchange = new ThreadExchange(ThreadExchange.allocate(1, 4), 0, 1);
    expect(Array.from(exchange.sum([1, 2, 3]))).toEqual([1, 2, 3]);
    expect(exchange.gather([4, 5]).map((p) => Array.from(p))).toEqual([[4, 5]]);
  });

  it('fails a thread that waits for one that never comes, and every later exchange', () => {
    const buffer = ThreadExchange.allocate(2, 4);
    const waiting = new ThreadExchange(buffer, 0, 2, 50);
    expect(() => waiting.sum([1])).toThrow(ThreadExchangeError);
    expect(() => new ThreadExchange(buffer, 1, 2).sum([1])).toThrow(/another training thread stopped/);
  });

  it('refuses more values than it has room for', () => {
    expect(() => new ThreadExchange(ThreadExchange.allocate(1, 2), 0, 1).sum([1, 2, 3])).toThrow(RangeError);
  });
});

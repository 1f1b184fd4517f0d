import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../errors.js';
import { RenderGate } from './render-gate.js';

const later = () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { gate, open };
};

describe('RenderGate', () => {
  it('runs one render per key at a time, lets a few wait, refuses the next with a retry hint, and bounds the server', async () => {
    const gate = new RenderGate({ perKey: 1, waitingPerKey: 2, total: 2 });
    const order: string[] = [];
    const holds = [later(), later(), later(), later()];
    const run = (key: string, i: number) => gate.run(key, async () => (order.push(`${key}${i}`), await holds[i].gate, i));
    const a = [run('a', 0), run('a', 1), run('a', 2)];
    await expect(run('a', 3)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(gate.run('a', async () => 0)).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 10 } });
    const b = run('b', 3);
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['a0', 'b3']);
    const c = gate.run('c', async () => order.push('c')); // the server's two slots are taken: it waits
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['a0', 'b3']);
    holds[0].open();
    holds[3].open();
    await b;
    holds[1].open();
    holds[2].open();
    expect(await Promise.all(a)).toEqual([0, 1, 2]);
    await c;
    expect(order.slice(2).sort()).toEqual(['a1', 'a2', 'c']);
    expect(await gate.run('a', async () => 'free again')).toBe('free again');
  });
});

import { describe, expect, it } from 'vitest';
import { SharedDirectorySync } from './durable-file.js';

describe('SharedDirectorySync', () => {
  /** A sync that ends when the test says so; the syncs begun, in order. */
  const controlled = () => {
    const begun: (() => void)[] = [];
    const syncOnce = () => new Promise<void>((resolve) => begun.push(resolve));
    return { begun, syncOnce };
  };
  const settledIn = async (p: Promise<unknown>) => {
    let done = false;
    void p.then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    return done;
  };

  it('makes the callers that arrive during a sync wait for one more sync, which they share', async () => {
    const { begun, syncOnce } = controlled();
    const directory = new SharedDirectorySync('/data/files', syncOnce);
    const first = directory.sync();
    const later = [directory.sync(), directory.sync(), directory.sync()];
    expect(begun).toHaveLength(1);
    begun[0]();
    expect(await settledIn(first)).toBe(true);
    // Their renames may postdate the first sync's start: it does not count for them.
    expect(await settledIn(Promise.all(later))).toBe(false);
    expect(begun).toHaveLength(2);
    begun[1]();
    expect(await settledIn(Promise.all(later))).toBe(true);
    // Idle again: the next caller starts a sync of its own at once.
    void directory.sync();
    expect(begun).toHaveLength(3);
  });

  it('passes a failed sync to its callers, and the next callers get a fresh sync', async () => {
    let calls = 0;
    const directory = new SharedDirectorySync('/data/files', async () => {
      calls++;
      if (calls === 1) throw new Error('EIO');
    });
    await expect(directory.sync()).rejects.toThrow('EIO');
    await expect(directory.sync()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});

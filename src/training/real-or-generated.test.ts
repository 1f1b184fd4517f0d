import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../inference/backend.js';
import type { Note } from '../music/melody.js';
import { realOrGenerated } from './real-or-generated.js';

/** A two-track window: a melody and a part a sixth below it (real) or scattered notes (made up). */
function window(i: number, made: boolean): Note[][] {
  const melody = Array.from({ length: 8 }, (_, k) => ({ pitch: 60 + ((i + k * 2) % 12), start: k * 4, duration: 4, velocity: 90 }));
  const part = made
    ? Array.from({ length: 16 }, (_, k) => ({ pitch: 36 + ((i * 7 + k * 11) % 40), start: k * 2, duration: 1, velocity: 90 }))
    : melody.map((n) => ({ ...n, pitch: n.pitch - 9 }));
  return [melody, part];
}

const options = { steps: 32, pitchLow: 28, pitchCount: 64, seed: 7 };

describe('real-or-generated classifier', () => {
  beforeAll(async () => {
    await initBackend();
  });
  const real = Array.from({ length: 100 }, (_, i) => window(i, false));

  it('tells clearly made-up parts from real ones, measured on pairs it did not train on', async () => {
    const result = await realOrGenerated(real, real.map((_, i) => window(i, true)), options);
    expect(result).toMatchObject({ pairs: 100, trainPairs: 70, testPairs: 30, epochs: 8 });
    expect(result.accuracy).toBeGreaterThan(0.9);
  });

  it('cannot tell music from itself: 50 %', async () => {
    const result = await realOrGenerated(real, real, options);
    expect(result.accuracy).toBe(0.5);
  });

  it('is reproducible with the same seed', async () => {
    const made = real.map((_, i) => window(i + 3, i % 2 === 0));
    const [a, b] = [await realOrGenerated(real, made, options), await realOrGenerated(real, made, options)];
    expect(a.accuracy).toBe(b.accuracy);
  });

  it('needs enough pairs', async () => {
    await expect(realOrGenerated(real.slice(0, 5), real.slice(0, 5), options)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/at least 10 pairs/) });
  });
});

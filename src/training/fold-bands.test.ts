import { describe, expect, it } from 'vitest';
import type { Note } from '../music/melody.js';
import { chooseFoldTail, foldTail, withFoldBands, type FoldPart } from './fold-bands.js';
import type { ModelCard } from '../inference/model-card.js';

const note = (pitch: number, start = 0): Note => ({ pitch, start, duration: 1, velocity: 80 });

// 1000 training notes: 970 in 52–68, and 15 at each of 40 and 80. Their 2nd–98th percentile is 52–68;
// the 1st–99th and 0.5th–99.5th reach the outliers, 40–80.
const trained = [
  ...Array.from({ length: 15 }, () => note(40)),
  ...Array.from({ length: 970 }, (_, i) => note(52 + (i % 17))),
  ...Array.from({ length: 15 }, () => note(80)),
];
const register = { low: 50, high: 70 };
// The generator writes half its notes at 74, outside the register: the 2nd–98th band folds them to 62.
const generated = [Array.from({ length: 10 }, (_, i) => note(i % 2 ? 60 : 74, i))];

const part = (real: Note[][]): FoldPart => ({ register, trained, real, generated });

describe('the band a part is folded into (chooseFoldTail)', () => {
  it('keeps the 2nd–98th percentile when the real parts stay in their register', () => {
    const choice = chooseFoldTail([part([[note(55), note(60), note(65)]])]);
    expect(choice?.tail).toBe(0.02);
    expect(choice?.bands).toEqual([{ low: 52, high: 68 }]);
    expect(choice?.real).toBe(1);
    expect(choice?.generated).toEqual([1, 0.5, 0.5]);
  });

  it('widens the band when the real parts leave their register as often as the unfolded model does, the narrower of equals first', () => {
    const choice = chooseFoldTail([part([[note(60), note(75)], [note(62), note(45)]])]);
    expect(choice?.tail).toBe(0.01);
    expect(choice?.bands).toEqual([{ low: 40, high: 80 }]);
    expect(choice?.real).toBe(0.5);
  });

  it('pools the parts: one tail for all of them, judged on all their notes', () => {
    const inside = part([[note(55), note(60), note(65), note(66)]]);
    const spread = part([[note(75)]]);
    // 4 of 5 real notes inside; the 2nd–98th band keeps 20 of 20 folded notes inside, the wider ones 10 of 20.
    expect(chooseFoldTail([inside, spread])?.tail).toBe(0.02);
    const spreadMore = part([[note(75), note(76), note(45), note(44)]]);
    expect(chooseFoldTail([part([[note(60)]]), spreadMore])?.tail).toBe(0.01);
  });

  it('has nothing to choose without a register, training notes or real notes', () => {
    expect(chooseFoldTail([])).toBeUndefined();
    expect(chooseFoldTail([{ ...part([[note(60)]]), register: undefined }])).toBeUndefined();
    expect(chooseFoldTail([{ ...part([[note(60)]]), trained: [] }])).toBeUndefined();
    expect(chooseFoldTail([part([[]])])).toBeUndefined();
  });

  it('names the bands and writes them on the card, leaving the other parts alone', () => {
    expect(foldTail(0.02)).toBe('2nd–98th percentile');
    expect(foldTail(0.01)).toBe('1st–99th percentile');
    expect(foldTail(0.005)).toBe('0.5th–99.5th percentile');
    const card = { tracks: [{ name: 'Melody' }, { name: 'Bass', playRange: { low: 36, high: 52 } }] } as unknown as ModelCard;
    const written = withFoldBands(card, { tail: 0.01, bands: [undefined, { low: 33, high: 55 }], real: 0.9, generated: [0.95, 0.9, 0.88] });
    expect(written.tracks.map((t) => t.playRange)).toEqual([undefined, { low: 33, high: 55 }]);
    expect(withFoldBands(card, undefined)).toBe(card);
  });
});

import { describe, expect, it } from 'vitest';
import { chordAccuracy } from './harmoniser.js';
import { parseChordSymbol, type ChordSpan } from './chord.js';
import type { Note } from './melody.js';
import { harmoniseWithNet, netHarmoniserSchema, trainNetHarmoniser } from './net-harmoniser.js';
import { seededRandom } from './seeded-random.js';

const BAR = 16;
const TONES: Record<string, number[]> = { C: [60, 64, 67], F: [65, 69, 72], G7: [67, 71, 62, 65], Am: [69, 60, 64] };

/** A tune of quarter notes on chord tones, a chord per bar along `progression`. */
function tune(progression: readonly string[], random: () => number): { melody: Note[]; chords: ChordSpan[]; steps: number; stepsPerBar: number } {
  const melody: Note[] = [];
  const chords: ChordSpan[] = [];
  progression.forEach((symbol, b) => {
    chords.push({ start: b * BAR, duration: BAR, chord: parseChordSymbol(symbol)! });
    for (let q = 0; q < 4; q++) melody.push({ pitch: TONES[symbol][Math.floor(random() * TONES[symbol].length)], start: b * BAR + q * 4, duration: 4, velocity: 80 });
  });
  return { melody, chords, steps: progression.length * BAR, stepsPerBar: BAR };
}

describe('the network harmoniser', () => {
  const random = seededRandom(3);
  const progressions = [['C', 'F', 'G7', 'C'], ['Am', 'F', 'C', 'G7'], ['C', 'Am', 'F', 'G7'], ['F', 'G7', 'C', 'Am']];
  const examples = Array.from({ length: 60 }, (_, i) => tune([...progressions[i % 4], ...progressions[(i + 1) % 4]], random));

  it('learns chords from melodies in context and names them on new tunes, in a form that reads back', () => {
    const model = trainNetHarmoniser(examples, { segmentSteps: BAR, trainedOn: 'test tunes', epochs: 30, hidden: 16, context: 1 });
    expect(model.vocabulary).toEqual(expect.arrayContaining(['C', 'F', 'G7', 'Am']));
    const held = Array.from({ length: 10 }, (_, i) => tune(progressions[(i + 2) % 4], random));
    const accuracy = held.map((t) => chordAccuracy(harmoniseWithNet(model, t.melody, t.steps, BAR), t.chords, t.steps)!);
    expect(accuracy.reduce((a, b) => a + b, 0) / held.length).toBeGreaterThan(0.8);
    const read = netHarmoniserSchema.parse(JSON.parse(JSON.stringify(model)));
    expect(harmoniseWithNet(read, held[0].melody, held[0].steps, BAR)).toEqual(harmoniseWithNet(model, held[0].melody, held[0].steps, BAR));
    expect(() => netHarmoniserSchema.parse({ ...model, w2: model.w2.slice(1) })).toThrow(/w2/);
  });
});

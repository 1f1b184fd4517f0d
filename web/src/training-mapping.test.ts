import { describe, expect, it } from 'vitest';
import { guessMapping, trackChoices } from './training-mapping';

const track = (index: number, name: string, channel = index) => ({ index, name, channel, notes: 10 });

describe('choosing the tracks of a training set', () => {
  it('offers each track name once across the files, in file order, and unnamed tracks by index', () => {
    const choices = trackChoices([
      { tracks: [track(0, 'Piano'), track(1, 'Lead'), track(2, 'Drums', 9)] },
      { tracks: [track(0, 'piano'), track(1, 'LEAD'), track(2, '')] },
    ]);
    expect(choices).toEqual([
      { ref: 'Piano', label: 'Piano', files: 2, drums: false },
      { ref: 'Lead', label: 'Lead', files: 2, drums: false },
      { ref: 'Drums', label: 'Drums', files: 1, drums: true },
      { ref: '2', label: 'track 2', files: 1, drums: false },
    ]);
  });

  it('names by index a track whose name a mapping cannot carry', () => {
    expect(trackChoices([{ tracks: [track(0, '7'), track(1, 'Bass, upright')] }]).map((c) => [c.ref, c.label])).toEqual([['0', 'track 0 (7)'], ['1', 'track 1 (Bass, upright)']]);
  });

  it('guesses the melody by its name and leaves the drums out of the accompaniment', () => {
    const choices = trackChoices([{ tracks: [track(0, 'Piano'), track(1, 'Lead'), track(2, 'Drums', 9), track(3, 'Bass')] }]);
    expect(guessMapping(choices)).toEqual({ melody: 'Lead', accompaniment: ['Piano', 'Bass'] });
    expect(guessMapping(trackChoices([{ tracks: [track(0, 'A'), track(1, 'B')] }]))).toEqual({ melody: 'A', accompaniment: ['B'] });
    expect(guessMapping(trackChoices([{ tracks: [track(0, 'Solo')] }]))).toBeNull();
  });
});

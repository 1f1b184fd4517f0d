import { describe, expect, it } from 'vitest';
import { closestNames, didYouMean } from './closest-names.js';

const NAMES = ['twinkle-twinkle', 'ode-to-joy', 'new-world', 'jingle-bells', 'deck-the-halls', 'frere-jacques', 'when-the-saints'];

describe('closestNames', () => {
  it('finds a name typed without its dashes, with a typo, with swapped letters, or cut short', () => {
    expect(closestNames('odetojoy', NAMES)).toEqual(['ode-to-joy']);
    expect(closestNames('Ode to Joy', NAMES)).toEqual(['ode-to-joy']);
    expect(closestNames('frere-jaques', NAMES)).toEqual(['frere-jacques']);
    expect(closestNames('new-wrold', NAMES)).toEqual(['new-world']);
    expect(closestNames('deck', NAMES)).toEqual(['deck-the-halls']);
  });

  it('suggests nothing for a name unlike any', () => {
    expect(closestNames('yesterday', NAMES)).toEqual([]);
    expect(closestNames('', NAMES)).toEqual([]);
    expect(didYouMean('yesterday', NAMES)).toBeUndefined();
  });

  it('words one or several names as a question', () => {
    expect(didYouMean('pop', ['pop', 'folk'])).toBe("did you mean 'pop'?");
    expect(didYouMean('folk', ['folk', 'folk-triple', 'pop'])).toBe("did you mean 'folk' or 'folk-triple'?");
    expect(closestNames('a', ['a', 'b', 'c', 'ab'], 2)).toHaveLength(2);
  });
});

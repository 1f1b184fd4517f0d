import type { ChordSpan } from '../music/chord.js';
import type { Note } from '../music/melody.js';
import { RecentlyUsed } from '../recently-used.js';
import type { ChordProposer } from './registry.js';

/** Melodies whose proposed chords a model keeps: another take of one, or several at once, ask again. */
const REMEMBERED_MELODIES = 64;
/** A longer melody is harmonised each time: it is seldom asked twice, and its key would be long. */
const MAX_REMEMBERED_NOTES = 4000;

/** What a harmoniser reads of a melody: each note's pitch and steps, the piece's length and bars, and whether its key is known. */
function melodyKey(melody: readonly Note[], steps: number, stepsPerBar: number, keyKnown: boolean): string {
  let key = `${steps}/${stepsPerBar}${keyKnown ? 'k' : ''}`;
  for (const n of melody) key += `;${n.pitch},${n.start},${n.duration}`;
  return key;
}

/**
 * A harmoniser that remembers the chords it proposed for the last melodies it was given. Its answer
 * depends on the melody alone (not on the seed), so the chords are the ones it would propose again,
 * and a melody composed with many seeds (variations, another take) is harmonised once.
 */
export function rememberingChords(proposer: ChordProposer, size = REMEMBERED_MELODIES): ChordProposer {
  const remembered = new RecentlyUsed<string, readonly ChordSpan[]>(size);
  return {
    harmonise(melody, steps, stepsPerBar, keyKnown = false) {
      if (melody.length > MAX_REMEMBERED_NOTES) return proposer.harmonise(melody, steps, stepsPerBar, keyKnown);
      const key = melodyKey(melody, steps, stepsPerBar, keyKnown);
      let chords = remembered.get(key);
      if (!chords) {
        chords = proposer.harmonise(melody, steps, stepsPerBar, keyKnown);
        remembered.set(key, chords);
      }
      return [...chords];
    },
  };
}

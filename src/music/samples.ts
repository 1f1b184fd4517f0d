/**
 * Built-in sample melodies: public-domain tunes, up to 8 bars of 4/4 in C major, written in the
 * note-list notation (./notation.ts) so that they read like what a person would type. Each names its
 * key (`key=C`): estimated from its notes alone, Jingle Bells would be E minor and Twinkle's chords
 * could be searched in F; a person typing a tune they know writes the key it is in.
 * A note without a duration repeats the one before, so a quarter after a half note is written /4.
 */
import { didYouMean } from '../closest-names.js';
import { NotFoundError } from '../errors.js';
import type { Melody } from './melody.js';
import { parseNotation } from './notation.js';

export interface SampleMelody {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly notation: string;
}

export const SAMPLE_MELODIES: readonly SampleMelody[] = [
  {
    id: 'twinkle-twinkle',
    title: 'Twinkle, Twinkle, Little Star',
    description: 'The French tune "Ah! vous dirai-je, maman" (18th century), as the English nursery rhyme.',
    notation:
      'key=C C4/4 C4 G4 G4 | A4 A4 G4/2 | F4/4 F4 E4 E4 | D4 D4 C4/2 | ' +
      'G4/4 G4 F4 F4 | E4 E4 D4/2 | G4/4 G4 F4 F4 | E4 E4 D4/2 |]',
  },
  {
    id: 'ode-to-joy',
    title: 'Ode to Joy',
    description: 'The theme of the finale of Beethoven\'s Symphony No. 9 (1824).',
    notation:
      'key=C E4/4 E4 F4 G4 | G4 F4 E4 D4 | C4 C4 D4 E4 | E4/4. D4/8 D4/2 | ' +
      'E4/4 E4 F4 G4 | G4 F4 E4 D4 | C4 C4 D4 E4 | D4/4. C4/8 C4/2 |]',
  },
  {
    id: 'new-world',
    title: 'Largo from the New World Symphony',
    description: 'The slow cor anglais theme of Dvořák\'s Symphony No. 9 "From the New World" (1893).',
    notation:
      'tempo=60 key=C E4/4. G4/8 G4/2 | E4/4. D4/8 C4/2 | D4/4 E4/4 G4/4 E4/4 | D4/1 | ' +
      'E4/4. G4/8 G4/2 | E4/4. D4/8 C4/2 | D4/4 E4/4 D4/4 C4/4 | C4/1 |]',
  },
  {
    id: 'jingle-bells',
    title: 'Jingle Bells',
    description: 'The chorus of James Lord Pierpont\'s "One Horse Open Sleigh" (1857).',
    notation:
      'tempo=120 key=C E4/4 E4 E4/2 | E4/4 E4 E4/2 | E4/4 G4 C4/4. D4/8 | E4/1 | ' +
      'F4/4 F4 F4/4. F4/8 | F4/4 E4 E4 E4/8 E4/8 | E4/4 D4 D4 E4 | D4/2 G4/2 |]',
  },
  {
    id: 'deck-the-halls',
    title: 'Deck the Halls',
    description: 'The Welsh carol tune "Nos Galan" (18th century), its first phrase and its repeat.',
    notation:
      'key=C G4/4. F4/8 E4/4 D4 | C4 D4 E4 C4 | D4/8 E4/8 F4/8 D4/8 E4/4. D4/8 | C4/4 B3 C4/2 | ' +
      'G4/4. F4/8 E4/4 D4 | C4 D4 E4 C4 | D4/8 E4/8 F4/8 D4/8 E4/4. D4/8 | C4/4 B3 C4/2 |]',
  },
  {
    id: 'frere-jacques',
    title: 'Frère Jacques',
    description: 'The traditional French round (18th century).',
    notation:
      'key=C C4/4 D4 E4 C4 | C4 D4 E4 C4 | E4 F4 G4/2 | E4/4 F4 G4/2 | ' +
      'G4/8 A4 G4 F4 E4/4 C4 | G4/8 A4 G4 F4 E4/4 C4 | C4 G3 C4/2 | C4/4 G3 C4/2 |]',
  },
  {
    id: 'when-the-saints',
    title: 'When the Saints Go Marching In',
    description: 'The traditional spiritual; each phrase starts after a beat of rest.',
    notation:
      'key=C R/4 C4 E4 F4 | G4/1 | R/4 C4 E4 F4 | G4/1 | ' +
      'R/4 C4 E4 F4 | G4/2 E4/2 | C4/2 E4/2 | D4/1 |]',
  },
];

export function sampleIds(): string[] {
  return SAMPLE_MELODIES.map((s) => s.id);
}

/** The sample's melody, titled; throws NotFoundError (the closest ids, then all) for an unknown id. */
export function sampleMelody(id: string): Melody {
  const sample = SAMPLE_MELODIES.find((s) => s.id === id);
  if (!sample) {
    const guess = didYouMean(id, sampleIds());
    throw new NotFoundError('sample melody', id, `${guess ? `${guess} The samples are` : 'use one of'}: ${sampleIds().join(', ')}`);
  }
  return { ...parseNotation(sample.notation), title: sample.title };
}

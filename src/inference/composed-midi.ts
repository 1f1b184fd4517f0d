import { arrangementToMidi } from '../music/midi.js';
import type { Composition } from './compose.js';

/** A composition as a compose job stores it: each variation as a MIDI file, written where it was composed. */
export interface ComposedMidi extends Omit<Composition, 'arrangements'> {
  readonly midi: readonly Uint8Array[];
}

export function withMidi({ arrangements, ...rest }: Composition): ComposedMidi {
  return { ...rest, midi: arrangements.map(arrangementToMidi) };
}

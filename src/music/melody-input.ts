import { InvalidInputError, TooLargeError } from '../errors.js';
import { parseAbc } from './abc.js';
import { melodyFromMidi } from './midi.js';
import { checkMidiEventCount, EVENT_LOOP_MIDI_LIMITS, type MidiLimits } from './midi-scan.js';
import { MAX_MELODY_BARS, barCount, takeBars, type BarRange, type Melody } from './melody.js';
import { parseNotation } from './notation.js';
import { sampleMelody } from './samples.js';

/** Exactly one of these says where a melody comes from. */
export interface MelodyInput {
  readonly midi?: Uint8Array;
  /** Which MIDI track holds the melody (index or name); default: found by name, else the first. */
  readonly midiTrack?: number | string;
  readonly notation?: string;
  readonly abc?: string;
  readonly sampleId?: string;
  /** Which bars of a long melody to compose (default: all, up to MAX_MELODY_BARS). */
  readonly bars?: BarRange;
}

export const MAX_MIDI_BYTES = 1024 * 1024;
export const MAX_TEXT_CHARS = 20_000;
/** Notation or ABC up to this long reads in about a millisecond. */
const SHORT_TEXT_CHARS = 2_000;

/**
 * Whether reading the input may hold a thread for long (a MIDI file, a long text: up to seconds for a
 * whole song), so that a server reads it away from its event loop; a sample or a short text is not.
 */
export function readsSlowly(input: MelodyInput): boolean {
  return input.midi !== undefined || (input.notation ?? input.abc ?? '').length > SHORT_TEXT_CHARS;
}

/**
 * The melody a request names, with size limits and a message that says which field to fix. A MIDI
 * file is held to `midiLimits` before it is parsed: by default what the event loop can read quickly.
 */
export function melodyFromInput(input: MelodyInput, midiLimits: MidiLimits = EVENT_LOOP_MIDI_LIMITS): Melody {
  const given = (['midi', 'notation', 'abc', 'sampleId'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) {
    throw new InvalidInputError(
      given.length === 0
        ? 'no melody given; send one of: a MIDI file, notation text (e.g. "C4 D4 E4/2"), ABC text, or a sample id'
        : `give one melody source, not ${given.join(' and ')}`,
      { fields: given },
    );
  }
  if (input.midi) {
    if (input.midi.length > MAX_MIDI_BYTES) {
      throw new TooLargeError(`the MIDI file is ${Math.ceil(input.midi.length / 1024)} KiB; the limit is ${MAX_MIDI_BYTES / 1024} KiB — send a melody of up to 32 bars`);
    }
    checkMidiEventCount(input.midi, midiLimits); // before the library parses it all
    return melodyFromMidi(input.midi, { track: input.midiTrack, ...(input.bars ? { bars: input.bars } : {}) });
  }
  const text = input.notation ?? input.abc;
  if (text !== undefined && text.length > MAX_TEXT_CHARS) {
    throw new TooLargeError(`the melody text is ${text.length} characters; the limit is ${MAX_TEXT_CHARS}`);
  }
  const whole =
    input.notation !== undefined ? parseNotation(input.notation) : input.abc !== undefined ? parseAbc(input.abc) : sampleMelody(input.sampleId as string);
  const melody = input.bars ? takeBars(whole, input.bars) : whole;
  const bars = barCount(melody);
  if (bars > MAX_MELODY_BARS) {
    throw new InvalidInputError(
      `the melody is ${bars} bars long; Continuo takes up to ${MAX_MELODY_BARS} bars at a time — choose which with a bar range (bars "1-${MAX_MELODY_BARS}", "${MAX_MELODY_BARS + 1}-${2 * MAX_MELODY_BARS}", …)`,
      { bars },
    );
  }
  return melody;
}

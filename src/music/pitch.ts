/** Pitch names ⇄ MIDI numbers. Scientific pitch notation: C4 = 60 (middle C). */

const LETTER_SEMITONES: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

export const MIDI_PITCH_MIN = 0;
export const MIDI_PITCH_MAX = 127;

/** The MIDI number of a letter (A–G), an accidental count (+1 sharp, −1 flat) and an octave. */
export function midiNumber(letter: string, accidental: number, octave: number): number {
  const semitone = LETTER_SEMITONES[letter.toUpperCase()];
  if (semitone === undefined) throw new RangeError(`'${letter}' is not a pitch letter; use A–G`);
  return (octave + 1) * 12 + semitone + accidental;
}

export function pitchName(midi: number): string {
  return `${SHARP_NAMES[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;
}

export function isMidiPitch(value: number): boolean {
  return Number.isInteger(value) && value >= MIDI_PITCH_MIN && value <= MIDI_PITCH_MAX;
}

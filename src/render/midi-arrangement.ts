import { InvalidInputError } from '../errors.js';
import type { Arrangement } from '../music/arrangement.js';
import { endStep, stepsPerBar } from '../music/melody.js';
import { tracksFromMidi } from '../music/midi.js';

const DRUM_CHANNEL = 9;

/**
 * An Arrangement to draw from any MIDI file: one track per MIDI track with notes, drums by channel 10,
 * the first pitched track taken as the melody, the length rounded up to whole bars.
 */
export function arrangementFromMidi(bytes: Uint8Array, title?: string): Arrangement {
  const midi = tracksFromMidi(bytes);
  const withNotes = midi.tracks.filter((t) => t.notes.length > 0);
  if (withNotes.length === 0) throw new InvalidInputError('the MIDI file has no notes, so there is nothing to draw; give a file with at least one note');
  const melody = withNotes.find((t) => t.channel !== DRUM_CHANNEL);
  const tracks = withNotes.map((t, i) => ({
    name: t.name || `track ${i + 1}`,
    program: t.program,
    isDrum: t.channel === DRUM_CHANNEL,
    role: t === melody ? ('melody' as const) : ('accompaniment' as const),
    notes: t.notes,
  }));
  const bar = stepsPerBar(midi.timeSignature);
  const end = Math.max(0, ...tracks.map((t) => endStep(t.notes)));
  return { tracks, tempo: midi.tempo, timeSignature: midi.timeSignature, steps: Math.max(bar, Math.ceil(end / bar) * bar), ...(title ? { title } : {}) };
}

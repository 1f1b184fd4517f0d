import { BasicMIDI } from 'spessasynth_core';
import { InvalidInputError, TooLargeError } from '../errors.js';

/** The longest piece rendered unless a caller allows more: a bound on time and output size. */
export const DEFAULT_MAX_SECONDS = 15 * 60;

const NOTE_ON = 0x90;

function magic(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes.subarray(0, 4));
}

/**
 * spessasynth reads a cut-off file leniently (it plays what is there); an upload cut short is a damaged
 * file, so the chunk lengths are checked against the file length first.
 */
function checkComplete(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tracks = view.getUint16(10);
  let at = 8 + view.getUint32(4);
  for (let k = 0; k < tracks; k++) {
    if (at + 8 > bytes.length || at + 8 + view.getUint32(at + 4) > bytes.length) {
      throw new InvalidInputError(`the MIDI file is damaged or cut short: track ${k + 1} of ${tracks} runs past the end of the file; export or download it again`, { track: k + 1 });
    }
    at += 8 + view.getUint32(at + 4);
  }
}

/** Library messages can quote raw file bytes; keep them printable. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

function soundingNotes(midi: BasicMIDI): number {
  let count = 0;
  for (const track of midi.tracks) {
    for (const e of track.events) if ((e.statusByte & 0xf0) === NOTE_ON && e.data[1] > 0) count++;
  }
  return count;
}

/**
 * Parses MIDI bytes for the synthesiser and checks they are worth rendering: a readable Standard MIDI
 * File (or RMID) with at least one note, no longer than `maxSeconds`.
 */
export function readPlayableMidi(bytes: Uint8Array, maxSeconds = DEFAULT_MAX_SECONDS): BasicMIDI {
  if (bytes.length < 14 || (magic(bytes) !== 'MThd' && magic(bytes) !== 'RIFF')) {
    throw new InvalidInputError('this is not a Standard MIDI File (it does not start with "MThd"); render a .mid file');
  }
  if (magic(bytes) === 'MThd') checkComplete(bytes);
  let midi: BasicMIDI;
  try {
    // A copy: a Node Buffer may be a view into a larger shared pool.
    midi = BasicMIDI.fromArrayBuffer(new Uint8Array(bytes).buffer);
  } catch (error) {
    throw new InvalidInputError(`the MIDI file is damaged and cannot be read (${printable((error as Error).message)}); export it again from your editor`);
  }
  if (soundingNotes(midi) === 0) {
    throw new InvalidInputError('the MIDI file has no notes, so there is nothing to hear; render a file with at least one note');
  }
  if (!Number.isFinite(midi.duration) || midi.duration > maxSeconds) {
    const minutes = Math.round(midi.duration / 60);
    throw new TooLargeError(`the MIDI file lasts ${minutes} minutes; Continuo renders up to ${Math.round(maxSeconds / 60)} minutes — trim it`, { seconds: midi.duration });
  }
  // An RMID file may carry its own sound bank; uploads play through the configured one only.
  midi.embeddedSoundBank = undefined;
  return midi;
}

import { TooLargeError } from '../errors.js';

/** Notes (note-on events with a velocity) a MIDI file sent as a melody may hold, in all its tracks. */
export const MAX_MIDI_NOTES = 4_000;
/** Events of any kind (notes, controllers, meta events) such a file may hold. */
export const MAX_MIDI_EVENTS = 10_000;

export interface MidiEventCount {
  readonly notes: number;
  readonly events: number;
}

/**
 * Counts the note-on events and all events in the track chunks of a Standard MIDI File, without
 * building anything: one pass over the bytes (a 1 MiB file in a few milliseconds), so that a file too
 * big to parse on the event loop is refused before the MIDI library reads it (its parse grows faster
 * than the file: 125,000 notes took 9–18 s). A chunk that does not read as events is counted up to
 * where it breaks; the parser reports what is wrong with it.
 */
export function countMidiEvents(bytes: Uint8Array, stopAfter: MidiEventCount = { notes: Infinity, events: Infinity }): MidiEventCount {
  let notes = 0;
  let events = 0;
  if (bytes.length < 14) return { notes, events };
  let at = 8 + readU32(bytes, 4);
  while (at + 8 <= bytes.length && notes <= stopAfter.notes && events <= stopAfter.events) {
    const isTrack = bytes[at] === 0x4d && bytes[at + 1] === 0x54 && bytes[at + 2] === 0x72 && bytes[at + 3] === 0x6b; // MTrk
    const length = readU32(bytes, at + 4);
    const start = at + 8;
    const end = Math.min(bytes.length, start + length);
    at = start + length;
    if (!isTrack) continue;
    let p = start;
    let running = 0;
    while (p < end && notes <= stopAfter.notes && events <= stopAfter.events) {
      // Delta time: a variable-length quantity of at most 4 bytes.
      let n = 0;
      while (p < end && n < 4 && bytes[p] & 0x80) (p += 1), (n += 1);
      p += 1;
      if (p >= end) break;
      let status = bytes[p];
      if (status & 0x80) p += 1;
      else if (running) status = running;
      else break; // a data byte with no status to run on: the parser says so
      events += 1;
      if (status === 0xff || status === 0xf0 || status === 0xf7) {
        if (status === 0xff) p += 1; // the meta event's type
        let size = 0;
        for (let k = 0; k < 4 && p < end; k += 1) {
          const b = bytes[p++];
          size = size * 128 + (b & 0x7f);
          if (!(b & 0x80)) break;
        }
        p += size;
        if (status !== 0xff) running = 0;
        continue;
      }
      if (status >= 0xf0) break; // no other system message belongs in a file
      running = status;
      const kind = status & 0xf0;
      if (kind === 0xc0 || kind === 0xd0) {
        p += 1;
        continue;
      }
      if (kind === 0x90 && p + 1 < end && bytes[p + 1] > 0) notes += 1;
      p += 2;
    }
  }
  return { notes, events };
}

/** Refuses a MIDI file with more notes or events than a melody of up to 32 bars needs, before it is parsed. */
export function checkMidiEventCount(bytes: Uint8Array): void {
  const count = countMidiEvents(bytes, { notes: MAX_MIDI_NOTES, events: MAX_MIDI_EVENTS });
  if (count.notes > MAX_MIDI_NOTES) {
    throw new TooLargeError(
      `the MIDI file holds more than ${MAX_MIDI_NOTES.toLocaleString('en')} notes; a melody of up to 32 bars needs far fewer — export only the melody track, or a shorter part of the piece`,
      { limit: MAX_MIDI_NOTES },
    );
  }
  if (count.events > MAX_MIDI_EVENTS) {
    throw new TooLargeError(
      `the MIDI file holds more than ${MAX_MIDI_EVENTS.toLocaleString('en')} events; export only the melody track, or a shorter part of the piece`,
      { limit: MAX_MIDI_EVENTS },
    );
  }
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

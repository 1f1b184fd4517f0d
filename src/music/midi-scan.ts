import { TooLargeError } from '../errors.js';

/** How much a MIDI file sent as a melody may hold before it is parsed. */
export interface MidiLimits {
  /** Notes (note-on events with a velocity), in all its tracks. */
  readonly notes: number;
  /** Events of any kind (notes, controllers, meta events). */
  readonly events: number;
  /** Notes in one track: the MIDI library pairs a track's notes in time that grows with their square. */
  readonly trackNotes: number;
}

/** Where the file is parsed on the event loop (no inference threads): a melody-sized file, read in tens of milliseconds. */
export const EVENT_LOOP_MIDI_LIMITS: MidiLimits = { notes: 4_000, events: 10_000, trackNotes: 4_000 };
/**
 * Where it is parsed in an inference thread: whole songs, up to the 1 MiB a file may have, read in at
 * most a few seconds while the event loop goes on answering.
 */
export const THREAD_MIDI_LIMITS: MidiLimits = { notes: 150_000, events: 400_000, trackNotes: 16_000 };

export interface MidiEventCount {
  readonly notes: number;
  readonly events: number;
  /** The most notes in one track. */
  readonly trackNotes: number;
}

/**
 * Counts the note-on events and all events in the track chunks of a Standard MIDI File, without
 * building anything: one pass over the bytes (a 1 MiB file in a few milliseconds), so that a file too
 * big to parse on the event loop is refused before the MIDI library reads it (its parse grows faster
 * than the file: 125,000 notes took 9–18 s). A chunk that does not read as events is counted up to
 * where it breaks; the parser reports what is wrong with it.
 */
export function countMidiEvents(bytes: Uint8Array, stopAfter: Partial<MidiEventCount> = {}): MidiEventCount {
  const limit = { notes: Infinity, events: Infinity, trackNotes: Infinity, ...stopAfter };
  let notes = 0;
  let events = 0;
  let trackNotes = 0;
  if (bytes.length < 14) return { notes, events, trackNotes };
  let at = 8 + readU32(bytes, 4);
  const within = () => notes <= limit.notes && events <= limit.events && trackNotes <= limit.trackNotes;
  while (at + 8 <= bytes.length && within()) {
    const isTrack = bytes[at] === 0x4d && bytes[at + 1] === 0x54 && bytes[at + 2] === 0x72 && bytes[at + 3] === 0x6b; // MTrk
    const length = readU32(bytes, at + 4);
    const start = at + 8;
    const end = Math.min(bytes.length, start + length);
    at = start + length;
    if (!isTrack) continue;
    let p = start;
    let running = 0;
    const notesBefore = notes;
    while (p < end && within()) {
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
      if (kind === 0x90 && p + 1 < end && bytes[p + 1] > 0) {
        notes += 1;
        trackNotes = Math.max(trackNotes, notes - notesBefore);
      }
      p += 2;
    }
  }
  return { notes, events, trackNotes };
}

/** Refuses a MIDI file with more notes or events than the limits allow, before it is parsed. */
export function checkMidiEventCount(bytes: Uint8Array, limits: MidiLimits = EVENT_LOOP_MIDI_LIMITS): void {
  const count = countMidiEvents(bytes, limits);
  const many = (n: number) => n.toLocaleString('en');
  if (count.notes > limits.notes) {
    throw new TooLargeError(
      `the MIDI file holds more than ${many(limits.notes)} notes; a melody of up to 32 bars needs far fewer — export only the melody track, or a shorter part of the piece`,
      { limit: limits.notes },
    );
  }
  if (count.trackNotes > limits.trackNotes) {
    throw new TooLargeError(
      `a track of the MIDI file holds more than ${many(limits.trackNotes)} notes; export only the melody track, or a shorter part of the piece`,
      { limit: limits.trackNotes },
    );
  }
  if (count.events > limits.events) {
    throw new TooLargeError(
      `the MIDI file holds more than ${many(limits.events)} events; export only the melody track, or a shorter part of the piece`,
      { limit: limits.events },
    );
  }
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

/** Hand-made Standard MIDI Files, byte by byte, for inputs no editor would write. */
export interface SmfOptions {
  /** Ticks per quarter note, or an SMPTE time base (high bit set). Default 480. */
  readonly division?: number;
  /** Microseconds per quarter note (3 bytes); null writes no tempo event. Default 500,000 (120 bpm). */
  readonly tempo?: number | null;
  /** Numerator and the power of two of the denominator, as the file stores them. Default 4/4. */
  readonly timeSignature?: readonly [number, number];
  /** Tracks the header announces. Default 1 (the one written). */
  readonly announcedTracks?: number;
  /** Bytes put in the track after the notes (before its end), e.g. a malformed event. */
  readonly extraEvents?: readonly number[];
}

const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];

function vlq(n: number): number[] {
  const out = [n & 0x7f];
  for (let v = n >>> 7; v > 0; v >>>= 7) out.unshift((v & 0x7f) | 0x80);
  return out;
}

/** A one-track format-0 file: tempo, time signature and a C major scale of quarter notes. */
export function smf(options: SmfOptions = {}): Uint8Array {
  const division = options.division ?? 480;
  const quarter = division & 0x8000 || division === 0 ? 480 : division;
  const events: number[] = [];
  if (options.tempo !== null) {
    const t = options.tempo ?? 500_000;
    events.push(0, 0xff, 0x51, 0x03, (t >>> 16) & 0xff, (t >>> 8) & 0xff, t & 0xff);
  }
  const [numerator, power] = options.timeSignature ?? [4, 2];
  events.push(0, 0xff, 0x58, 0x04, numerator, power, 24, 8);
  for (const pitch of [60, 62, 64, 65, 67, 69, 71, 72]) events.push(0, 0x90, pitch, 100, ...vlq(quarter), 0x80, pitch, 0);
  events.push(...(options.extraEvents ?? []), 0, 0xff, 0x2f, 0x00);
  const header = [...'MThd'].map((c) => c.charCodeAt(0)).concat(u32(6), u16(0), u16(options.announcedTracks ?? 1), u16(division));
  const track = [...'MTrk'].map((c) => c.charCodeAt(0)).concat(u32(events.length), events);
  return Uint8Array.from([...header, ...track]);
}

/**
 * A whole song as a format-1 file: a "Melody" track of quarter notes, then `tracks - 1` others of as
 * many notes (chords of four), 480 ticks per quarter note at 120 bpm in 4/4.
 */
export function songSmf(tracks: number, notesPerTrack: number): Uint8Array {
  const bytes: number[] = [...'MThd'].map((c) => c.charCodeAt(0));
  for (const b of [...u32(6), ...u16(1), ...u16(tracks), ...u16(480)]) bytes.push(b);
  for (let t = 0; t < tracks; t++) {
    const events: number[] = [];
    const name = [...(t === 0 ? 'Melody' : `Part ${t}`)].map((c) => c.charCodeAt(0));
    events.push(0, 0xff, 0x03, name.length, ...name);
    if (t === 0) events.push(0, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20, 0, 0xff, 0x58, 0x04, 4, 2, 24, 8);
    const channel = t % 16 === 9 ? 10 : t % 16;
    const chord = t === 0 ? 1 : 4;
    for (let i = 0; i < notesPerTrack; i += chord) {
      const root = (t === 0 ? 60 : 40 + (t % 12)) + [0, 2, 4, 5, 7, 5, 4, 2][(i / chord) % 8];
      const pitches = Array.from({ length: Math.min(chord, notesPerTrack - i) }, (_, k) => root + [0, 4, 7, 12][k]);
      for (const p of pitches) events.push(0, 0x90 | channel, p, 90);
      pitches.forEach((p, k) => events.push(...(k === 0 ? vlq(480) : [0]), 0x80 | channel, p, 0));
    }
    events.push(0, 0xff, 0x2f, 0x00);
    for (const b of [...'MTrk'].map((c) => c.charCodeAt(0)).concat(u32(events.length))) bytes.push(b);
    for (const b of events) bytes.push(b);
  }
  return Uint8Array.from(bytes);
}

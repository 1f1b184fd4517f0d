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

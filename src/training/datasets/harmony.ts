import { CHORD_QUALITIES, identifyChord, pitchClass, spansFromSteps, type Chord, type ChordSpan } from '../../music/chord.js';
import { STEPS_PER_QUARTER, stepsPerBar, type Note, type TimeSignature } from '../../music/melody.js';

/** What a data-set reader makes of one file: a piece without its id and length. */
export interface PieceContent {
  readonly tracks: readonly (readonly Note[])[];
  readonly chords?: readonly ChordSpan[];
  readonly chordSource?: 'label' | 'analysis';
  readonly timeSignature?: TimeSignature;
}

/**
 * Meter families a model is trained on (it takes one meter per data set): duple bars tile a 16-step
 * window (2/4, 4/4, 2/2); triple and compound bars tile a 12-step one (3/4 and 6/8 bars are 12 steps,
 * 3/8 6, 12/8 24). 9/8 (18 steps) is in neither family and is read only when asked for by name.
 */
export type MeterFamily = 'duple' | 'triple';
/** A family, or one meter by name (`6/8`). */
export type MeterChoice = MeterFamily | `${number}/${number}`;
export const METER_FAMILIES: readonly MeterFamily[] = ['duple', 'triple'];
const TRIPLE_METERS = new Set(['3/4', '3/8', '6/8', '12/8']);

export const meterName = (ts: TimeSignature) => `${ts.numerator}/${ts.denominator}`;

export function meterFamily(ts: TimeSignature): MeterFamily | undefined {
  if (16 % stepsPerBar(ts) === 0) return 'duple';
  return TRIPLE_METERS.has(meterName(ts)) ? 'triple' : undefined;
}

/** Reads `duple`, `triple` or a meter like `6/8`; undefined otherwise. */
export function parseMeterChoice(text: string): MeterChoice | undefined {
  if ((METER_FAMILIES as readonly string[]).includes(text)) return text as MeterFamily;
  const m = /^([1-9]\d?)\/(1|2|4|8|16)$/.exec(text);
  return m ? (`${Number(m[1])}/${Number(m[2])}` as MeterChoice) : undefined;
}

export function meterMatches(ts: TimeSignature, choice: MeterChoice): boolean {
  return choice === 'duple' || choice === 'triple' ? meterFamily(ts) === choice : meterName(ts) === choice;
}

/**
 * The one meter a data set declares to the trainer: the named one, the most common one of a triple set
 * (3/4 and 6/8 share the 12-step bar), none (4/4) for a duple set.
 */
export function declaredMeter(meters: readonly (TimeSignature | undefined)[], choice: MeterChoice): TimeSignature | undefined {
  if (choice === 'duple') return undefined;
  const counts = new Map<string, { ts: TimeSignature; n: number }>();
  for (const ts of meters) if (ts) counts.set(meterName(ts), { ts, n: (counts.get(meterName(ts))?.n ?? 0) + 1 });
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.ts;
}

/** Steps of one beat: a dotted quarter in compound meters (6/8, 9/8, 12/8), else the denominator's note. */
export function beatSteps(ts: TimeSignature): number {
  const unit = (STEPS_PER_QUARTER * 4) / ts.denominator;
  return ts.denominator === 8 && ts.numerator % 3 === 0 && ts.numerator > 3 ? unit * 3 : unit;
}

/**
 * Block chords (notes struck together) as chord spans, each from its onset to the next chord's onset
 * (the last one to the end of its notes). Every quality is allowed: the notes are a chord as written.
 */
export function blockChordSpans(notes: readonly Note[]): ChordSpan[] {
  const byOnset = new Map<number, Note[]>();
  for (const n of notes) byOnset.set(n.start, [...(byOnset.get(n.start) ?? []), n]);
  const onsets = [...byOnset.keys()].sort((a, b) => a - b);
  const spans: ChordSpan[] = [];
  onsets.forEach((start, i) => {
    const group = byOnset.get(start)!;
    const weights = new Array<number>(12).fill(0);
    for (const n of group) weights[pitchClass(n.pitch)] = 1; // a doubled tone is no more the chord's
    const chord = identifyChord(weights, CHORD_QUALITIES);
    const end = i + 1 < onsets.length ? onsets[i + 1] : Math.max(...group.map((n) => n.start + n.duration));
    if (chord && end > start) spans.push({ start, duration: end - start, chord });
  });
  return spans;
}

/**
 * Chords by harmonic analysis: per beat, the duration-weighted pitch classes of all tracks →
 * `identifyChord`; equal neighbouring beats merge. A silent beat holds the chord before it (a rest is no
 * change of harmony).
 */
export function analysedChords(tracks: readonly (readonly Note[])[], steps: number, beat: number): ChordSpan[] {
  const beats = Math.ceil(steps / beat);
  const weights = Array.from({ length: beats }, () => new Array<number>(12).fill(0));
  for (const n of tracks.flat()) {
    for (let b = Math.max(0, Math.floor(n.start / beat)); b < beats && b * beat < n.start + n.duration; b++) {
      const overlap = Math.min(n.start + n.duration, (b + 1) * beat) - Math.max(n.start, b * beat);
      if (overlap > 0) weights[b][pitchClass(n.pitch)] += overlap;
    }
  }
  const perStep: (Chord | undefined)[] = [];
  let held: Chord | undefined;
  for (let b = 0; b < beats; b++) {
    held = identifyChord(weights[b]) ?? held;
    for (let s = b * beat; s < Math.min(steps, (b + 1) * beat); s++) perStep.push(held);
  }
  return spansFromSteps(perStep);
}

/**
 * The piece moved so that step `downbeat` is step 0: notes that end by then (a pickup) are dropped, notes
 * that sound across it are cut to start there (the downbeat sounds them), and so are chord spans.
 */
export function fromDownbeat(content: PieceContent, downbeat: number): PieceContent {
  if (downbeat === 0) return content;
  const tracks = content.tracks.map((t) =>
    t
      .filter((n) => n.start + n.duration > downbeat)
      .map((n) => {
        const start = Math.max(n.start, downbeat);
        return { ...n, start: start - downbeat, duration: n.start + n.duration - start };
      }),
  );
  const chords = content.chords
    ?.filter((c) => c.start + c.duration > downbeat)
    .map((c) => {
      const start = Math.max(c.start, downbeat);
      return { ...c, start: start - downbeat, duration: c.start + c.duration - start };
    });
  return { ...content, tracks, ...(chords ? { chords } : {}) };
}

/**
 * Stretches of whole bars [start, end) (in beats, or steps: any unit): runs of bars of the expected
 * length. A bar of another length (POP909 has a 2-beat bar between sections in most songs; a score has
 * short measures at repeats and first-time endings) ends a stretch and is left out, so that in every
 * stretch the bar lines fall on multiples of the bar. The last bar runs to the end.
 */
export function regularStretches(barStarts: readonly number[], beatCount: number, beatsPerBar: number): { start: number; end: number }[] {
  const stretches: { start: number; end: number }[] = [];
  let start: number | undefined;
  barStarts.forEach((bar, i) => {
    const last = i === barStarts.length - 1;
    const length = last ? Infinity : barStarts[i + 1] - bar;
    if (last || length === beatsPerBar) {
      start ??= bar;
      if (last) stretches.push({ start, end: Infinity });
    } else {
      if (start !== undefined) stretches.push({ start, end: bar });
      start = undefined;
    }
  });
  return stretches.filter((s) => s.start < beatCount);
}

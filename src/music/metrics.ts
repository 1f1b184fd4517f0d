import type { Note } from './melody.js';

/**
 * Music metrics of DESIGN.md §3 (after MuseGAN, Dong et al. 2018), computed on note lists so that
 * generated and real music are measured the same way. Bars are `stepsPerBar` steps from step 0.
 * Only pitches in [24, 108) count, as in the reference.
 */
export const METRIC_PITCH_LOW = 24;
export const METRIC_PITCH_HIGH = 108;
/** A note at least this many steps long is "qualified" (MuseGAN: ≥ 3 time steps). */
export const QUALIFIED_STEPS = 3;

export interface TrackMetrics {
  /** Fraction of bars with no note sounding. */
  emptyBarRate: number;
  /** Distinct pitches per non-empty bar, averaged. */
  pitchesUsed: number;
  /** Distinct pitch classes per non-empty bar, averaged. */
  pitchClassesUsed: number;
  /** Notes whose pitch class is in the key's scale / all notes. */
  inScaleRatio: number;
  /** Steps with ≥ 2 pitches sounding / steps with ≥ 1 sounding. */
  polyphonyRate: number;
  /** Notes ≥ QUALIFIED_STEPS steps / all notes. */
  qualifiedNoteRate: number;
  /** Lowest and highest pitch, and how many notes there are. */
  lowestPitch: number | null;
  highestPitch: number | null;
  noteCount: number;
}

export interface PieceMetrics {
  tracks: TrackMetrics[];
  /** Tonal distance (Harte et al. 2006) between each pair of tracks, averaged over bars both play in. */
  tonalDistance: { a: number; b: number; distance: number }[];
  /** The key the in-scale ratio was measured against: tonic pitch class of the major scale (0 = C). */
  keyTonic: number;
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];

export function scalePitchClasses(tonic: number): Set<number> {
  return new Set(MAJOR.map((i) => (i + tonic) % 12));
}

/**
 * The major scale (or its relative minor: the same pitch classes) that holds the most note-steps.
 * Ties go to the lower tonic for determinism.
 */
export function detectKey(notes: readonly Note[]): number {
  const weight = new Array<number>(12).fill(0);
  for (const n of notes) weight[((n.pitch % 12) + 12) % 12] += n.duration;
  let best = 0;
  let bestScore = -1;
  for (let tonic = 0; tonic < 12; tonic++) {
    const score = MAJOR.reduce((sum, i) => sum + weight[(i + tonic) % 12], 0);
    if (score > bestScore) {
      best = tonic;
      bestScore = score;
    }
  }
  return best;
}

function inMetricRange(n: Note): boolean {
  return n.pitch >= METRIC_PITCH_LOW && n.pitch < METRIC_PITCH_HIGH;
}

/** For each bar, the set of pitches sounding in it. */
function pitchesPerBar(notes: readonly Note[], bars: number, stepsPerBar: number): Set<number>[] {
  const out = Array.from({ length: bars }, () => new Set<number>());
  for (const n of notes) {
    const first = Math.floor(n.start / stepsPerBar);
    const last = Math.floor((n.start + n.duration - 1) / stepsPerBar);
    for (let b = Math.max(0, first); b <= Math.min(bars - 1, last); b++) out[b].add(n.pitch);
  }
  return out;
}

export function trackMetrics(notesIn: readonly Note[], bars: number, stepsPerBar: number, scale: Set<number>): TrackMetrics {
  const notes = notesIn.filter(inMetricRange);
  const perBar = pitchesPerBar(notes, bars, stepsPerBar);
  const nonEmpty = perBar.filter((s) => s.size > 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const sounding = new Map<number, number>();
  for (const n of notes) for (let s = n.start; s < n.start + n.duration; s++) sounding.set(s, (sounding.get(s) ?? 0) + 1);
  const soundingSteps = [...sounding.values()];
  return {
    emptyBarRate: bars ? (bars - nonEmpty.length) / bars : 0,
    pitchesUsed: mean(nonEmpty.map((s) => s.size)),
    pitchClassesUsed: mean(nonEmpty.map((s) => new Set([...s].map((p) => p % 12)).size)),
    inScaleRatio: notes.length ? notes.filter((n) => scale.has(n.pitch % 12)).length / notes.length : 0,
    polyphonyRate: soundingSteps.length ? soundingSteps.filter((c) => c >= 2).length / soundingSteps.length : 0,
    qualifiedNoteRate: notes.length ? notes.filter((n) => n.duration >= QUALIFIED_STEPS).length / notes.length : 0,
    lowestPitch: notes.length ? Math.min(...notes.map((n) => n.pitch)) : null,
    highestPitch: notes.length ? Math.max(...notes.map((n) => n.pitch)) : null,
    noteCount: notes.length,
  };
}

const TONAL_RADII = [1, 1, 0.5];
const TONAL_ANGLES = [(7 * Math.PI) / 6, (3 * Math.PI) / 2, (2 * Math.PI) / 3];

/** Harte's 6-D tonal centroid of a 12-bin chroma vector; null for an empty chroma. */
export function tonalCentroid(chroma: readonly number[]): number[] | null {
  const total = chroma.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const out = new Array<number>(6).fill(0);
  for (let l = 0; l < 12; l++) {
    const c = chroma[l] / total;
    for (let k = 0; k < 3; k++) {
      out[2 * k] += TONAL_RADII[k] * Math.sin(l * TONAL_ANGLES[k]) * c;
      out[2 * k + 1] += TONAL_RADII[k] * Math.cos(l * TONAL_ANGLES[k]) * c;
    }
  }
  return out;
}

/** Duration-weighted chroma of each bar. */
function chromaPerBar(notes: readonly Note[], bars: number, stepsPerBar: number): number[][] {
  const out = Array.from({ length: bars }, () => new Array<number>(12).fill(0));
  for (const n of notes) {
    for (let s = n.start; s < n.start + n.duration; s++) {
      const b = Math.floor(s / stepsPerBar);
      if (b >= 0 && b < bars) out[b][n.pitch % 12] += 1;
    }
  }
  return out;
}

/** Mean Euclidean distance of the two tracks' tonal centroids over bars where both sound; NaN if none. */
export function tonalDistance(a: readonly Note[], b: readonly Note[], bars: number, stepsPerBar: number): number {
  const ca = chromaPerBar(a.filter(inMetricRange), bars, stepsPerBar);
  const cb = chromaPerBar(b.filter(inMetricRange), bars, stepsPerBar);
  const distances: number[] = [];
  for (let i = 0; i < bars; i++) {
    const ta = tonalCentroid(ca[i]);
    const tb = tonalCentroid(cb[i]);
    if (ta && tb) distances.push(Math.hypot(...ta.map((v, k) => v - tb[k])));
  }
  return distances.length ? distances.reduce((x, y) => x + y, 0) / distances.length : Number.NaN;
}

/**
 * Metrics of one piece. The key is given, or detected from `keyTrack` (the melody: accompaniment is
 * judged against the key of the tune it accompanies), or from all tracks.
 */
export function pieceMetrics(
  tracks: readonly (readonly Note[])[],
  bars: number,
  stepsPerBar: number,
  options: { keyTonic?: number; keyTrack?: number } = {},
): PieceMetrics {
  const keyNotes = options.keyTrack !== undefined ? tracks[options.keyTrack] : tracks.flat();
  const keyTonic = options.keyTonic ?? detectKey(keyNotes);
  const scale = scalePitchClasses(keyTonic);
  const tonal: PieceMetrics['tonalDistance'] = [];
  for (let a = 0; a < tracks.length; a++) {
    for (let b = a + 1; b < tracks.length; b++) tonal.push({ a, b, distance: tonalDistance(tracks[a], tracks[b], bars, stepsPerBar) });
  }
  return { tracks: tracks.map((t) => trackMetrics(t, bars, stepsPerBar, scale)), tonalDistance: tonal, keyTonic };
}

export interface MetricSummary {
  /** Per track: each metric averaged over the pieces. Pitch extremes are the overall min/max. */
  tracks: TrackMetrics[];
  /** Per track pair, averaged over pieces where defined. */
  tonalDistance: { a: number; b: number; distance: number }[];
  pieces: number;
}

/** Averages piece metrics (e.g. over a data set's windows). */
export function summarize(pieces: readonly PieceMetrics[]): MetricSummary {
  if (pieces.length === 0) return { tracks: [], tonalDistance: [], pieces: 0 };
  const trackCount = pieces[0].tracks.length;
  const avg = (xs: number[]) => {
    const finite = xs.filter((x) => Number.isFinite(x));
    return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
  };
  const tracks = Array.from({ length: trackCount }, (_, t) => {
    const all = pieces.map((p) => p.tracks[t]);
    const lows = all.map((m) => m.lowestPitch).filter((x): x is number => x !== null);
    const highs = all.map((m) => m.highestPitch).filter((x): x is number => x !== null);
    const withNotes = all.filter((m) => m.noteCount > 0);
    return {
      emptyBarRate: avg(all.map((m) => m.emptyBarRate)),
      pitchesUsed: avg(withNotes.map((m) => m.pitchesUsed)),
      pitchClassesUsed: avg(withNotes.map((m) => m.pitchClassesUsed)),
      inScaleRatio: avg(withNotes.map((m) => m.inScaleRatio)),
      polyphonyRate: avg(withNotes.map((m) => m.polyphonyRate)),
      qualifiedNoteRate: avg(withNotes.map((m) => m.qualifiedNoteRate)),
      lowestPitch: lows.length ? Math.min(...lows) : null,
      highestPitch: highs.length ? Math.max(...highs) : null,
      noteCount: all.reduce((a, m) => a + m.noteCount, 0),
    };
  });
  const tonalDistance = pieces[0].tonalDistance.map(({ a, b }, i) => ({ a, b, distance: avg(pieces.map((p) => p.tonalDistance[i].distance)) }));
  return { tracks, tonalDistance, pieces: pieces.length };
}

/** Summary of windows of music (track 0 the melody, whose key the others are judged against). */
export function windowMetrics(windows: readonly (readonly (readonly Note[])[])[], bars: number, stepsPerBar: number): MetricSummary {
  return summarize(windows.map((w) => pieceMetrics(w, bars, stepsPerBar, { keyTrack: 0 })));
}

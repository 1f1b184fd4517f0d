import type { HarmonyMeasures } from './harmony-measures.js';

/** One system's measures: all accompaniment parts pooled, and part by part. */
export interface SystemMeasures {
  readonly all: HarmonyMeasures;
  readonly parts: readonly { readonly name: string; readonly measures: HarmonyMeasures }[];
}

/**
 * The model judged as a user hears it: the first bars of held-out pieces composed through the same
 * path as the API (key estimated from the melody, chords from the model's harmoniser, never the data's
 * labels), next to the real accompaniment and to a rule-based yardstick, on the same melodies.
 */
export interface ListeningEvaluation {
  readonly evaluatedOn: string;
  readonly pieces: number;
  readonly bars: number;
  readonly seed: number;
  readonly real: SystemMeasures;
  readonly model: SystemMeasures;
  readonly rule: SystemMeasures;
  /** Whether chord-tone shares are against chords written in the data (`label`) or an analysis of its parts. */
  readonly chordSource?: 'label' | 'analysis';
  /** Chord accuracy (triads, per step) of the model's harmoniser and of the rule baseline against the data's chords. */
  readonly harmoniser?: { readonly accuracy: number; readonly ruleAccuracy: number };
  /** Chord-tone share of the model's parts against the chords it was asked to follow (the harmoniser's). */
  readonly chordFollowing?: number;
  /** A classifier told real from composed excerpts this often on excerpts it did not see. */
  readonly realOrGenerated?: { readonly accuracy: number; readonly testPairs: number };
}

/** A percent with one decimal, or a dash. */
const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : (100 * x).toFixed(1));

/** The evaluation as a Markdown table: real / model / rule for every measure, pooled and per part. */
export function listeningTable(e: ListeningEvaluation): string {
  const rows: string[] = [
    '| system | part | consonance | dissonance | in-scale | chord-tone | one-step notes | empty bars | in real range |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const line = (system: string, part: string, m: HarmonyMeasures) =>
    `| ${system} | ${part} | ${pct(m.consonance)} | ${pct(m.dissonance)} | ${pct(m.inScale)} | ${pct(m.chordTone)} | ${pct(m.oneStepNotes)} | ${pct(m.emptyBars)} | ${pct(m.inRange)} |`;
  for (const [name, s] of [['real', e.real], ['model', e.model], ['rule', e.rule]] as const) {
    rows.push(line(name, 'all', s.all));
    for (const p of s.parts) rows.push(line(name, p.name, p.measures));
  }
  const extra: string[] = [];
  if (e.harmoniser) extra.push(`harmoniser chord accuracy ${pct(e.harmoniser.accuracy)} % (rule baseline ${pct(e.harmoniser.ruleAccuracy)} %)`);
  if (e.chordFollowing !== undefined) extra.push(`the model's parts are ${pct(e.chordFollowing)} % chord tones of the chords it followed`);
  if (e.realOrGenerated) extra.push(`real-vs-generated classifier ${pct(e.realOrGenerated.accuracy)} % on ${e.realOrGenerated.testPairs} held-out pairs`);
  if (e.chordSource === 'analysis') extra.push('chord-tone shares are against a harmonic analysis of the real parts');
  return `${e.evaluatedOn}\n\n${rows.join('\n')}\n${extra.length ? `\n${extra.join('; ')}\n` : ''}`;
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stepsPerBar, STEPS_PER_QUARTER, type TimeSignature } from '../../music/melody.js';
import { musicXmlText } from './score-file.js';

/**
 * The JSB chorales' 16th grid starts at each chorale's first note and knows no bar lines, so a chorale
 * with an upbeat has every bar a beat off. Their meter and upbeat are recovered from the Bach chorale
 * scores (MusicXML, e.g. music21's corpus): each chorale's soprano is matched to the score whose top part
 * has the same melody (intervals, so a transposed score matches) and the same rhythm, and the score's
 * bar lines are carried over to the grid.
 */

/** A score's top line as matching needs it. */
export interface ScoreLine {
  /** Onsets (16th steps from the score's start) and pitches of voice 1 of the top part, equal neighbours merged. */
  readonly notes: readonly { readonly time: number; readonly pitch: number }[];
  /** Steps of the downbeats of whole bars (a short first bar, an upbeat, has none). */
  readonly barLines: readonly number[];
  readonly timeSignature: TimeSignature;
}

/** Where a chorale's first downbeat is, and what recovered it. */
export interface ChoraleMeter {
  readonly score: string;
  readonly timeSignature: TimeSignature;
  /** 2 when the grid holds the chorale at double note values (a bar of the score is two bars of the grid). */
  readonly scale: number;
  /** Grid step of the first downbeat: the length of the upbeat (0 when the chorale starts on one). */
  readonly downbeat: number;
  /** Moves (interval and inter-onset time) of the chorale's first 32 that the score shares. */
  readonly agreement: number;
}

const LETTER: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const number = (body: string, tag: string) => {
  const m = new RegExp(`<${tag}>\\s*(-?[\\d.]+)\\s*</${tag}>`).exec(body);
  return m ? Number(m[1]) : undefined;
};

/** Notes with equal neighbours merged: the JSB grid cannot tell a held note from a repeated one, so neither side may. */
function merged(notes: readonly { time: number; pitch: number }[]): { time: number; pitch: number }[] {
  return notes.filter((n, i) => i === 0 || n.pitch !== notes[i - 1].pitch);
}

/** The top part of a MusicXML score: voice 1's notes, the whole bars' downbeats and the first meter. */
export function scoreTopLine(xml: string): ScoreLine | undefined {
  const part = /<part\b[^>]*>([\s\S]*?)<\/part>/.exec(xml)?.[1];
  if (!part) return undefined;
  let divisions = 1;
  let time = 0;
  let timeSignature: TimeSignature | undefined;
  const notes: { time: number; pitch: number }[] = [];
  const barLines: number[] = [];
  let firstMeasure = true;
  for (const measure of part.matchAll(/<measure\b[^>]*>([\s\S]*?)<\/measure>/g)) {
    const body = measure[1];
    divisions = number(body, 'divisions') ?? divisions;
    const meter = /<beats>(\d+)<\/beats>\s*<beat-type>(\d+)<\/beat-type>/.exec(body);
    if (meter && !timeSignature) timeSignature = { numerator: Number(meter[1]), denominator: Number(meter[2]) };
    const steps = (d: number) => (d * STEPS_PER_QUARTER) / divisions;
    let at = 0;
    let end = 0;
    for (const el of body.matchAll(/<(note|backup|forward)\b[\s\S]*?<\/\1>/g)) {
      const duration = steps(number(el[0], 'duration') ?? 0);
      if (el[1] === 'backup') {
        at -= duration;
        continue;
      }
      if (/<chord\s*\/>|<grace\b/.test(el[0])) continue;
      const voice = number(el[0], 'voice') ?? 1;
      const step = /<step>([A-G])<\/step>/.exec(el[0])?.[1];
      const octave = number(el[0], 'octave');
      if (el[1] === 'note' && voice === 1 && step && octave !== undefined && !/<rest\b/.test(el[0])) {
        notes.push({ time: time + at, pitch: 12 * (octave + 1) + LETTER[step] + (number(el[0], 'alter') ?? 0) });
      }
      at += duration;
      end = Math.max(end, at);
    }
    if (!firstMeasure || (timeSignature && end >= stepsPerBar(timeSignature))) barLines.push(time);
    firstMeasure = false;
    time += end;
  }
  return timeSignature && notes.length > 1 ? { notes: merged(notes), barLines, timeSignature } : undefined;
}

/** Index pairs of a longest common subsequence of two token lists. */
function commonSubsequence(a: readonly number[], b: readonly number[]): [number, number][] {
  const w = b.length + 1;
  const table = new Uint16Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * w + j] = a[i] === b[j] ? table[(i + 1) * w + j + 1] + 1 : Math.max(table[(i + 1) * w + j], table[i * w + j + 1]);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (table[(i + 1) * w + j] >= table[i * w + j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** How many notes' intervals are compared: the opening phrases, before repeats and variants diverge. */
const COMPARED = 32;

/** Each step from note to note as one token: its interval and its inter-onset time (so both must agree). */
const moves = (notes: readonly { time: number; pitch: number }[]) =>
  notes.slice(1, COMPARED + 1).map((n, i) => (n.pitch - notes[i].pitch) * 4096 + (n.time - notes[i].time));

/** A JSB chorale's soprano (voice 0 of its `[S, A, T, B]` steps) as onsets and pitches, equal neighbours merged. */
export function choraleSoprano(steps: readonly (readonly number[])[]): { time: number; pitch: number }[] {
  const notes = steps.flatMap((s, time) => (s[0] >= 0 ? [{ time, pitch: s[0] }] : []));
  return merged(notes);
}

/**
 * The score that a chorale's soprano matches best (the longest common run of moves, a move being an
 * interval and its inter-onset time; the score also taken at double note values, as a few chorales are
 * written on the grid), and the chorale's first downbeat from that score's bar lines. Undefined when no
 * score shares at least `minimum` moves.
 */
export function alignChorale(steps: readonly (readonly number[])[], scores: ReadonlyMap<string, ScoreLine>, minimum = 12): ChoraleMeter | undefined {
  const soprano = choraleSoprano(steps);
  const tokens = moves(soprano);
  let best: { score: string; line: ScoreLine; scale: number; agreeing: [number, number][] } | undefined;
  for (const [score, line] of scores) {
    for (const scale of [1, 2]) {
      const agreeing = commonSubsequence(tokens, moves(line.notes.map((n) => ({ time: n.time * scale, pitch: n.pitch }))));
      if (!best || agreeing.length > best.agreeing.length) best = { score, line, scale, agreeing };
    }
  }
  if (!best || best.agreeing.length < minimum) return undefined;
  const { line, scale } = best;
  // The first shared moves anchor the score on the grid (the offset most of them agree on: one stray
  // pair, a variant at the start, does not move it). The bar line before the anchor gives the bar phase
  // there, and so at step 0: a JSB chorale plays its repeats out, and a repeated section is whole bars.
  const offsets = new Map<number, { n: number; at: number }>();
  for (const [i, j] of best.agreeing.slice(0, 6)) {
    const d = soprano[i].time - line.notes[j].time * scale;
    offsets.set(d, { n: (offsets.get(d)?.n ?? 0) + 1, at: offsets.get(d)?.at ?? line.notes[j].time });
  }
  const [offset, { at }] = [...offsets].reduce((a, b) => (b[1].n > a[1].n ? b : a));
  const bar = stepsPerBar(line.timeSignature) * scale;
  const barLine = [...line.barLines].reverse().find((t) => t <= at) ?? line.barLines[0];
  if (barLine === undefined) return undefined;
  const downbeat = (((barLine * scale + offset) % bar) + bar) % bar;
  return { score: best.score, timeSignature: line.timeSignature, scale, downbeat, agreement: best.agreeing.length };
}

/** The top lines of the MusicXML scores (`.mxl`, `.xml`, `.musicxml`) in a folder, by file name; unreadable ones are left out. */
export async function scoreLines(dir: string): Promise<Map<string, ScoreLine>> {
  const names = (await readdir(dir)).filter((n) => /\.(mxl|xml|musicxml)$/i.test(n)).sort();
  const lines = new Map<string, ScoreLine>();
  for (const name of names) {
    try {
      const line = scoreTopLine(musicXmlText(await readFile(join(dir, name))));
      if (line) lines.set(name, line);
    } catch {
      // A score that cannot be read matches no chorale.
    }
  }
  return lines;
}

/** The grid's meter of an aligned chorale: the score's, with its beat halved when the grid holds double note values (4/4 → 4/2). */
export function gridMeter(meter: Pick<ChoraleMeter, 'timeSignature' | 'scale'>): TimeSignature {
  return { numerator: meter.timeSignature.numerator, denominator: meter.timeSignature.denominator / meter.scale };
}

/**
 * The source of `jsb-meters.ts`: every chorale of a `Jsb16thSeparated.json` aligned to the scores in a
 * folder, one `length score meter downbeat` entry per chorale (`-` when none matched). Regenerate with
 * `npx tsx -e "import('./src/training/datasets/jsb-alignment.ts').then(async (m) => process.stdout.write(await m.jsbMeterSource(JSB_JSON, BACH_FOLDER)))" > src/training/datasets/jsb-meters.ts`.
 */
export async function jsbMeterSource(jsbFile: string, scoresDir: string): Promise<string> {
  const json = JSON.parse(await readFile(jsbFile, 'utf8')) as Record<string, number[][][]>;
  const lines = await scoreLines(scoresDir);
  const splits = (['train', 'valid', 'test'] as const).map((split) => {
    const entries = json[split].map((steps) => {
      const m = alignChorale(steps, lines);
      if (!m) return `${steps.length} -`;
      const ts = gridMeter(m);
      return `${steps.length} ${m.score.replace(/\.(mxl|xml|musicxml)$/i, '')} ${ts.numerator}/${ts.denominator} ${m.downbeat}`;
    });
    return `  ${split}: [\n${entries.map((e) => `    '${e}',`).join('\n')}\n  ],`;
  });
  return `// Generated by jsbMeterSource (jsb-alignment.ts) from Jsb16thSeparated.json and music21's Bach chorales (MusicXML); do not edit.

/**
 * Per split, per chorale of \`Jsb16thSeparated.json\`: its length in steps (to check the file is that one),
 * the score its soprano matched, the meter on the grid and the step of its first downbeat (\`-\`: no score
 * matched).
 */
export const JSB_METERS = {
${splits.join('\n')}
} as const;
`;
}

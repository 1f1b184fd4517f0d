/** A time signature: `numerator` beats of a `1/denominator` note to the bar. */
export interface Meter {
  readonly numerator: number;
  readonly denominator: number;
}

export const COMMON_TIME: Meter = { numerator: 4, denominator: 4 };

/** The meters a played melody can be in: those some model composes in (4/4 models take 2/4 and 2/2, 3/4 and 6/8 models take 12/8). */
export const METERS: readonly Meter[] = [
  COMMON_TIME, { numerator: 3, denominator: 4 }, { numerator: 2, denominator: 4 }, { numerator: 6, denominator: 8 },
  { numerator: 2, denominator: 2 }, { numerator: 12, denominator: 8 },
];

export const meterText = (m: Meter): string => `${m.numerator}/${m.denominator}`;

/** "3/4" as a meter; anything else is 4/4. */
export function parseMeter(text: string): Meter {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  return m ? { numerator: Number(m[1]), denominator: Number(m[2]) } : COMMON_TIME;
}

/** 16ths in a bar: 16 in 4/4, 12 in 3/4 and 6/8, 8 in 2/4. */
export function stepsPerBar(m: Meter): number {
  return (m.numerator * 16) / m.denominator;
}

/** Compound meters (6/8, 9/8, 12/8) are felt in dotted beats of three. */
const compound = (m: Meter): boolean => m.denominator >= 8 && m.numerator > 3 && m.numerator % 3 === 0;

/** 16ths in a beat as it is counted and clicked: a quarter in 4/4 and 3/4, a dotted quarter in 6/8, a half in 2/2. */
export function stepsPerBeat(m: Meter): number {
  return ((compound(m) ? 3 : 1) * 16) / m.denominator;
}

/** Where a step falls, as musicians count: "bar 2, beat 3", "bar 1, beat 2 and 1/4" (a 16th after beat 2). */
export function barAndBeat(step: number, m: Meter): string {
  const bar = stepsPerBar(m);
  const beat = stepsPerBeat(m);
  const within = step % bar;
  const rest = within % beat;
  return `bar ${Math.floor(step / bar) + 1}, beat ${Math.floor(within / beat) + 1}${rest ? ` and ${rest}/${beat}` : ''}`;
}

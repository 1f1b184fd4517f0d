/**
 * A time limit a test asserts, in ms, times CONTINUO_TEST_TIME_FACTOR (default 1): on a machine shared
 * with training runs, a process may wait for a core far longer than the code takes, and the factor
 * says how much slower that machine is. CI runs with the limits as they are.
 */
export function timeBudget(ms: number): number {
  const factor = Number(process.env.CONTINUO_TEST_TIME_FACTOR ?? 1);
  return ms * (Number.isFinite(factor) && factor >= 1 ? factor : 1);
}

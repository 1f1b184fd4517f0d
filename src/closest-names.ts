/** Names a person probably meant when they mistyped one (a sample id, a model id…). */

/** Letters and digits only, lower-case: 'odetojoy' and 'Ode to Joy' both meet 'ode-to-joy'. */
const squeeze = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The names close to `input`, closest first (at most `limit`): within a third of its length in
 * edits, or starting with it (`twinkle` → `twinkle-twinkle`). Case and punctuation do not count.
 */
export function closestNames(input: string, names: readonly string[], limit = 3): string[] {
  const wanted = squeeze(input);
  if (!wanted) return [];
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return names
    .map((name) => {
      const candidate = squeeze(name);
      return { name, distance: candidate.startsWith(wanted) && wanted.length >= 3 ? 0.5 : editDistance(wanted, candidate) };
    })
    .filter((c) => c.distance <= allowed)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map((c) => c.name);
}

/** "did you mean 'a' or 'b'?" for the closest names, or undefined when none is close. */
export function didYouMean(input: string, names: readonly string[]): string | undefined {
  const close = closestNames(input, names).map((n) => `'${n}'`);
  if (close.length === 0) return undefined;
  return `did you mean ${close.length === 1 ? close[0] : `${close.slice(0, -1).join(', ')} or ${close.at(-1)}`}?`;
}

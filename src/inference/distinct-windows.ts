/** The windows of a pass by their condition: the first window of each distinct one, and each window's distinct one. */
export interface DistinctWindows {
  readonly first: readonly number[];
  readonly of: Int32Array;
}

/**
 * Groups `count` windows of `size` floats each by equal content (bit for bit): a composition's
 * variations, and compositions of one melody in one pass, repeat their condition windows.
 */
export function distinctWindows(values: Float32Array, count: number, size: number): DistinctWindows {
  const bits = new Uint32Array(values.buffer, values.byteOffset, count * size);
  const first: number[] = [];
  const of = new Int32Array(count);
  const byHash = new Map<number, number[]>();
  const same = (a: number, b: number) => {
    for (let i = 0; i < size; i++) if (bits[a * size + i] !== bits[b * size + i]) return false;
    return true;
  };
  for (let w = 0; w < count; w++) {
    let hash = 0x811c9dc5;
    for (let i = w * size, end = i + size; i < end; i++) hash = Math.imul(hash ^ bits[i], 0x01000193);
    const candidates = byHash.get(hash);
    const match = candidates?.find((d) => same(first[d], w));
    if (match !== undefined) {
      of[w] = match;
      continue;
    }
    of[w] = first.length;
    if (candidates) candidates.push(first.length);
    else byHash.set(hash, [first.length]);
    first.push(w);
  }
  return { first, of };
}

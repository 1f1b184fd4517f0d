/** A track as a set's preview lists it. */
export interface FoundTrack {
  readonly index: number;
  readonly name: string;
  readonly channel: number;
  readonly notes: number;
}

/** A track a mapping can name: by its name (any case) across the files, or by its index where it has no usable name. */
export interface TrackChoice {
  /** What the mapping sends: the name, or the index from 0. */
  readonly ref: string;
  readonly label: string;
  /** In how many files it was found. */
  readonly files: number;
  readonly drums: boolean;
}

export interface TrackMapping {
  readonly melody: string;
  readonly accompaniment: readonly string[];
}

/** A mapping the service accepts while the set's tracks are not known yet: it lists every file's tracks all the same. */
export const FIRST_LOOK: TrackMapping = { melody: '0', accompaniment: ['1'] };

/** The accompaniment a model may write (the service's limit). */
export const MAX_ACCOMPANIMENT = 8;

/**
 * The tracks found across a set's files, one choice per name (case aside), in the order they first
 * appear. A track without a name, or whose name a mapping cannot carry (digits only, a comma), is
 * named by its index instead.
 */
export function trackChoices(files: readonly { readonly tracks: readonly FoundTrack[] }[]): TrackChoice[] {
  const found = new Map<string, { ref: string; label: string; files: number; drums: boolean; order: number }>();
  for (const file of files) {
    const seen = new Set<string>();
    for (const t of file.tracks) {
      const name = t.name.trim();
      const byName = name !== '' && !/^\d+$/.test(name) && !name.includes(',');
      const key = byName ? name.toLowerCase() : `#${t.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const known = found.get(key);
      if (known) known.files += 1;
      else found.set(key, { ref: byName ? name : String(t.index), label: byName ? name : `track ${t.index}${name ? ` (${name})` : ''}`, files: 1, drums: t.channel === 9, order: t.index });
    }
  }
  return [...found.values()].sort((a, b) => a.order - b.order).map(({ order: _order, ...choice }) => choice);
}

const MELODY_NAME = /melod|lead|tune|vocal|voice|sopran|theme|sing/i;

/** A first guess: the track named like a melody (else the first) is the melody, the others but drums the accompaniment. */
export function guessMapping(choices: readonly TrackChoice[]): TrackMapping | null {
  if (choices.length < 2) return null;
  const melody = choices.find((c) => MELODY_NAME.test(c.label)) ?? choices.find((c) => !c.drums) ?? choices[0];
  const others = choices.filter((c) => c !== melody);
  const pitched = others.filter((c) => !c.drums);
  return { melody: melody.ref, accompaniment: (pitched.length ? pitched : others).slice(0, MAX_ACCOMPANIMENT).map((c) => c.ref) };
}

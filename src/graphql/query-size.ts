/** How deeply a GraphQL source nests brackets and about how many tokens it has. */
export interface QuerySize {
  /** Deepest nesting of `{`, `(` and `[`. */
  readonly nesting: number;
  /** Names, numbers, punctuators and strings (a close estimate of graphql-js's token count). */
  readonly tokens: number;
}

const NAME = /[_0-9A-Za-z.+-]/;

/**
 * Measures a source in one pass before it is parsed: graphql-js parses by recursive descent, so a
 * deep enough nest overflows the stack, and parsing and validating many thousand tokens costs
 * event-loop time that an operation over the limits should never get.
 */
export function querySize(source: string): QuerySize {
  let nesting = 0;
  let deepest = 0;
  let tokens = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i];
    if (c === '#') {
      while (i < n && source[i] !== '\n' && source[i] !== '\r') i += 1;
    } else if (c === '"') {
      tokens += 1;
      if (source.startsWith('"""', i)) {
        i += 3;
        while (i < n && !source.startsWith('"""', i)) i += source.startsWith('\\"""', i) ? 4 : 1;
        i += 3;
      } else {
        i += 1;
        while (i < n && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
        i += 1;
      }
    } else if (c === '{' || c === '(' || c === '[') {
      tokens += 1;
      nesting += 1;
      deepest = Math.max(deepest, nesting);
      i += 1;
    } else if (c === '}' || c === ')' || c === ']') {
      tokens += 1;
      nesting = Math.max(0, nesting - 1);
      i += 1;
    } else if (NAME.test(c)) {
      tokens += 1;
      while (i < n && NAME.test(source[i])) i += 1;
    } else {
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== ',' && c !== '\uFEFF') tokens += 1;
      i += 1;
    }
  }
  return { nesting: deepest, tokens };
}

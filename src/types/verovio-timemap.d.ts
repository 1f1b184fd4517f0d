// The Verovio toolkit's timemap (the data-set readers take bar lines from it), beside src/types/verovio.d.ts.
declare module 'verovio/esm' {
  interface VerovioToolkit {
    /** When each note, rest and (with `includeMeasures`) measure starts, as played: `qstamp` in quarter notes. */
    renderToTimemap(options?: { includeMeasures?: boolean; includeRests?: boolean }): unknown;
  }
}

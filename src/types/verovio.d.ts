// The parts of the Verovio toolkit's API used here (the package ships no type declarations).
declare module 'verovio/wasm' {
  const createVerovioModule: () => Promise<unknown>;
  export default createVerovioModule;
}

declare module 'verovio/esm' {
  export class VerovioToolkit {
    constructor(module: unknown);
    setOptions(options: Record<string, unknown>): void;
    /** Compressed MusicXML (.mxl). */
    loadZipDataBuffer(data: ArrayBuffer): boolean;
    /** MusicXML, MEI, Humdrum or ABC text. */
    loadData(data: string): boolean;
    /** The loaded score as a standard MIDI file, base64-encoded. */
    renderToMIDI(): string;
    getLog(): string;
    destroy(): void;
  }
}

declare module 'verovio/esm' {
  export const LOG_WARNING: number;
  /** Keep the toolkit's messages in its log buffer (read with getLog) instead of printing them. */
  export function enableLogToBuffer(value: number, module: unknown): void;
}

import { InvalidInputError } from '../errors.js';

type Toolkit = import('verovio/esm').VerovioToolkit;

let toolkit: Promise<Toolkit> | undefined;

/** One Verovio toolkit per process, loaded on first use (its WebAssembly module takes a second or two). */
function verovio(): Promise<Toolkit> {
  toolkit ??= (async () => {
    const [{ default: createModule }, { VerovioToolkit, enableLogToBuffer }] = await Promise.all([import('verovio/wasm'), import('verovio/esm')]);
    const module = await createModule();
    enableLogToBuffer(1, module);
    return new VerovioToolkit(module);
  })();
  return toolkit;
}

/**
 * A score as a standard MIDI file, one track per part, through the Verovio engraving toolkit: compressed
 * MusicXML (`.mxl`, a zip) or MusicXML, MEI, Humdrum and ABC text.
 */
export async function scoreToMidi(bytes: Uint8Array): Promise<Uint8Array> {
  const tk = await verovio();
  const zipped = bytes[0] === 0x50 && bytes[1] === 0x4b; // "PK"
  const loaded = zipped
    ? tk.loadZipDataBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    : tk.loadData(Buffer.from(bytes).toString('utf8'));
  if (!loaded) throw new InvalidInputError(`the score could not be read: ${tk.getLog().trim().split('\n').pop() ?? 'no detail'}`);
  return Buffer.from(tk.renderToMIDI(), 'base64');
}

/** A score as MIDI with its bar lines: `barLines` are the quarter-note times at which measures start, as played (repeats written out). */
export async function scoreToMidiWithBars(text: string): Promise<{ midi: Uint8Array; barLines: number[] }> {
  const tk = await verovio();
  if (!tk.loadData(text)) throw new InvalidInputError(`the score could not be read: ${tk.getLog().trim().split('\n').pop() ?? 'no detail'}`);
  const timemap = tk.renderToTimemap({ includeMeasures: true }) as unknown as readonly { qstamp: number; measureOn?: string }[];
  return { midi: Buffer.from(tk.renderToMIDI(), 'base64'), barLines: timemap.filter((e) => e.measureOn !== undefined).map((e) => e.qstamp) };
}

import { fromThreadError, type Outcome } from '../inference/thread-messages.js';
import { startWorker } from '../worker-thread.js';
import type { MidiFolderSpec } from './datasets/midi-folder.js';
import { tracksFromMidi } from '../music/midi.js';
import { previewMidiFolder, type MidiFolderPreview } from './midi-folder-preview.js';

export type SetReadRequest =
  | { readonly type: 'preview'; readonly spec: MidiFolderSpec; readonly rows: { readonly pitchLow: number; readonly pitchCount: number } }
  | { readonly type: 'parse'; readonly files: readonly Uint8Array[] };

/**
 * Below this many bytes of MIDI in all, files are read on the caller's thread: the MIDI library reads
 * about 2 KB a millisecond, so that is at most ~30 ms, less than starting a thread costs.
 */
export const IN_THREAD_FROM_BYTES = 64 * 1024;

/** Runs one request in a thread of its own, so that reading many large files never holds the event loop. */
function inThread<T>(request: SetReadRequest): Promise<T> {
  const worker = startWorker(import.meta.url, './midi-set-reader.worker', { workerData: request });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    worker.once('message', (outcome: Outcome<T>) => {
      settled = true;
      if (outcome.ok) resolve(outcome.value);
      else reject(fromThreadError(outcome.error));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the MIDI reading thread stopped (exit code ${code}) before it answered`));
    });
  });
}

/** What training on a MIDI folder with a mapping would see (see previewMidiFolder), read in a thread. */
export function previewMidiFolderInThread(
  spec: MidiFolderSpec,
  rows: { readonly pitchLow: number; readonly pitchCount: number },
  bytes: number,
): Promise<MidiFolderPreview> {
  return bytes < IN_THREAD_FROM_BYTES ? previewMidiFolder(spec, rows) : inThread({ type: 'preview', spec, rows });
}

/** Parses the files (in a thread when they are large): the first that does not parse, with the parser's message, or null. */
export async function firstUnreadableMidi(files: readonly Uint8Array[]): Promise<{ readonly index: number; readonly message: string } | null> {
  if (files.reduce((sum, file) => sum + file.length, 0) >= IN_THREAD_FROM_BYTES) return inThread({ type: 'parse', files });
  return unreadableIn(files);
}

/** The first of the files that does not parse, by its index, with the parser's message; null: every file reads. */
export function unreadableIn(files: readonly Uint8Array[]): { readonly index: number; readonly message: string } | null {
  for (const [index, file] of files.entries()) {
    try {
      tracksFromMidi(file);
    } catch (error) {
      return { index, message: (error as Error).message };
    }
  }
  return null;
}

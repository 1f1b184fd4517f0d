/**
 * Entry of a thread that reads users' MIDI files for training sets: the parse of every file of a set
 * (a preview), or of the files of one upload, costs far more than the event loop may spend at once.
 * `workerData` is a `SetReadRequest`; the thread posts one `Outcome` and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toThreadError } from '../inference/thread-messages.js';
import { previewMidiFolder } from './midi-folder-preview.js';
import { unreadableIn, type SetReadRequest } from './midi-set-reader.js';

if (!parentPort) throw new Error('midi-set-reader.worker runs as a worker thread');
const port = parentPort;
const request = workerData as SetReadRequest;
try {
  if (request.type === 'preview') {
    port.postMessage({ ok: true, value: await previewMidiFolder(request.spec, request.rows) });
  } else {
    port.postMessage({ ok: true, value: unreadableIn(request.files) });
  }
} catch (error) {
  port.postMessage({ ok: false, error: toThreadError(error) });
} finally {
  port.close();
}

import { describe, expect, it } from 'vitest';
import { tensorflowNote } from './backend.js';

describe('tensorflowNote', () => {
  it('words the missing optional GPU package as information, and other failures as what they are', () => {
    // What Node's import() throws where the package is not installed.
    const missing = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/dist/src/inference/backend.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(tensorflowNote(missing)).toBe('the optional GPU package @tensorflow/tfjs-node-gpu is not installed (it is only for NVIDIA GPUs)');
    expect(tensorflowNote(new Error('libcudart.so.11.0: cannot open shared object file\nmore'))).toBe('tensorflow (tfjs-node-gpu) unavailable: libcudart.so.11.0: cannot open shared object file');
  });
});

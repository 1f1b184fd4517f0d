import { describe, expect, it } from 'vitest';
import { backendFromEnv, tensorflowNote } from './backend.js';

describe('CONTINUO_BACKEND', () => {
  it('takes the known names and their aliases', () => {
    expect(backendFromEnv({})).toBe('auto');
    expect(backendFromEnv({ CONTINUO_BACKEND: 'GPU' })).toBe('tensorflow');
    expect(backendFromEnv({ CONTINUO_BACKEND: 'wasm' })).toBe('wasm');
  });

  it('refuses anything else with a coded error listing the choices', () => {
    expect(() => backendFromEnv({ CONTINUO_BACKEND: 'tpu' })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: "CONTINUO_BACKEND='tpu' is not a backend; use one of auto, tensorflow, wasm, cpu" }));
  });
});

describe('tensorflowNote', () => {
  it('words the missing optional GPU package as information, and other failures as what they are', () => {
    // What Node's import() throws where the package is not installed.
    const missing = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/dist/src/inference/backend.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(tensorflowNote(missing)).toBe('the optional GPU package @tensorflow/tfjs-node-gpu is not installed (it is only for NVIDIA GPUs)');
    expect(tensorflowNote(new Error('libcudart.so.11.0: cannot open shared object file\nmore'))).toBe('tensorflow (tfjs-node-gpu) unavailable: libcudart.so.11.0: cannot open shared object file');
  });
});

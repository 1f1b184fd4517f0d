import { describe, expect, it } from 'vitest';
import { backendFromEnv } from './backend.js';

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

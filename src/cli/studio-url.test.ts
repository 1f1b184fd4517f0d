import { describe, expect, it } from 'vitest';
import { localBase, studioUrl } from './studio-url.js';

describe("the studio's address", () => {
  it('carries the key in the fragment, escaped, and nothing without one', () => {
    expect(studioUrl('http://127.0.0.1:4000', 'ck_a+b/c')).toBe('http://127.0.0.1:4000/#key=ck_a%2Bb%2Fc');
    expect(studioUrl('http://127.0.0.1:4000', undefined)).toBe('http://127.0.0.1:4000/');
  });

  it('reaches a server listening on every address through loopback', () => {
    expect(localBase({ host: '0.0.0.0', port: 4000 })).toBe('http://127.0.0.1:4000');
    expect(localBase({ host: '::', port: 80 })).toBe('http://[::1]:80');
    expect(localBase({ host: 'studio.local', port: 4001 })).toBe('http://studio.local:4001');
  });
});

import { describe, expect, it } from 'vitest';
import { readNoteMessage } from './midi-input';

describe('MIDI note messages', () => {
  it('reads note-on and note-off on any channel, and note-on at velocity 0 as note-off', () => {
    expect(readNoteMessage(new Uint8Array([0x90, 60, 127]))).toEqual({ on: true, pitch: 60, velocity: 1 });
    expect(readNoteMessage(new Uint8Array([0x9f, 61, 0]))).toEqual({ on: false, pitch: 61, velocity: 0 });
    expect(readNoteMessage(new Uint8Array([0x83, 62, 40]))).toEqual({ on: false, pitch: 62, velocity: 0 });
  });

  it('leaves other messages alone', () => {
    expect(readNoteMessage(new Uint8Array([0xb0, 64, 127]))).toBeNull(); // sustain pedal
    expect(readNoteMessage(new Uint8Array([0xf8]))).toBeNull(); // clock
  });
});

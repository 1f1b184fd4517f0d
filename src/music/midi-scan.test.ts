import { describe, expect, it } from 'vitest';
import { countMidiEvents } from './midi-scan.js';

const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const file = (events: number[]) =>
  Uint8Array.from([0x4d, 0x54, 0x68, 0x64, ...u32(6), 0, 0, 0, 1, 1, 0xe0, 0x4d, 0x54, 0x72, 0x6b, ...u32(events.length), ...events]);

describe('countMidiEvents', () => {
  it('counts note-ons with a velocity, with running status, meta and sysex events skipped by their length', () => {
    const events = [
      0, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20, // tempo
      0, 0xf0, 0x02, 0x7e, 0xf7, // sysex
      0, 0x90, 60, 100, 0x83, 0x60, 62, 90, // a note-on, then one on running status after a two-byte delta
      0, 64, 0, // running status with velocity 0: a note-off
      0, 0xc0, 5, // program change: one data byte
      0, 0xb0, 7, 100, // controller
      0, 0xff, 0x2f, 0x00,
    ];
    expect(countMidiEvents(file(events))).toEqual({ notes: 2, events: 8, trackNotes: 2 });
  });

  it('stops at what it cannot read, and past the limit it was given', () => {
    expect(countMidiEvents(file([0, 60, 100]))).toEqual({ notes: 0, events: 0, trackNotes: 0 });
    expect(countMidiEvents(Uint8Array.from([1, 2, 3]))).toEqual({ notes: 0, events: 0, trackNotes: 0 });
    const many = Array.from({ length: 1000 }, (_, i) => [0, 0x90, 60 + (i % 12), 100]).flat();
    expect(countMidiEvents(file(many), { notes: 10 }).notes).toBe(11);
    expect(countMidiEvents(file(many), { trackNotes: 5 }).trackNotes).toBe(6);
  });
});

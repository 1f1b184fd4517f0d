import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../../errors.js';
import type { Note } from '../../music/melody.js';
import type { Piece } from '../dataset.js';

export type JsbSplit = 'train' | 'valid' | 'test';
export const JSB_VOICES = ['soprano', 'alto', 'tenor', 'bass'] as const;

/**
 * The JSB chorales in the `Jsb16thSeparated.json` layout: per split, chorales as lists of 16th-note
 * steps `[S, A, T, B]` (MIDI pitch, −1 = rest). The grid cannot tell a held note from a repeated one,
 * so equal consecutive pitches become one note.
 */
export async function loadJsbChorales(file: string, split: JsbSplit): Promise<Piece[]> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, number[][][]>;
  const chorales = json[split];
  if (!Array.isArray(chorales)) throw new InvalidInputError(`${file} has no '${split}' split; expected keys train, valid, test`);
  return chorales.map((steps, i) => ({ id: `${split}-${i}`, steps: steps.length, tracks: JSB_VOICES.map((_, v) => voiceNotes(steps, v)) }));
}

function voiceNotes(steps: number[][], voice: number): Note[] {
  const notes: Note[] = [];
  let current: { pitch: number; start: number } | undefined;
  for (let s = 0; s <= steps.length; s++) {
    const raw = s < steps.length ? steps[s][voice] : -1;
    const pitch = raw === null || raw === undefined || Number.isNaN(raw) ? -1 : raw;
    if (current && pitch !== current.pitch) {
      notes.push({ pitch: current.pitch, start: current.start, duration: s - current.start, velocity: 90 });
      current = undefined;
    }
    if (!current && pitch >= 0) current = { pitch, start: s };
  }
  return notes;
}

/** The chorale voices as instruments: the soprano sings the tune, an organ plays the other voices. */
export const JSB_TRACKS = [
  { name: 'Soprano', program: 52, isDrum: false, role: 'melody', monophonic: true },
  { name: 'Alto', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Tenor', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
  { name: 'Bass', program: 19, isDrum: false, role: 'accompaniment', monophonic: true },
] as const;

/** All three splits of the JSB file as training data. */
export async function jsbTrainingData(file: string) {
  const [train, valid, test] = await Promise.all((['train', 'valid', 'test'] as const).map((s) => loadJsbChorales(file, s)));
  return { name: 'JSB chorales (Boulanger-Lewandowski 2012 split, 16th grid)', train, valid, test, tracks: JSB_TRACKS.map((t) => ({ ...t })) };
}

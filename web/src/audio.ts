let context: AudioContext | undefined;

/** The page's one AudioContext, made (and resumed) on a user gesture. */
export function audioContext(): AudioContext {
  context ??= new AudioContext({ latencyHint: 'interactive' });
  if (context.state === 'suspended') void context.resume();
  return context;
}

export function existingAudioContext(): AudioContext | undefined {
  return context;
}

const frequency = (pitch: number): number => 440 * 2 ** ((pitch - 69) / 12);

/**
 * A small oscillator voice for the keys you play (it sounds at once, before any sound bank is loaded)
 * and the fallback player when the sound bank cannot be used.
 */
export function tone(pitch: number, at: number, duration: number | null, gain = 0.18, destination?: AudioNode): { stop: (when?: number) => void } {
  const ctx = audioContext();
  const osc = ctx.createOscillator();
  const filter = ctx.createBiquadFilter();
  const amp = ctx.createGain();
  osc.type = 'triangle';
  osc.frequency.value = frequency(pitch);
  filter.type = 'lowpass';
  filter.frequency.value = Math.min(8000, frequency(pitch) * 6);
  amp.gain.setValueAtTime(0, at);
  amp.gain.linearRampToValueAtTime(gain, at + 0.008);
  amp.gain.exponentialRampToValueAtTime(gain * 0.45, at + 0.4);
  osc.connect(filter).connect(amp).connect(destination ?? ctx.destination);
  osc.start(at);
  const stop = (when = ctx.currentTime): void => {
    const t = Math.max(when, at + 0.02);
    amp.gain.cancelScheduledValues(t);
    amp.gain.setTargetAtTime(0, t, 0.05);
    osc.stop(t + 0.4);
  };
  if (duration !== null) stop(at + duration);
  return { stop };
}

/** A metronome click: higher on the downbeat. */
export function click(at: number, downbeat: boolean): void {
  const ctx = audioContext();
  const osc = ctx.createOscillator();
  const amp = ctx.createGain();
  osc.type = 'square';
  osc.frequency.value = downbeat ? 1760 : 1175;
  amp.gain.setValueAtTime(0.12, at);
  amp.gain.exponentialRampToValueAtTime(0.0001, at + 0.05);
  osc.connect(amp).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + 0.06);
}

// Loaded on first play only: the synthesizer (spessasynth, the engine of the server's renderer) and
// the server's sound bank, so that what plays here is what the audio download sounds like.
import { Sequencer, WorkletSynthesizer } from 'spessasynth_lib';
import processorUrl from 'spessasynth_lib/dist/spessasynth_processor.min.js?url';

export interface SoundBankSynth {
  synth: WorkletSynthesizer;
  sequencer: Sequencer;
}

async function fetchWithProgress(url: string, progress: (fraction: number) => void): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`the sound bank could not be loaded (${res.status})`);
  const total = Number(res.headers.get('content-length')) || 0;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    if (total) progress(received / total);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes.buffer;
}

export async function loadSoundBankSynth(ctx: AudioContext, progress: (fraction: number) => void): Promise<SoundBankSynth> {
  const [bank] = await Promise.all([fetchWithProgress('/studio/soundfont', progress), ctx.audioWorklet.addModule(processorUrl)]);
  const synth = new WorkletSynthesizer(ctx);
  synth.connect(ctx.destination);
  await synth.isReady;
  await synth.soundBankManager.addSoundBank(bank, 'main');
  const sequencer = new Sequencer(synth, { skipToFirstNoteOn: false });
  return { synth, sequencer };
}

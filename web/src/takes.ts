import toneMidi from '@tonejs/midi';
import { trackColor } from '../../src/render/track-colors';
import { chartSpans } from './chord-chart';
import { h } from './dom';
import { meterText, stepsPerBar, stepsPerBeat, type Meter } from './meter';
import type { StudioCompositionFragment, StudioModelsQuery } from './generated/graphql';
import { PianoRoll, type RollOptions, type RollTrack } from './roll';

type Model = StudioModelsQuery['models'][number];

export interface TakeTrack extends RollTrack {
  /** Its index among the MIDI file's tracks. */
  midiTrack: number;
  channel: number;
  /** The General MIDI program the file gives the track. */
  program: number;
  isDrum: boolean;
}

/** One variation of one composition, as heard and drawn: its MIDI file, read once. */
export interface Take {
  /** `compositionId:variation`. */
  readonly id: string;
  /** Counted over the page's life: take 1, take 2… */
  readonly number: number;
  readonly composition: StudioCompositionFragment;
  readonly variation: number;
  readonly url: string;
  readonly midi: ArrayBuffer;
  readonly duration: number;
  readonly tracks: readonly TakeTrack[];
  readonly options: RollOptions;
  /** The file's time signature. */
  readonly meter: Meter;
  kept: boolean;
}

/** Fetches and reads a variation's MIDI file: its tracks in the card's colours, its meter and its chords in seconds. */
export async function fetchTake(c: StudioCompositionFragment, variation: number, model: Model | undefined, number: number, firstBar = 1): Promise<Take> {
  const file = c.files.find((f) => f.format === 'midi' && (f.variation ?? 0) === variation) ?? (variation === 0 && c.midiUrl ? { url: c.midiUrl } : null);
  if (!file) throw new Error(`variation ${variation + 1} has no MIDI file`);
  const res = await fetch(file.url);
  if (!res.ok) throw new Error(`the MIDI file of variation ${variation + 1} could not be fetched (${res.status})`);
  const midi = await res.arrayBuffer();
  const parsed = new toneMidi.Midi(midi);
  const tempo = parsed.header.tempos[0]?.bpm ?? c.tempo;
  const [numerator, denominator] = parsed.header.timeSignatures[0]?.timeSignature ?? [4, 4];
  const meter = { numerator, denominator };
  const beatsPerBar = stepsPerBar(meter) / 4;
  // Bars taken from a long melody stay where they were in the file: the view starts at the first one.
  const ticksPerBar = parsed.header.ppq * beatsPerBar;
  const at = (bars: number): number => parsed.header.ticksToSeconds(Math.round((firstBar - 1 + bars) * ticksPerBar));
  const start = at(0);
  const chords = chartSpans(c.chords ?? '', c.bars).map((span) => ({ time: at(span.start), end: at(span.end), symbol: span.symbol }));
  const tracks = parsed.tracks
    .map((t, midiTrack) => ({ t, midiTrack }))
    .filter(({ t }) => t.notes.length > 0 || model?.tracks.some((mt) => mt.name === t.name))
    .map(({ t, midiTrack }, i): TakeTrack => {
      const cardIndex = model?.tracks.findIndex((mt) => mt.name === t.name) ?? -1;
      return {
        midiTrack,
        name: t.name || `Track ${i + 1}`,
        color: trackColor(cardIndex >= 0 ? cardIndex : i),
        notes: t.notes.map((n) => ({ pitch: n.midi, time: n.time, duration: n.duration, velocity: n.velocity })),
        channel: t.channel,
        program: t.instrument.number,
        isDrum: t.instrument.percussion,
      };
    });
  return {
    id: `${c.id}:${variation}`, number, composition: c, variation, url: file.url, midi, duration: parsed.duration, tracks,
    options: { tempo, beatsPerBar, pulse: stepsPerBeat(meter) / 4, chords, start, firstBar }, meter, kept: false,
  };
}

export interface TakeListEvents {
  select(take: Take): void;
  play(take: Take): void;
  keep(take: Take, kept: boolean): void;
}

/**
 * The takes side by side: a small roll of each, a radio to show it in the big roll, play, and keep
 * (kept takes stay when another take comes).
 */
export class TakeList {
  private rolls: PianoRoll[] = [];

  constructor(private readonly root: HTMLElement, private readonly modelName: (id: string) => string, private readonly events: TakeListEvents) {}

  render(takes: readonly Take[], selected: string | null): void {
    for (const roll of this.rolls) roll.dispose();
    this.rolls = [];
    const focused = document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id;
    this.root.replaceChildren(...takes.map((take) => this.card(take, take.id === selected)));
    this.root.hidden = takes.length === 0;
    // A re-render keeps the focus where the user had it (the button just pressed, the radio just chosen).
    if (focused) [...this.root.querySelectorAll<HTMLElement>('button, input')].find((el) => el.getAttribute('aria-label') === focused || el.id === focused)?.focus();
  }

  private card(take: Take, selected: boolean): HTMLElement {
    const c = take.composition;
    const label = `Take ${take.number}`;
    const radio = h('input', { type: 'radio', name: 'take', id: `take-${take.number}`, value: take.id, checked: selected });
    radio.addEventListener('change', () => this.events.select(take));
    const canvas = h('canvas', { class: 'roll mini', id: `take-roll-${take.number}`, role: 'img', 'aria-label': `${label} piano roll` });
    const roll = new PianoRoll(canvas, '');
    this.rolls.push(roll);
    roll.set([...take.tracks], { ...take.options, chords: [] });
    const play = h('button', { type: 'button', class: 'play-take', 'aria-label': `Play take ${take.number}` }, '▶ Play');
    play.addEventListener('click', () => this.events.play(take));
    const keep = h('button', { type: 'button', class: 'toggle keep', 'aria-pressed': String(take.kept), 'aria-label': `Keep take ${take.number}` }, take.kept ? 'Kept' : 'Keep');
    keep.addEventListener('click', () => this.events.keep(take, !take.kept));
    const time = meterText(take.meter);
    const meta = [this.modelName(c.modelId), `seed ${c.seed}`, ...(c.variations > 1 ? [`variation ${take.variation + 1} of ${c.variations}`] : []), ...(time === '4/4' ? [] : [time])].join(' · ');
    return h('li', { class: `take${selected ? ' selected' : ''}${take.kept ? ' kept' : ''}`, 'data-take': take.id },
      h('label', { class: 'take-head', for: radio.id }, radio, h('strong', {}, label), h('span', { class: 'meta' }, meta)),
      canvas,
      h('div', { class: 'take-actions' }, play, keep));
  }
}

import './style.css';
import toneMidi from '@tonejs/midi';
import { trackColor } from '../../src/render/track-colors';
import { Api, ApiError } from './api';
import { audioContext, existingAudioContext, tone } from './audio';
import { bytesToBase64 } from './base64';
import { $, h } from './dom';
import {
  StudioAudioDocument, StudioComposeDocument, StudioCompositionDocument, StudioCompositionUpdatedDocument,
  StudioModelsDocument, StudioSamplesDocument,
  type AudioFormat, type ComposeInput, type StudioCompositionFragment, type StudioModelsQuery, type StudioSamplesQuery,
} from './generated/graphql';
import { keyFromFragment, storedKey, storeKey } from './key';
import { Keyboard } from './keyboard';
import { MelodyEditor } from './melody-editor';
import { History } from './melody-edits';
import { METERS, meterText, parseMeter, stepsPerBar, stepsPerBeat, type Meter } from './meter';
import { MidiInput } from './midi-input';
import { tidyChart } from './chord-chart';
import { stepsToTimed, toNotation, type StepNote } from './music';
import { instrumentSelect } from './instruments';
import { Player } from './player';
import { Recorder } from './recorder';
import { PianoRoll, type RollOptions } from './roll';
import { fetchTake, TakeList, type Take, type TakeTrack } from './takes';
import { SharePanel } from './sharing';

type Model = StudioModelsQuery['models'][number];
type Sample = StudioSamplesQuery['sampleMelodies'][number];

// ---- key -------------------------------------------------------------------------------------
let apiKey = keyFromFragment();
const keyStatus = $('key-status');
if (apiKey) storeKey(apiKey);
else apiKey = storedKey();
const showKey = (): void => {
  keyStatus.textContent = apiKey ? `key …${apiKey.slice(-4)} kept in this browser` : 'no key yet: paste the one in data/api-key';
  keyStatus.className = apiKey ? 'ok' : 'warn';
};
showKey();
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>('key-input');
  const value = input.value.trim();
  if (!value) return;
  apiKey = value;
  storeKey(value);
  input.value = '';
  showKey();
  void sharePanel.init();
});
$('key-forget').addEventListener('click', () => {
  apiKey = null;
  storeKey(null);
  showKey();
});
const api = new Api(() => apiKey);

/** An API error as the page says it: the API's own message, with its code. */
function problem(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

// ---- melody source tabs ---------------------------------------------------------------------
const tabs = ['play', 'type', 'upload', 'sample'] as const;
type Tab = (typeof tabs)[number];
let tab: Tab = 'play';
function selectTab(next: Tab, focus = false): void {
  tab = next;
  for (const t of tabs) {
    const button = $(`tab-${t}`);
    button.setAttribute('aria-selected', String(t === next));
    button.tabIndex = t === next ? 0 : -1;
    $(`pane-${t}`).hidden = t !== next;
    if (t === next && focus) button.focus();
  }
}
tabs.forEach((t, i) => {
  const button = $(`tab-${t}`);
  button.addEventListener('click', () => selectTab(t));
  button.addEventListener('keydown', (e) => {
    const move = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!move) return;
    e.preventDefault();
    selectTab(tabs[(i + move + tabs.length) % tabs.length], true);
  });
});

// ---- playing, recording and editing ------------------------------------------------------------
const melodyCanvas = $<HTMLCanvasElement>('melody-roll');
const melodyRoll = new PianoRoll(melodyCanvas, 'Play the keys or press Record: your melody appears here');
const tempoInput = $<HTMLInputElement>('tempo');
const tempo = (): number => Math.min(240, Math.max(40, Number(tempoInput.value) || 100));
const meterSelect = $<HTMLSelectElement>('meter');
meterSelect.replaceChildren(...METERS.map((m) => h('option', { value: meterText(m) }, meterText(m))));
const meter = (): Meter => parseMeter(meterSelect.value);
/** The take: what was recorded, then edited; every change is kept for undo. */
const takeHistory = new History<StepNote[]>([]);
const take = (): StepNote[] => takeHistory.current;
const sounding = new Map<number, { stop: (when?: number) => void }>();
const recordButton = $('record');
const recordStatus = $('record-status');
const undoButton = $<HTMLButtonElement>('undo');
const redoButton = $<HTMLButtonElement>('redo');
const editStatus = $('edit-status');

/** The take on its roll, with the bar lines and beats of the meter chosen; four bars at least. */
function drawMelody(notes: readonly StepNote[]): void {
  const quarters = stepsPerBar(meter()) / 4;
  melodyRoll.set([{ name: 'Melody', color: trackColor(0), notes: stepsToTimed(notes, tempo()) }], {
    tempo: tempo(), beatsPerBar: quarters, pulse: stepsPerBeat(meter()) / 4, minSeconds: 4 * quarters * (60 / tempo()),
  });
  melodyCanvas.dataset.steps = JSON.stringify(notes);
  melodyCanvas.dataset.meter = meterText(meter());
}

const recorder = new Recorder(() => {
  drawMelody(recorder.state === 'idle' ? take() : recorder.current());
  if (recorder.state === 'count-in') recordStatus.textContent = `Count-in: ${recorder.countInBeatsLeft()}…`;
  else if (recorder.state === 'recording') {
    recordStatus.textContent = `Recording, bar ${Math.floor(recorder.position() / recorder.barSeconds()) + 1}`;
    melodyRoll.setPlayhead(Math.max(0, recorder.position()));
  }
});
/** What the take is sent as, for the status line. */
const written = (notes: readonly StepNote[]): string => toNotation(notes, tempo(), meter());

function drawTake(): void {
  drawMelody(take());
  melodyRoll.setActive([...sounding.keys()]);
  editor.notesChanged();
  undoButton.disabled = !takeHistory.canUndo;
  redoButton.disabled = !takeHistory.canRedo;
}

/** A new take or an edit of it: kept for undo, drawn, and written out as it will be sent. */
function setTake(next: StepNote[], said: string): void {
  takeHistory.push(next);
  editStatus.textContent = said;
  drawTake();
  if (next.length) recordStatus.textContent = `${next.length} notes: ${written(next)}`;
}

function undoRedo(redo: boolean): void {
  if (redo ? !takeHistory.canRedo : !takeHistory.canUndo) return;
  if (redo) takeHistory.redo();
  else takeHistory.undo();
  editStatus.textContent = redo ? 'Redone' : 'Undone';
  drawTake();
  recordStatus.textContent = take().length ? `${take().length} notes: ${written(take())}` : '';
}
undoButton.addEventListener('click', () => undoRedo(false));
redoButton.addEventListener('click', () => undoRedo(true));

const editor = new MelodyEditor(melodyCanvas, melodyRoll, {
  notes: take,
  commit: (next, said) => setTake(next, said),
  preview: (next) => drawMelody(next),
  stepSeconds: () => 60 / tempo() / 4,
  meter,
  undo: () => undoRedo(false),
  redo: () => undoRedo(true),
  editable: () => recorder.state === 'idle',
});

const notes = {
  noteOn(pitch: number, velocity = 0.8) {
    const ctx = audioContext();
    sounding.get(pitch)?.stop();
    sounding.set(pitch, tone(pitch, ctx.currentTime, null, 0.06 + 0.16 * velocity));
    recorder.noteOn(pitch);
    melodyRoll.setActive([...sounding.keys()]);
  },
  noteOff(pitch: number) {
    sounding.get(pitch)?.stop();
    sounding.delete(pitch);
    recorder.noteOff(pitch);
    melodyRoll.setActive([...sounding.keys()]);
  },
};
const keyboard = new Keyboard($('piano'), $<HTMLOutputElement>('octave'), notes);

// A USB keyboard plays and records like the keys on screen.
const midiButton = $<HTMLButtonElement>('midi-connect');
const midiStatus = $('midi-status');
const midi = new MidiInput(
  {
    noteOn: (pitch, velocity) => {
      keyboard.highlight(pitch, true);
      notes.noteOn(pitch, velocity);
    },
    noteOff: (pitch) => {
      keyboard.highlight(pitch, false);
      notes.noteOff(pitch);
    },
  },
  (inputs) => {
    midiStatus.textContent = inputs.length ? `MIDI: ${inputs.join(', ')}` : 'No MIDI keyboard is plugged in; plug one in and it is heard';
    midiStatus.className = inputs.length ? 'ok' : '';
  },
);
if (!MidiInput.supported()) {
  midiButton.disabled = true;
  midiStatus.textContent = 'This browser has no Web MIDI (Chrome, Edge and Firefox have it)';
}
midiButton.addEventListener('click', async () => {
  try {
    await midi.connect();
    midiButton.hidden = true;
  } catch (error) {
    midiStatus.textContent = `MIDI was not allowed: ${(error as Error).message}`;
  }
});

recordButton.addEventListener('click', () => {
  if (recorder.state === 'idle') {
    recorder.begin(tempo(), Number($<HTMLSelectElement>('count-in').value), $<HTMLInputElement>('metronome').checked, meter());
    meterSelect.disabled = true;
    recordButton.textContent = '■ Stop recording';
    recordButton.setAttribute('aria-pressed', 'true');
    $('piano').focus();
  } else {
    const recorded = recorder.end();
    meterSelect.disabled = false;
    recordButton.textContent = '● Record';
    recordButton.setAttribute('aria-pressed', 'false');
    melodyRoll.setPlayhead(null);
    setTake(recorded, recorded.length ? 'Recorded: edit it on the roll' : '');
    recordStatus.textContent = recorded.length ? `${recorded.length} notes recorded: ${written(recorded)}` : 'Nothing recorded';
  }
});
// Another meter or tempo redraws the bar lines under the same notes, and changes what is sent.
for (const input of [meterSelect, tempoInput]) {
  input.addEventListener('input', () => {
    drawTake();
    if (take().length) recordStatus.textContent = `${take().length} notes: ${written(take())}`;
  });
}
$('clear-take').addEventListener('click', () => {
  setTake([], 'Cleared (undo brings it back)');
  recordStatus.textContent = '';
});
drawTake();

// ---- upload and samples --------------------------------------------------------------------
let upload: { kind: 'midi'; base64: string } | { kind: 'text'; text: string } | null = null;
$<HTMLInputElement>('melody-file').addEventListener('change', async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  const status = $('file-status');
  upload = null;
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isMidi = bytes[0] === 0x4d && bytes[1] === 0x54 && bytes[2] === 0x68 && bytes[3] === 0x64; // "MThd"
  if (isMidi) {
    upload = { kind: 'midi', base64: bytesToBase64(bytes) };
    try {
      const midi = new toneMidi.Midi(bytes);
      status.textContent = `${file.name}: MIDI, tracks ${midi.tracks.filter((t) => t.notes.length).map((t, i) => t.name || `#${i}`).join(', ')}`;
    } catch {
      status.textContent = `${file.name}: MIDI`;
    }
  } else {
    upload = { kind: 'text', text: new TextDecoder().decode(bytes) };
    status.textContent = `${file.name}: ${/^\s*X:/m.test(upload.text) ? 'ABC' : 'text'}, ${bytes.length} bytes`;
  }
});

const sampleSelect = $<HTMLSelectElement>('sample');
let samples: Sample[] = [];
sampleSelect.addEventListener('change', () => {
  $('sample-notation').textContent = samples.find((s) => s.id === sampleSelect.value)?.notation ?? '';
});
api.request(StudioSamplesDocument).then(
  (data) => {
    samples = data.sampleMelodies;
    sampleSelect.replaceChildren(...samples.map((s) => h('option', { value: s.id }, s.title)));
    sampleSelect.dispatchEvent(new Event('change'));
  },
  (error) => ($('sample-notation').textContent = `Samples could not be loaded: ${problem(error)}`),
);

// ---- models ---------------------------------------------------------------------------------
let models: Model[] = [];
let modelId = '';
const percent = (x: number): string => `${Math.round(x * 100)} %`;

function mean(tracks: unknown, field: string): number | null {
  if (!Array.isArray(tracks)) return null;
  const values = tracks.map((t) => (t as Record<string, unknown>)[field]).filter((v): v is number => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function metricsTable(metrics: unknown): HTMLElement | null {
  const m = metrics as { generated?: { tracks?: unknown }; real?: { tracks?: unknown }; evaluatedOn?: string } | null;
  if (!m?.generated || !m.real) return null;
  const rows: [string, string][] = [['inScaleRatio', 'in scale'], ['qualifiedNoteRate', 'notes ≥ a 32nd'], ['emptyBarRate', 'empty bars']];
  const body = rows
    .map(([field, label]) => [label, mean(m.generated?.tracks, field), mean(m.real?.tracks, field)] as const)
    .filter(([, g, r]) => g !== null && r !== null)
    .map(([label, g, r]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, percent(g!)), h('td', {}, percent(r!))));
  if (!body.length) return null;
  return h('table', { class: 'metrics' },
    h('caption', {}, m.evaluatedOn ? `Against real music: ${m.evaluatedOn}` : 'Against real music'),
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, 'model'), h('th', { scope: 'col' }, 'real'))),
    h('tbody', {}, ...body));
}

function renderModels(): void {
  const root = $('models');
  root.replaceChildren(...models.map((m) => {
    const radio = h('input', { type: 'radio', name: 'model', value: m.id, id: `model-${m.id}`, checked: m.id === modelId });
    radio.addEventListener('change', () => {
      modelId = m.id;
      for (const card of root.querySelectorAll('.card')) card.classList.toggle('selected', card.getAttribute('data-model') === m.id);
    });
    const accuracy = m.realOrGeneratedAccuracy;
    return h('label', { class: `card${m.id === modelId ? ' selected' : ''}`, 'data-model': m.id, for: `model-${m.id}` },
      h('span', { class: 'card-head' }, radio, h('strong', {}, m.name), h('span', { class: 'genre' }, m.genre)),
      h('span', { class: 'desc' }, m.description),
      h('ul', { class: 'chips', 'aria-label': 'Tracks' }, ...m.tracks.map((t, i) =>
        h('li', { style: `--c:${trackColor(i)}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), `${t.name}${t.role === 'melody' ? ' (your melody)' : ''}`))),
      h('span', { class: 'fact' }, `Licence of its data: ${m.license?.replace(/^trained on /, '') ?? 'not stated'}`),
      accuracy != null ? h('span', { class: 'fact' }, `Told from real music by a classifier ${percent(accuracy)} of the time (50 % = indistinguishable)`) : null,
      h('details', { class: 'more' },
        h('summary', {}, 'Training data and metrics'),
        h('p', { class: 'fact' }, `${m.trainingDataset}; ${m.trainingIterations.toLocaleString('en')} iterations.`),
        metricsTable(m.metrics)));
  }));
}
/** The models the key can compose with; the one chosen stays chosen. */
function loadModels(): Promise<void> {
  return api.request(StudioModelsDocument).then(
    (data) => {
      models = data.models;
      if (!models.some((m) => m.id === modelId)) modelId = models.find((m) => m.id === 'chorale')?.id ?? models[0]?.id ?? '';
      renderModels();
    },
    (error) => void ($('models').textContent = `Models could not be loaded: ${problem(error)}`),
  );
}
void loadModels();

const temperature = $<HTMLInputElement>('temperature');
temperature.addEventListener('input', () => ($('temperature-out').textContent = Number(temperature.value).toFixed(2)));
const density = $<HTMLInputElement>('density');
const densityText = (x: number): string => (x === 0 ? 'as trained' : `${x > 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}: ${x > 0 ? 'more' : 'fewer'} notes`);
density.addEventListener('input', () => ($('density-out').textContent = densityText(Number(density.value))));

// ---- compose ----------------------------------------------------------------------------------
const composeStatus = $('compose-status');
const composeError = $('compose-error');
const generate = $<HTMLButtonElement>('generate');

function showError(message: string | null): void {
  composeError.hidden = !message;
  composeError.textContent = message ?? '';
}

function melodyInput(): Partial<ComposeInput> {
  if (tab === 'play') {
    if (!take().length) throw new Error('Play and record a melody first (or choose Type, Upload or Sample).');
    return { notation: written(take()), tempo: tempo() };
  }
  if (tab === 'type') {
    const text = $<HTMLTextAreaElement>('melody-text').value.trim();
    if (!text) throw new Error('Type a melody first.');
    const kind = document.querySelector<HTMLInputElement>('input[name="text-kind"]:checked')?.value;
    return kind === 'abc' ? { abc: text } : { notation: text };
  }
  if (tab === 'upload') {
    if (!upload) throw new Error('Choose a MIDI or ABC file first.');
    if (upload.kind === 'midi') {
      const track = $<HTMLInputElement>('midi-track').value.trim();
      return { midiBase64: upload.base64, ...(track ? { midiTrack: track } : {}) };
    }
    return /^\s*X:/m.test(upload.text) || /^\s*K:/m.test(upload.text) ? { abc: upload.text } : { notation: upload.text };
  }
  if (!sampleSelect.value) throw new Error('No sample melodies were loaded.');
  return { sampleId: sampleSelect.value };
}

async function follow(id: string): Promise<StudioCompositionFragment> {
  let latest: StudioCompositionFragment | null = null;
  const finished = (c: StudioCompositionFragment | null): boolean => !!c && ['DONE', 'FAILED', 'CANCELLED'].includes(c.status);
  const sub = api.subscribe(StudioCompositionUpdatedDocument, { id }, (d) => {
    latest = d.compositionUpdated;
    composeStatus.textContent = `Composition ${id}: ${latest.status.toLowerCase()}…`;
  });
  try {
    await sub.done;
  } catch (error) {
    if (error instanceof ApiError && error.code !== 'NETWORK') throw error;
  }
  // The subscription ended or the live connection failed: poll until the job is over.
  for (let wait = 300; !finished(latest); wait = Math.min(2000, wait * 1.5)) {
    latest = (await api.request(StudioCompositionDocument, { id })).composition ?? null;
    if (!latest) throw new ApiError(`composition ${id} is gone`, 'NOT_FOUND');
    if (!finished(latest)) await new Promise((r) => setTimeout(r, wait));
  }
  return latest!;
}

/** The request each composition was made from, to compose it again with other chords or a new seed. */
const requests = new Map<string, ComposeInput>();

async function compose(input: ComposeInput): Promise<void> {
  showError(null);
  generate.disabled = true;
  recompose.disabled = true;
  anotherTake.disabled = true;
  composeStatus.textContent = 'Sending the melody…';
  try {
    const queued = (await api.request(StudioComposeDocument, { input })).compose;
    requests.set(queued.id, input);
    composeStatus.textContent = `Composition ${queued.id}: ${queued.status.toLowerCase()}…`;
    const done = await follow(queued.id);
    if (done.status !== 'DONE') {
      composeStatus.textContent = `Composition ${done.id}: ${done.status.toLowerCase()}`;
      showError(done.error ? `${done.error.message} (${done.error.code})` : `The composition ${done.status.toLowerCase()}.`);
      return;
    }
    composeStatus.textContent = `Composition ${done.id}: done, loading it…`;
    await showComposition(done);
    const time = current ? meterText(current.meter) : '4/4';
    const name = (id: string): string => models.find((m) => m.id === id)?.name ?? id;
    // A model whose bars do not fit the melody's meter hands it to one of its genre that fits (folk → folk-triple).
    const asked = input.modelId === undefined ? done.modelId : String(input.modelId);
    const handedOver = done.modelId !== asked ? ` (${name(asked)} does not compose in ${time}; ${name(done.modelId)}, of the same genre, does)` : '';
    composeStatus.textContent = `Composed with ${done.modelId}: ${done.bars} bars${time === '4/4' ? '' : ` of ${time}`} at ${Math.round(done.tempo)} bpm${done.key ? `, in ${done.key}` : ''}, seed ${done.seed}${handedOver}`;
  } catch (error) {
    composeStatus.textContent = '';
    showError(problem(error));
  } finally {
    generate.disabled = false;
    recompose.disabled = false;
    anotherTake.disabled = !composition;
  }
}

generate.addEventListener('click', () => {
  let input: ComposeInput;
  try {
    if (!modelId) throw new Error('No model to compose with.');
    const seed = $<HTMLInputElement>('seed').value.trim();
    const bars = $<HTMLInputElement>('bars').value.trim();
    input = {
      ...melodyInput(),
      modelId,
      variations: Math.min(8, Math.max(1, Number($<HTMLInputElement>('variations').value) || 1)),
      temperature: Number(temperature.value),
      ...(Number(density.value) !== 0 ? { density: Number(density.value) } : {}),
      ...(bars ? { bars } : {}),
      ...(seed ? { seed: Number(seed) } : {}),
    };
  } catch (error) {
    showError((error as Error).message);
    return;
  }
  void compose(input);
});

// ---- harmony ----------------------------------------------------------------------------------
const harmony = $<HTMLFieldSetElement>('harmony');
const harmonyKey = $<HTMLInputElement>('harmony-key');
const harmonyChords = $<HTMLTextAreaElement>('harmony-chords');
const recompose = $<HTMLButtonElement>('recompose');

/** The chords and key a composition followed, ready to edit; a model that follows no chords leaves the panel off. */
function showHarmony(c: StudioCompositionFragment): void {
  const follows = c.chords !== null && c.chords !== undefined;
  harmony.disabled = !follows;
  harmonyKey.value = c.key ?? '';
  harmonyChords.value = c.chords ?? '';
  const model = models.find((m) => m.id === c.modelId)?.name ?? c.modelId;
  $('harmony-source').textContent = !follows
    ? `${model} does not follow chords: it hears only the melody.`
    : c.chordSource === 'harmoniser'
      ? `In ${c.key ?? 'the key found'}, chords proposed by ${model}'s harmoniser for your melody: change any of them and compose again.`
      : `In ${c.key ?? 'the key found'}, the chords you gave${c.chordSource && c.chordSource !== 'given' ? ` (${c.chordSource})` : ''}.`;
}

recompose.addEventListener('click', () => {
  if (!composition) return;
  const base = requests.get(composition.id);
  if (!base) {
    showError('This composition was made elsewhere; compose it here first.');
    return;
  }
  const key = harmonyKey.value.trim();
  // The same melody, model and seed: only the harmony changes.
  const next: ComposeInput = { ...base, seed: composition.seed, chords: tidyChart(harmonyChords.value) };
  if (key) next.key = key;
  else delete next.key;
  void compose(next);
});

// ---- listen -----------------------------------------------------------------------------------
const roll = new PianoRoll($<HTMLCanvasElement>('roll'), 'Generate to see the arrangement here');
roll.set([], { tempo: 100 });
const playButton = $<HTMLButtonElement>('play');
const stopButton = $<HTMLButtonElement>('stop');
const anotherTake = $<HTMLButtonElement>('another-take');
const clock = $<HTMLOutputElement>('clock');
const player = new Player({
  status: (text) => ($('player-status').textContent = text),
  ended: () => stopped(),
  program: (channel, program, name) => {
    presets.set(channel, { program, name });
    showPresets();
  },
});
/** What the synthesizer really switched each channel to, mirrored on the tracks for tests and assistive tools. */
const presets = new Map<number, { program: number; name: string }>();
function showPresets(): void {
  for (const li of document.querySelectorAll<HTMLElement>('#tracks li')) {
    const now = presets.get(Number(li.dataset.channel));
    if (now) Object.assign(li.dataset, { synthProgram: String(now.program), synthPreset: now.name });
  }
}
/** Instruments chosen here, by track name: they follow the track from take to take. */
const programs = new Map<string, number>();
let midiBlobUrl: string | null = null;
let takes: Take[] = [];
/** Takes are numbered over the page's life. */
let takesMade = 0;
let current: Take | null = null;
let composition: StudioCompositionFragment | null = null;
let rollTracks: (TakeTrack & { solo: boolean; userMuted: boolean })[] = [];
let rollOptions: RollOptions = { tempo: 100 };
const takeList = new TakeList($('takes'), (id) => models.find((m) => m.id === id)?.name ?? id, {
  select: (take) => selectTake(take),
  play: (take) => {
    if (take !== current) selectTake(take);
    void play();
  },
  keep: (take, kept) => {
    take.kept = kept;
    takeList.render(takes, current?.id ?? null);
  },
});

function effectiveMutes(): boolean[] {
  const solo = rollTracks.some((t) => t.solo);
  return rollTracks.map((t) => t.userMuted || (solo && !t.solo));
}

function redrawTracks(): void {
  const mutes = effectiveMutes();
  rollTracks.forEach((t, i) => (t.muted = mutes[i]));
  roll.set(rollTracks, rollOptions);
  player.setMuted(mutes);
  $('tracks').replaceChildren(...rollTracks.map((t, i) => {
    const toggle = (label: string, pressed: boolean, flip: () => void): HTMLButtonElement => {
      const b = h('button', { type: 'button', class: 'toggle', 'aria-pressed': String(pressed), 'aria-label': `${label} ${t.name}` }, label);
      b.addEventListener('click', () => {
        flip();
        redrawTracks();
        (document.querySelector(`#tracks li:nth-child(${i + 1}) button[aria-label="${label} ${t.name}"]`) as HTMLElement | null)?.focus();
      });
      return b;
    };
    const instrument = t.isDrum
      ? h('span', { class: 'count' }, 'drum kit')
      : instrumentSelect(`Instrument of ${t.name}`, programs.get(t.name) ?? t.program);
    instrument.addEventListener('change', () => {
      const program = Number((instrument as HTMLSelectElement).value);
      if (program === t.program) programs.delete(t.name);
      else programs.set(t.name, program);
      player.setProgram(i, programs.get(t.name) ?? null);
      midiLink();
    });
    return h('li', { class: t.muted ? 'muted' : '', style: `--c:${t.color}`, 'data-track': t.name, 'data-channel': String(t.channel) },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }), h('span', { class: 'name' }, t.name), h('span', { class: 'count' }, `${t.notes.length} notes`),
      instrument,
      toggle('Mute', t.userMuted, () => (t.userMuted = !t.userMuted)),
      toggle('Solo', t.solo, () => (t.solo = !t.solo)));
  }));
  showPresets();
}

/** Shows a take in the big roll, the track list and the harmony panel, and makes it the one played and downloaded. */
function selectTake(take: Take): void {
  const before = new Map(rollTracks.map((t) => [t.name, t]));
  current = take;
  composition = take.composition;
  showHarmony(take.composition);
  rollOptions = take.options;
  // Mute and solo follow the track from take to take.
  rollTracks = take.tracks.map((t) => ({ ...t, notes: [...t.notes], solo: before.get(t.name)?.solo ?? false, userMuted: before.get(t.name)?.userMuted ?? false }));
  player.load(take.midi, rollTracks.map((t) => ({ midiTrack: t.midiTrack, channel: t.channel, notes: t.notes })), take.duration, take.options.start ?? 0);
  rollTracks.forEach((t, i) => {
    if (programs.has(t.name) && !t.isDrum) player.setProgram(i, programs.get(t.name)!);
  });
  stopped();
  redrawTracks();
  takeList.render(takes, take.id);
  midiLink();
  playButton.disabled = false;
  anotherTake.disabled = false;
  $<HTMLButtonElement>('download-audio').disabled = false;
  sharePanel.show(take, `${models.find((m) => m.id === take.composition.modelId)?.name ?? take.composition.modelId}, take ${take.number}`);
}

/** The MIDI download: the service's file, or the one played here when instruments were changed. */
function midiLink(): void {
  if (!current) return;
  const link = $<HTMLAnchorElement>('download-midi');
  if (midiBlobUrl) URL.revokeObjectURL(midiBlobUrl);
  midiBlobUrl = null;
  const changed = rollTracks.some((t) => programs.has(t.name) && !t.isDrum);
  const file = player.file();
  if (changed && file) midiBlobUrl = URL.createObjectURL(new Blob([file], { type: 'audio/midi' }));
  link.href = midiBlobUrl ?? current.url;
  link.download = `continuo-${current.composition.id}-${current.variation + 1}.mid`;
  link.title = changed ? 'With the instruments chosen here' : '';
  link.removeAttribute('aria-disabled');
}

/** The first bar a bar range composes ("17-48", "17-": 17; "8": 1), as the service reads it. */
function firstBarOf(bars: string | null | undefined): number {
  const m = /^\s*(\d+)\s*(-|–|\.\.)?/.exec(bars ?? '');
  return m && m[2] ? Number(m[1]) : 1;
}

/** A finished composition: each variation becomes a take beside the kept ones, and the first is shown. */
async function showComposition(c: StudioCompositionFragment): Promise<void> {
  const model = models.find((m) => m.id === c.modelId);
  const firstBar = firstBarOf(requests.get(c.id)?.bars);
  const fresh = await Promise.all(Array.from({ length: c.variations }, (_, v) => fetchTake(c, v, model, takesMade + v + 1, firstBar)));
  takesMade += fresh.length;
  takes = [...takes.filter((t) => t.kept), ...fresh];
  selectTake(fresh[0]);
  $('result').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

anotherTake.addEventListener('click', () => {
  const base = composition && requests.get(composition.id);
  if (!base) return;
  // The same request with a seed of the service's choosing.
  const next: ComposeInput = { ...base };
  delete next.seed;
  void compose(next);
});

const formatClock = (s: number): string => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
let frame = 0;
function stopped(): void {
  cancelAnimationFrame(frame);
  playButton.disabled = !composition;
  stopButton.disabled = true;
  roll.setPlayhead(null);
  clock.value = formatClock(0);
}
async function animate(): Promise<void> {
  if (!player.playing) return;
  const t = await player.position();
  if (!player.playing) return;
  roll.setPlayhead(t);
  clock.value = formatClock(t);
  document.body.dataset.audio = existingAudioContext()?.state ?? '';
  frame = requestAnimationFrame(() => void animate());
}
async function play(focusStop = false): Promise<void> {
  playButton.disabled = true;
  try {
    await player.play();
    stopButton.disabled = false;
    document.body.dataset.audio = existingAudioContext()?.state ?? '';
    document.body.dataset.synth = player.kind ?? '';
    if (focusStop) stopButton.focus();
    void animate();
  } catch (error) {
    playButton.disabled = false;
    $('player-status').textContent = `Cannot play: ${problem(error)}`;
  }
}
playButton.addEventListener('click', () => void play(true));
stopButton.addEventListener('click', () => {
  player.stop();
  stopped();
  playButton.focus();
});

$('download-audio').addEventListener('click', async () => {
  if (!composition) return;
  const status = $('download-status');
  const format = $<HTMLSelectElement>('audio-format').value as AudioFormat;
  status.textContent = `Rendering ${format}…`;
  try {
    const variation = current?.variation ?? 0;
    const audio = (await api.request(StudioAudioDocument, { id: composition.id, format, variation })).composition?.audio;
    if (!audio) throw new Error('the composition is gone');
    const a = h('a', { href: audio.url, download: `continuo-${composition.id}.${audio.format}` });
    document.body.append(a);
    a.click();
    a.remove();
    const changed = rollTracks.some((t) => programs.has(t.name) && !t.isDrum);
    status.textContent = `${format}: ${(audio.bytes / 1e6).toFixed(1)} MB${audio.durationSeconds ? `, ${audio.durationSeconds.toFixed(1)} s` : ''} (variation ${variation + 1})${changed ? ', with the instruments as composed' : ''}`;
  } catch (error) {
    status.textContent = problem(error);
  }
});

const sharePanel = new SharePanel(api, problem);
void sharePanel.init();

// ---- training: its script comes when the panel is first opened --------------------------------
const trainingPanel = $<HTMLDetailsElement>('training');
let trainingLoaded = false;
trainingPanel.addEventListener('toggle', () => {
  if (!trainingPanel.open || trainingLoaded) return;
  trainingLoaded = true;
  import('./training').then(
    // A model trained here gets its card at once.
    ({ setupTraining }) => setupTraining(api, problem, () => void loadModels()),
    (error: unknown) => {
      trainingLoaded = false;
      const box = $('train-error');
      box.hidden = false;
      box.textContent = `The training panel could not be loaded: ${problem(error)}; close and open it again.`;
    },
  );
});

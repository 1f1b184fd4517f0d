import type { Api } from './api';
import { bytesToBase64 } from './base64';
import { $, h } from './dom';
import {
  StudioTrainingSetPreviewDocument, StudioTrainingSetsDocument, StudioUploadTrainingFilesDocument,
  type StudioTrainingSetPreviewQuery,
} from './generated/graphql';
import { FIRST_LOOK, guessMapping, MAX_ACCOMPANIMENT, trackChoices, type TrackChoice, type TrackMapping } from './training-mapping';

type Preview = StudioTrainingSetPreviewQuery['trainingSetPreview'];
type PreviewFile = Preview['files'][number];

/** Raw bytes per upload request: as base64 in JSON they stay under the service's default request size (2 MiB). */
const BATCH_BYTES = 1_000_000;

const size = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);
const SPLITS: Record<string, string> = { train: 'training', valid: 'validation', test: 'test' };

/** Files in requests of at most BATCH_BYTES each (a larger file goes alone, for the service to judge). */
function batches<T extends { bytes: number }>(files: readonly T[]): T[][] {
  const out: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const f of files) {
    if (batch.length && bytes + f.bytes > BATCH_BYTES) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(f);
    bytes += f.bytes;
  }
  if (batch.length) out.push(batch);
  return out;
}

/**
 * The user's MIDI files as a training set: chosen in the browser, uploaded into a named set, and read
 * back as training would read them with the tracks the user gives each role (`trainingSetPreview`):
 * every file's tracks and their roles, its split and windows, the files left out and why, and what
 * training would lack.
 */
export class TrainingSetPicker {
  private set: string | null = null;
  private choices: TrackChoice[] = [];
  private chosen: TrackMapping | null = null;
  private preview: Preview | null = null;
  /** Answers to older previews are dropped when a newer one was asked for. */
  private asked = 0;
  private readonly name = $<HTMLInputElement>('train-set');
  private readonly files = $<HTMLInputElement>('train-files');
  private readonly status = $('train-upload-status');
  private readonly mappingBox = $<HTMLFieldSetElement>('train-mapping');
  private readonly melody = $<HTMLSelectElement>('train-melody');
  private readonly accompaniment = $('train-accompaniment');
  private readonly view = $('train-preview');

  constructor(private readonly api: Api, private readonly problem: (e: unknown) => string) {
    $('train-upload').addEventListener('click', () => void this.upload());
    $('train-show').addEventListener('click', () => void this.open(this.name.value.trim()));
    this.melody.addEventListener('change', () => this.mappingChanged());
  }

  /** The caller's sets, offered as names to type. */
  async init(): Promise<void> {
    try {
      const sets = (await this.api.request(StudioTrainingSetsDocument)).trainingSets;
      $('train-sets').replaceChildren(...sets.map((s) => h('option', { value: s.name }, `${s.fileCount} files, ${size(s.bytes)}`)));
    } catch {
      // Without a key or a set nothing is offered; uploading says what is wrong.
    }
  }

  /** The set and mapping to train on, once a preview says training would have windows. */
  selection(): { set: string; mapping: TrackMapping } | null {
    if (!this.set || !this.chosen || !this.preview || this.preview.windows.train === 0) return null;
    return { set: this.set, mapping: this.chosen };
  }

  /** Why there is nothing to train on yet, for the user. */
  missing(): string {
    if (!this.set) return 'Upload MIDI files into a training set, or show one uploaded before, first.';
    if (!this.chosen) return 'Choose the melody track and at least one accompaniment track first.';
    return 'With these tracks, no file gives a window to train on: choose other tracks or add files.';
  }

  private say(text: string, error = false): void {
    this.status.textContent = text;
    this.status.className = error ? 'error-text' : '';
  }

  private async upload(): Promise<void> {
    const set = this.name.value.trim();
    const chosen = [...(this.files.files ?? [])];
    if (!set) return this.say('Name the training set first (e.g. my-songs).', true);
    if (!chosen.length) return this.say('Choose one or more MIDI files first.', true);
    const button = $<HTMLButtonElement>('train-upload');
    button.disabled = true;
    try {
      const files = await Promise.all(chosen.map(async (f) => ({ name: f.name, bytes: f.size, data: new Uint8Array(await f.arrayBuffer()) })));
      let held = { fileCount: 0, bytes: 0 };
      let sent = 0;
      for (const batch of batches(files)) {
        this.say(`Uploading ${files.length} file${files.length === 1 ? '' : 's'} into '${set}'… ${sent} sent`);
        held = (await this.api.request(StudioUploadTrainingFilesDocument, {
          input: { set, files: batch.map((f) => ({ name: f.name, midiBase64: bytesToBase64(f.data) })) },
        })).uploadTrainingFiles;
        sent += batch.length;
      }
      this.say(`Uploaded ${files.length} file${files.length === 1 ? '' : 's'} into '${set}': it holds ${held.fileCount} file${held.fileCount === 1 ? '' : 's'}, ${size(held.bytes)}.`);
      this.files.value = '';
      void this.init();
      await this.open(set);
    } catch (error) {
      this.say(this.problem(error), true);
    } finally {
      button.disabled = false;
    }
  }

  /** Reads a set: its tracks first (to offer them), then the preview with the tracks guessed for each role. */
  private async open(set: string): Promise<void> {
    if (!set) return this.say('Name the training set to show.', true);
    const ask = ++this.asked;
    try {
      const first = await this.request(set, FIRST_LOOK);
      if (ask !== this.asked) return;
      this.set = set;
      this.preview = first;
      this.choices = trackChoices(first.files);
      this.chosen = guessMapping(this.choices);
      this.renderChoices();
      if (this.chosen) await this.refresh();
      else this.view.replaceChildren(h('p', { class: 'error' }, `The files of '${set}' have ${this.choices.length ? 'one track' : 'no track'} between them: training needs a melody track and at least one accompaniment track.`));
    } catch (error) {
      if (ask !== this.asked) return;
      this.set = null;
      this.preview = null;
      this.mappingBox.hidden = true;
      this.view.replaceChildren();
      this.say(this.problem(error), true);
    }
  }

  private request(set: string, mapping: TrackMapping): Promise<Preview> {
    return this.api.request(StudioTrainingSetPreviewDocument, { set, mapping: { melody: mapping.melody, accompaniment: [...mapping.accompaniment] } }).then((d) => d.trainingSetPreview);
  }

  private async refresh(): Promise<void> {
    if (!this.set || !this.chosen) return;
    const ask = ++this.asked;
    this.view.setAttribute('aria-busy', 'true');
    try {
      const preview = await this.request(this.set, this.chosen);
      if (ask !== this.asked) return;
      this.preview = preview;
      this.render(preview);
    } catch (error) {
      if (ask !== this.asked) return;
      this.preview = null;
      this.view.replaceChildren(h('p', { class: 'error' }, this.problem(error)));
    } finally {
      if (ask === this.asked) this.view.removeAttribute('aria-busy');
    }
  }

  private renderChoices(): void {
    this.mappingBox.hidden = this.choices.length === 0;
    const chosen = this.chosen;
    this.melody.replaceChildren(...this.choices.map((c) => h('option', { value: c.ref, selected: c.ref === chosen?.melody }, this.label(c))));
    this.accompaniment.replaceChildren(...this.choices.map((c) => {
      const box = h('input', { type: 'checkbox', value: c.ref, checked: !!chosen?.accompaniment.includes(c.ref), disabled: c.ref === chosen?.melody });
      box.addEventListener('change', () => this.mappingChanged());
      return h('label', { 'data-track': c.ref }, box, ` ${this.label(c)}`);
    }));
  }

  private label(c: TrackChoice): string {
    const files = this.preview?.files.length ?? 0;
    return `${c.label}${c.drums ? ' (drums)' : ''}${files > 1 && c.files < files ? ` (in ${c.files} files)` : ''}`;
  }

  /** The user chose other tracks: the melody's track cannot be accompaniment too; the preview follows. */
  private mappingChanged(): void {
    const melody = this.melody.value;
    const boxes = [...this.accompaniment.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    for (const box of boxes) {
      box.disabled = box.value === melody;
      if (box.disabled) box.checked = false;
    }
    const accompaniment = boxes.filter((b) => b.checked).map((b) => b.value);
    if (accompaniment.length === 0 || accompaniment.length > MAX_ACCOMPANIMENT) {
      this.chosen = null;
      this.preview = null;
      this.view.replaceChildren(h('p', { class: 'hint' }, `Choose 1 to ${MAX_ACCOMPANIMENT} accompaniment tracks besides the melody.`));
      return;
    }
    this.chosen = { melody, accompaniment };
    void this.refresh();
  }

  private render(p: Preview): void {
    const w = p.windows;
    this.view.dataset.used = String(p.usedFiles);
    this.view.dataset.skipped = String(p.skippedFiles);
    this.view.dataset.windows = JSON.stringify(w);
    const summary = h('p', { class: 'summary' },
      h('strong', {}, `${p.usedFiles} of ${p.files.length} file${p.files.length === 1 ? '' : 's'} used`),
      ` from '${p.set}': ${w.train} windows to train on, ${w.valid} to measure the similarity index on, ${w.test} to test with.`,
      p.skippedFiles ? ` ${p.skippedFiles} left out (see why below).` : '');
    const warnings = p.warnings.length ? h('ul', { class: 'warnings', 'aria-label': 'What training would lack' }, ...p.warnings.map((text) => h('li', {}, text))) : null;
    const head = h('thead', {}, h('tr', {}, ...['File', 'Meter', 'Tracks and their roles', 'Split', 'Windows', 'Left out because'].map((t) => h('th', { scope: 'col' }, t))));
    const table = h('table', { 'aria-label': `Files of the training set ${p.set}` }, head, h('tbody', {}, ...p.files.map((f) => this.row(f))));
    this.view.replaceChildren(summary, ...(warnings ? [warnings] : []), table);
  }

  private row(f: PreviewFile): HTMLElement {
    const tracks = f.tracks.map((t, i) => h('span', { class: `role-${t.role ?? 'none'}`, title: `${t.notes} notes, channel ${t.channel + 1}` },
      `${i ? ', ' : ''}${t.name || `track ${t.index}`}: ${t.role ?? 'left out'}`));
    return h('tr', { 'data-file': f.name, 'data-used': String(f.used), class: f.used ? '' : 'skipped' },
      h('td', {}, f.name),
      h('td', {}, f.timeSignature ?? '—'),
      h('td', {}, ...(tracks.length ? tracks : ['no tracks read'])),
      h('td', {}, f.split ? SPLITS[f.split] ?? f.split : '—'),
      h('td', {}, String(f.windows)),
      h('td', { class: f.skipped ? 'why' : '' }, f.skipped ? `${f.skipped}${f.detail ? ` (${f.detail})` : ''}` : ''));
  }
}


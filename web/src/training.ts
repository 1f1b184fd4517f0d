import { ApiError, type Api } from './api';
import { $, h } from './dom';
import {
  StudioCancelTrainingDocument, StudioTrainDocument, StudioTrainingJobDocument, StudioTrainingProgressDocument, StudioTrainingSamplesDocument,
  type StudioTrainingSamplesQuery, type TrainModelInput,
} from './generated/graphql';
import { drawTrainingChart, type TrainingPoint } from './training-chart';
import { TrainingSetPicker } from './training-set';

type Sample = NonNullable<StudioTrainingSamplesQuery['trainingJob']>['samples'][number];

/** `{ [field]: n }` when the number field holds a value, else nothing (the server's default). */
function optionalInt<K extends string>(id: string, field: K): Partial<Record<K, number>> {
  const value = $<HTMLInputElement>(id).value.trim();
  return value ? ({ [field]: Math.round(Number(value)) } as Partial<Record<K, number>>) : {};
}

const seconds = (ms: number): string => (ms >= 90_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(1, Math.round(ms / 1000))} s`);

/**
 * The samples of a run, newest first, each to listen to as the server rendered it (mp3, with the
 * studio's sound bank) or to download as MIDI. Samples are only ever added, so one playing is never
 * interrupted by the next.
 */
class SampleList {
  private readonly shown = new Set<string>();
  private readonly list = $('train-samples');

  clear(): void {
    this.shown.clear();
    this.list.replaceChildren();
    $('train-samples-empty').hidden = false;
  }

  add(samples: readonly Sample[]): void {
    const fresh = samples.filter((s) => !this.shown.has(`${s.iteration}:${s.index}`));
    // Newest iteration on top, its melodies in order: later iterations are prepended last.
    fresh.sort((a, b) => a.iteration - b.iteration || b.index - a.index);
    for (const s of fresh) {
      this.shown.add(`${s.iteration}:${s.index}`);
      const label = `Sample at iteration ${s.iteration}, melody ${s.index + 1}`;
      const audio = s.audioUrl
        ? h('audio', { controls: true, preload: 'metadata', src: s.audioUrl, 'aria-label': label })
        : h('span', { class: 'meta' }, 'no audio (it could not be rendered): download the MIDI');
      this.list.prepend(h('li', { 'data-iteration': String(s.iteration), 'data-index': String(s.index) },
        h('strong', {}, `Iteration ${s.iteration}`),
        h('span', { class: 'meta' }, `melody ${s.index + 1}${s.durationSeconds ? ` · ${s.durationSeconds.toFixed(1)} s` : ''}`),
        h('a', { href: s.midiUrl, download: `sample-${s.iteration}-${s.index + 1}.mid`, 'aria-label': `MIDI of the ${label.toLowerCase()}` }, 'MIDI'),
        audio));
    }
    $('train-samples-empty').hidden = this.shown.size > 0;
  }
}

/**
 * The training panel: a run on the user's own MIDI files (uploaded into a set, with the tracks of each
 * role chosen on its preview) or on a data set of the server; its losses and similarity index from
 * `trainingProgress` as a live chart; the sample compositions as they are kept; cancel.
 */
export function setupTraining(api: Api, problem: (e: unknown) => string, trained: (modelId: string) => void): void {
  const panel = $<HTMLFieldSetElement>('train-panel');
  const form = $<HTMLFormElement>('train-form');
  const status = $('train-status');
  const errorBox = $('train-error');
  const cancel = $<HTMLButtonElement>('train-cancel');
  const canvas = $<HTMLCanvasElement>('train-chart');
  const similarity = $<HTMLOutputElement>('train-similarity');
  const picker = new TrainingSetPicker(api, problem);
  const samples = new SampleList();
  let jobId: string | null = null;
  let points: TrainingPoint[] = [];
  let iterations = 1;
  const redraw = (): void => drawTrainingChart(canvas, points, iterations);
  new ResizeObserver(redraw).observe(canvas);
  redraw();
  void picker.init();

  const source = (): 'files' | 'server' => ($<HTMLInputElement>('train-source-server').checked ? 'server' : 'files');
  const showSource = (): void => {
    $('train-files-pane').hidden = source() !== 'files';
    $('train-server-pane').hidden = source() !== 'server';
  };
  for (const id of ['train-source-files', 'train-source-server']) $(id).addEventListener('change', showSource);
  showSource();

  const fail = (message: string | null): void => {
    errorBox.hidden = !message;
    errorBox.textContent = message ?? '';
  };

  /** The samples kept so far, asked for at most every 800 ms while the run goes on. */
  let samplesTimer = 0;
  const loadSamples = async (id: string): Promise<void> => {
    try {
      const job = (await api.request(StudioTrainingSamplesDocument, { id })).trainingJob;
      if (job && id === jobId) samples.add(job.samples);
    } catch {
      // The next progress event asks again.
    }
  };
  const soonSamples = (id: string): void => {
    if (samplesTimer) return;
    samplesTimer = window.setTimeout(() => {
      samplesTimer = 0;
      void loadSamples(id);
    }, 800);
  };

  const showSimilarity = (): void => {
    const measured = points.filter((p) => typeof p.similarity === 'number');
    const last = measured[measured.length - 1];
    if (!last) {
      similarity.value = '';
      return;
    }
    const best = measured.reduce((a, b) => (b.similarity! > a.similarity! ? b : a));
    similarity.value = `Similarity index ${last.similarity!.toFixed(3)} at iteration ${last.iteration}${best !== last ? ` (best ${best.similarity!.toFixed(3)} at ${best.iteration})` : ''}: 1 would be the real music's profile`;
  };

  /** The training input for the data chosen, or a message saying what is missing. */
  const dataInput = (): Pick<TrainModelInput, 'dataset' | 'trainingSet' | 'mapping'> | string => {
    if (source() === 'server') {
      const dataset = $<HTMLInputElement>('train-dataset').value.trim();
      return dataset ? { dataset } : 'Name a data set of the server (e.g. jsb:chorales.json).';
    }
    const chosen = picker.selection();
    return chosen ? { trainingSet: chosen.set, mapping: { melody: chosen.mapping.melody, accompaniment: [...chosen.mapping.accompaniment] } } : picker.missing();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fail(null);
    const data = dataInput();
    if (typeof data === 'string') {
      fail(data);
      return;
    }
    iterations = Number($<HTMLInputElement>('train-iterations').value) || 200;
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    submit.disabled = true;
    points = [];
    samples.clear();
    redraw();
    showSimilarity();
    try {
      const job = (await api.request(StudioTrainDocument, {
        input: {
          ...data,
          modelId: $<HTMLInputElement>('train-model').value.trim(),
          iterations,
          ...optionalInt('train-batch', 'batchSize'),
          ...optionalInt('train-filters', 'filters'),
          ...optionalInt('train-eval', 'evalEvery'),
          ...optionalInt('train-sample-every', 'sampleEvery'),
        },
      })).trainModel;
      jobId = job.id;
      cancel.disabled = false;
      status.textContent = `Training job ${job.id}: ${job.status.toLowerCase()}`;
      const sub = api.subscribe(StudioTrainingProgressDocument, { jobId: job.id }, ({ trainingProgress: p }) => {
        if (typeof p.iteration === 'number') {
          iterations = p.iterations ?? iterations;
          points.push({ iteration: p.iteration, critic: p.criticLoss, generator: p.generatorLoss, similarity: p.similarity });
          redraw();
          showSimilarity();
          soonSamples(job.id);
        }
        const eta = p.status === 'RUNNING' && p.etaMs ? `, about ${seconds(p.etaMs)} left` : '';
        status.textContent = `Training job ${job.id}: ${p.status.toLowerCase()}${p.iteration != null ? `, iteration ${p.iteration} of ${p.iterations ?? iterations}` : ''}${eta}${p.converged ? ': the similarity index stopped rising, so the model has converged' : ''}`;
      });
      try {
        await sub.done;
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'NETWORK') throw error;
      }
      window.clearTimeout(samplesTimer);
      samplesTimer = 0;
      // The last samples are kept as the job ends.
      await loadSamples(job.id);
      const final = (await api.request(StudioTrainingJobDocument, { id: job.id })).trainingJob;
      if (final) {
        status.textContent = `Training job ${final.id}: ${final.status.toLowerCase()}${final.status === 'DONE' ? ` — model ${final.modelId} is ready to compose with: its card is above` : ''}`;
        if (final.error) fail(`${final.error.message} (${final.error.code})`);
        if (final.status === 'DONE') trained(final.modelId);
      }
    } catch (error) {
      fail(problem(error));
    } finally {
      submit.disabled = false;
      cancel.disabled = true;
    }
  });

  cancel.addEventListener('click', async () => {
    if (!jobId) return;
    cancel.disabled = true;
    try {
      await api.request(StudioCancelTrainingDocument, { id: jobId });
    } catch (error) {
      fail(problem(error));
      cancel.disabled = false;
    }
  });

  panel.disabled = false;
}

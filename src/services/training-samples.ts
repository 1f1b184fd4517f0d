import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { Renderer } from '../render/renderer.js';
import type { Store } from '../store/ports.js';
import type { StoredFile, TrainingSampleRecord } from '../store/records.js';

/** How the trainer names a sample: `iter-<iteration, 6 digits>-<melody>.mid` (src/training/trainer.ts). */
const SAMPLE_FILE = /^iter-(\d+)-(\d+)\.mid$/;

/** The name a kept sample goes by in its URL (for people: the file id is what counts). */
export function sampleFilename(jobId: string, sample: Pick<TrainingSampleRecord, 'iteration' | 'index'>, format: string): string {
  return `training-${jobId}-iteration-${sample.iteration}-${sample.index + 1}.${format === 'midi' ? 'mid' : format}`;
}

const keyOf = (s: Pick<TrainingSampleRecord, 'iteration' | 'index'>) => `${s.iteration}:${s.index}`;

/**
 * Keeps the sample compositions a training run writes into its folder: each MIDI file and its audio
 * (mp3, which every browser plays) go to the file storage, and the job's record lists them, so that a
 * client can listen as the model learns, from whichever server it asks. The trainer writes a sample
 * iteration's files after reporting that iteration, so a sweep takes only iterations before the one
 * just reported (their files are whole), and the last sweep, once the run has stopped, takes the rest.
 * Sweeps run one after another; a sample kept before a restart is not kept again.
 */
export class TrainingSamples {
  private readonly kept: Set<string>;
  private sweeping: Promise<void> = Promise.resolve();
  /** The sweep queued behind the running one, and how far it goes. */
  private waiting: { before: number } | undefined;
  private stopped = false;

  constructor(
    private readonly o: {
      readonly store: Store;
      readonly renderer: Renderer;
      readonly jobId: string;
      /** The run's samples/ folder. */
      readonly dir: string;
      /** What the audio's metadata calls the run. */
      readonly title: string;
      readonly log: Logger;
      readonly alreadyKept?: readonly TrainingSampleRecord[];
    },
  ) {
    this.kept = new Set((o.alreadyKept ?? []).map(keyOf));
  }

  /**
   * Ends sweeping after the file in hand (a process closing must not wait for renders): what is left
   * stays in the run's folder, for the run that resumes it.
   */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Keeps the samples of iterations before `iteration` (Infinity: all) that are not kept yet. Calls
   * while a sweep waits to start join it (rendering may be slower than a small model's iterations).
   */
  keepBefore(iteration: number): Promise<void> {
    if (this.waiting) {
      this.waiting.before = Math.max(this.waiting.before, iteration);
      return this.sweeping;
    }
    const waiting = { before: iteration };
    this.waiting = waiting;
    this.sweeping = this.sweeping
      .then(() => {
        this.waiting = undefined;
        return this.sweep(waiting.before);
      })
      .catch((err: unknown) => this.o.log.warn({ err }, 'training samples could not be kept'));
    return this.sweeping;
  }

  private async sweep(before: number): Promise<void> {
    const names = await readdir(this.o.dir).catch(() => [] as string[]);
    const fresh = names
      .flatMap((name) => {
        const m = SAMPLE_FILE.exec(name);
        return m ? [{ name, iteration: Number(m[1]), index: Number(m[2]) }] : [];
      })
      .filter((s) => s.iteration < before && !this.kept.has(keyOf(s)))
      .sort((a, b) => a.iteration - b.iteration || a.index - b.index);
    if (fresh.length === 0 || this.stopped) return;
    const added: TrainingSampleRecord[] = [];
    for (const sample of fresh) {
      if (this.stopped) break;
      const data = new Uint8Array(await readFile(join(this.o.dir, sample.name)));
      const midi = await this.put(data, sampleFilename(this.o.jobId, sample, 'midi'), 'midi', 'audio/midi');
      const audio = await this.audioOf(data, sample);
      added.push({ iteration: sample.iteration, index: sample.index, midi, ...(audio ? { audio } : {}) });
    }
    if (added.length === 0) return;
    // Only this run writes the list, one sweep at a time: reading it back and appending loses nothing.
    const job = await this.o.store.jobs.get(this.o.jobId);
    await this.o.store.jobs.update(this.o.jobId, { samples: [...(job?.samples ?? []), ...added] });
    for (const sample of added) this.kept.add(keyOf(sample));
  }

  private async audioOf(data: Uint8Array, sample: { iteration: number; index: number }): Promise<StoredFile | undefined> {
    const started = Date.now();
    try {
      const audio = await this.o.renderer.renderAudio(data, 'mp3', { title: `${this.o.title}, iteration ${sample.iteration}` });
      const file = await this.put(audio.data, sampleFilename(this.o.jobId, sample, 'mp3'), 'mp3', audio.contentType);
      this.o.log.debug({ iteration: sample.iteration, index: sample.index, ms: Date.now() - started }, 'training sample rendered');
      return { ...file, durationSeconds: audio.durationSeconds };
    } catch (err) {
      // A sample that cannot be heard can still be downloaded.
      this.o.log.warn({ err, iteration: sample.iteration, index: sample.index }, 'a training sample could not be rendered; its MIDI is kept');
      return undefined;
    }
  }

  private async put(data: Uint8Array, filename: string, format: string, contentType: string): Promise<StoredFile> {
    const info = await this.o.store.files.put(data, { filename, contentType });
    return { fileId: info.id, format, contentType: info.contentType, bytes: info.bytes };
  }
}

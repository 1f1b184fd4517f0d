/**
 * What Continuo keeps: plain JSON-able records (dates as ISO strings), so that every adapter stores
 * them as they are. Ids are opaque strings made by the store.
 */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RecordError {
  readonly code: string;
  readonly message: string;
}

export interface StoredFile {
  /** File storage id. */
  readonly fileId: string;
  /** midi | mp3 | ogg | wav | flac | png | svg … */
  readonly format: string;
  readonly contentType: string;
  readonly bytes: number;
  /** Which variation of the composition (0-based); absent for files of the whole composition. */
  readonly variation?: number;
  /** Length of audio files. */
  readonly durationSeconds?: number;
}

export interface CompositionRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly status: JobStatus;
  readonly modelId: string;
  readonly seed: number;
  readonly variations: number;
  readonly keepMelody: boolean;
  readonly threshold?: number;
  readonly density?: number;
  readonly temperature?: number;
  readonly tempo: number;
  /** How the melody came in: midi | notation | abc | sample, and a short description. */
  readonly input: { readonly kind: string; readonly summary: string };
  /**
   * The parsed melody (src/music Melody), kept so that a composition can be made again; with the
   * chords and key to follow (the request's, else those written in the melody).
   */
  readonly melody: unknown;
  /** Once composed: the key the music was taken to be in (`G`, `Em`). Absent on older records. */
  readonly key?: string;
  /**
   * Once composed: the chords accompanied, by bar (`C | F G7 | C`, src/music/chord-bars.ts), and where
   * they came from. Absent for models that do not follow chords, and on older records.
   */
  readonly chords?: string;
  readonly chordSource?: 'given' | 'harmoniser';
  readonly bars: number;
  /** Requested audio formats (rendered when rendering exists). */
  readonly formats: readonly string[];
  readonly files: readonly StoredFile[];
  /** Publish automatically once composed. */
  readonly publish?: {
    readonly target: ShareTarget;
    readonly title: string;
    readonly description: string;
    readonly visibility: 'PUBLIC' | 'PRIVATE';
    readonly webhookUrl?: string;
    /** 0-based; absent on older records, which published the first. */
    readonly variation?: number;
  };
  readonly error?: RecordError;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type JobType = 'compose' | 'share' | 'train';

/** A sample composition a training run wrote (src/training/trainer.ts), kept as MIDI and as audio. */
export interface TrainingSampleRecord {
  readonly iteration: number;
  /** Which of the evaluation melodies it accompanies (0-based). */
  readonly index: number;
  readonly midi: StoredFile;
  /** Absent when the audio could not be rendered (the MIDI is kept all the same). */
  readonly audio?: StoredFile;
}

export interface JobRecord {
  readonly id: string;
  readonly type: JobType;
  readonly ownerId: string;
  readonly status: JobStatus;
  /** 0…1 */
  readonly progress: number;
  /** What the job works on (composition id, training spec…). */
  readonly payload: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: RecordError;
  /** Training jobs: the sample compositions kept so far, oldest first. */
  readonly samples?: readonly TrainingSampleRecord[];
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  /** SHA-256 of the secret, hex; the secret itself is never stored. */
  readonly secretHash: string;
  /** First characters of the secret, to tell keys apart in listings. */
  readonly prefix: string;
  /** Composition jobs allowed per quota period (null = unlimited). */
  readonly quota: number | null;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export type ShareTarget = 'SOUNDCLOUD' | 'DISCORD';

export interface ShareRecord {
  readonly id: string;
  readonly compositionId: string;
  readonly ownerId: string;
  readonly target: ShareTarget;
  readonly title: string;
  readonly description: string;
  readonly visibility: 'PUBLIC' | 'PRIVATE';
  /** Which variation of the composition is published (0-based); absent on older records, which published the first. */
  readonly variation?: number;
  /** Discord channel webhook to post to (a credential: never returned by the API). */
  readonly webhookUrl?: string;
  readonly status: JobStatus;
  /** Where it landed (track URN and permalink, message URL…). */
  readonly result?: Record<string, unknown>;
  readonly error?: RecordError;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Stereo audio: mp3, wav and flac at 44.1 kHz; ogg is Opus, which runs at 48 kHz */
export type AudioFormat =
  /** FLAC, 16-bit lossless, 44.1 kHz */
  | 'FLAC'
  /** MP3, 192 kb/s constant bit rate, 44.1 kHz */
  | 'MP3'
  /** Opus in an Ogg container, 128 kb/s, 48 kHz (the rate Opus codes at) */
  | 'OGG'
  /** WAV, 16-bit PCM, 44.1 kHz */
  | 'WAV';

/** Exactly one melody source, a model and options */
export type ComposeInput = {
  /** ABC notation */
  abc?: string | null | undefined;
  /** Which bars of a long melody to compose, counted from 1: "17-48", "17-" (from bar 17 on, up to 32 bars), "8" (the first 8). Default: the whole melody (up to 32 bars). The MIDI files keep the bars where they were (and a MIDI file's tempo changes), so that they line up with the source; audio and pictures start at the first bar composed. `chords` counts bars from the first bar composed. */
  bars?: string | null | undefined;
  /** Chords to accompany, bar by bar from the melody's first bar (the bar of a pickup): "C | F G7 | Am . Dm G7 | C". `|` separates bars; the symbols of a bar share it equally (in 4/4 `F G7` is two beats each; 1, 2, 4, 8 or 16 symbols per 4/4 bar, 1, 2, 3, 4, 6 or 12 per 3/4 or 6/8 bar); `.` holds the chord before for its share; `N.C.` is no chord; the last chord holds to the end. Symbols: C, Am, G7, F#m7, Bbmaj7, Bdim, Bm7b5, Dsus4, Caug, Bb/D. Replaces chord symbols written in the melody (empty: none, so a chord-following model proposes its own). Models that do not follow chords compose without them. A composition's `chords` has the same form: edit it and send it back. */
  chords?: string | null | undefined;
  /** More (up to 1) or fewer (down to −1) notes than the model was calibrated to write (0), in every part relative to its calibration */
  density?: number | null | undefined;
  /** Formats to make in the job besides MIDI: mp3, ogg, wav, flac (audio), png, svg (piano roll) */
  formats?: Array<string> | null | undefined;
  /** Keep the melody as the lead (default true) */
  keepMelody?: boolean | null | undefined;
  /** The melody's key, e.g. "G", "F#m", "Bb minor"; default: the one written with the melody (ABC K:, notation key=), else estimated from the notes */
  key?: string | null | undefined;
  /** A Standard MIDI File, base64 */
  midiBase64?: string | null | undefined;
  /** MIDI track holding the melody: its name or index */
  midiTrack?: string | null | undefined;
  /** The model; when its meter does not fit the melody's, a model of the same genre that fits is used (the composition's modelId says which) */
  modelId?: string | number;
  /** Note-list notation, e.g. "C4 D4 E4/2 | G4/1" */
  notation?: string | null | undefined;
  /** Automated publishing: share once composed */
  publish?: PublishInput | null | undefined;
  /** A sample melody id (see sampleMelodies) */
  sampleId?: string | number | null | undefined;
  /** Same seed, melody and model ⇒ same music */
  seed?: number | null | undefined;
  /** Noise scale 0…2 */
  temperature?: number | null | undefined;
  /** Quarter notes per minute, 20–400 */
  tempo?: number | null | undefined;
  /** One note threshold −1…1 for every part, replacing the per-part levels the model was calibrated with (lower gives more notes); prefer density */
  threshold?: number | null | undefined;
  /** 1–8 different arrangements */
  variations?: number | null | undefined;
};

/** Where a job (composition, training, share) stands */
export type JobStatus =
  | 'CANCELLED'
  | 'DONE'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING';

/** Publish the composition as soon as it is composed */
export type PublishInput = {
  description?: string;
  target: ShareTarget;
  title: string;
  /** Which variation to publish, from 0 as in the files; below `variations` */
  variation?: number;
  visibility?: Visibility;
  /** DISCORD: the channel webhook URL */
  webhookUrl?: string | null | undefined;
};

export type ShareInput = {
  compositionId: string | number;
  description?: string;
  target: ShareTarget;
  title: string;
  /** Which variation to publish, from 0 as in the composition's files and audio(format, variation) */
  variation?: number;
  visibility?: Visibility;
  /** DISCORD: the channel webhook URL (https://discord.com/api/webhooks/…); default the server's DISCORD_WEBHOOK_URL */
  webhookUrl?: string | null | undefined;
};

export type ShareTarget =
  | 'DISCORD'
  | 'SOUNDCLOUD';

/** Which track of every file is the melody and which are the accompaniment, by name (any case) or by index from 0 */
export type TrackMappingInput = {
  /** The accompaniment tracks in the order the model writes them, e.g. ["Bass", "Piano"] */
  accompaniment: Array<string>;
  /** The melody track, e.g. "Melody" or "0" */
  melody: string;
};

/** Train a model on a data set in the server's training-data folder, or on one of the caller's training sets */
export type TrainModelInput = {
  /** Windows per batch (default 64) */
  batchSize?: number | null | undefined;
  beta1?: number | null | undefined;
  beta2?: number | null | undefined;
  /** Iterations between checkpoints, where a run interrupted by a restart resumes (default 25) */
  checkpointEvery?: number | null | undefined;
  /** A data set in the training-data folder: jsb:<file.json>, midi:<folder>?melody=<track>&tracks=<track>,<track>, pop909:<folder>, nottingham:<folder>, wjazzd:<folder> or quartets:<folder of MusicXML> (or give trainingSet) */
  dataset?: string | null | undefined;
  description?: string | null | undefined;
  /** Iterations between evaluations: metrics and the similarity index (default 25) */
  evalEvery?: number | null | undefined;
  /** Network size: filters of the first block (default 16) */
  filters?: number | null | undefined;
  genre?: string | null | undefined;
  /** WGAN-GP penalty weight (default 10) */
  gradientPenalty?: number | null | undefined;
  /** Generator iterations (default 1000) */
  iterations?: number | null | undefined;
  /** Adam learning rate (default 0.001) */
  learningRate?: number | null | undefined;
  /** The roles of the training set's tracks (check them with trainingSetPreview) */
  mapping?: TrackMappingInput | null | undefined;
  /** Id of the new model (lower-case, dashes) */
  modelId: string | number;
  name?: string | null | undefined;
  /** Iterations between sample compositions, kept as MIDI and audio in TrainingJob.samples (default 100) */
  sampleEvery?: number | null | undefined;
  /** End the run when the similarity index stops rising (default false) */
  stopWhenConverged?: boolean | null | undefined;
  /** One of your training sets (uploadTrainingFiles), with mapping; instead of dataset */
  trainingSet?: string | null | undefined;
  /** Random transposition ± semitones (default 5) */
  transpose?: number | null | undefined;
  /** Critic steps per generator step (default 5) */
  updateRatio?: number | null | undefined;
};

/** A MIDI file to add to a training set */
export type TrainingFileInput = {
  /** The Standard MIDI File, base64-encoded */
  midiBase64: string;
  /** Its file name, ending in .mid or .midi (a file of the same name is replaced) */
  name: string;
};

/** Files to add to one of the caller's training sets (made if new) */
export type UploadTrainingFilesInput = {
  /** Up to the request size (MAX_REQUEST_BYTES) per call; upload a large set in several calls */
  files: Array<TrainingFileInput>;
  /** The set: lower-case letters, digits and dashes */
  set: string;
};

export type Visibility =
  | 'PRIVATE'
  | 'PUBLIC';

export type StudioCompositionFragment = { id: string, status: JobStatus, modelId: string, seed: number, variations: number, tempo: number, bars: number, key: string | null, chords: string | null, chordSource: string | null, midiUrl: string | null, files: Array<{ format: string, variation: number | null, url: string, contentType: string, bytes: number }>, error: { code: string, message: string } | null };

export type StudioModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type StudioModelsQuery = { models: Array<{ id: string, name: string, genre: string, description: string, barsPerWindow: number, tempoDefault: number, trainingDataset: string, trainingIterations: number, license: string | null, metrics: unknown, realOrGeneratedAccuracy: number | null, tracks: Array<{ name: string, program: number, isDrum: boolean, role: string }> }> };

export type StudioSamplesQueryVariables = Exact<{ [key: string]: never; }>;


export type StudioSamplesQuery = { sampleMelodies: Array<{ id: string, title: string, description: string, notation: string }> };

export type StudioComposeMutationVariables = Exact<{
  input: ComposeInput;
}>;


export type StudioComposeMutation = { compose: { id: string, status: JobStatus, modelId: string, seed: number, variations: number, tempo: number, bars: number, key: string | null, chords: string | null, chordSource: string | null, midiUrl: string | null, files: Array<{ format: string, variation: number | null, url: string, contentType: string, bytes: number }>, error: { code: string, message: string } | null } };

export type StudioCompositionQueryVariables = Exact<{
  id: string | number;
}>;


export type StudioCompositionQuery = { composition: { id: string, status: JobStatus, modelId: string, seed: number, variations: number, tempo: number, bars: number, key: string | null, chords: string | null, chordSource: string | null, midiUrl: string | null, files: Array<{ format: string, variation: number | null, url: string, contentType: string, bytes: number }>, error: { code: string, message: string } | null } | null };

export type StudioCompositionUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type StudioCompositionUpdatedSubscription = { compositionUpdated: { id: string, status: JobStatus, modelId: string, seed: number, variations: number, tempo: number, bars: number, key: string | null, chords: string | null, chordSource: string | null, midiUrl: string | null, files: Array<{ format: string, variation: number | null, url: string, contentType: string, bytes: number }>, error: { code: string, message: string } | null } };

export type StudioAudioQueryVariables = Exact<{
  id: string | number;
  format: AudioFormat;
  variation: number;
}>;


export type StudioAudioQuery = { composition: { id: string, audio: { format: string, url: string, bytes: number, durationSeconds: number | null, variation: number | null } } | null };

export type StudioTrainMutationVariables = Exact<{
  input: TrainModelInput;
}>;


export type StudioTrainMutation = { trainModel: { id: string, status: JobStatus, progress: number, modelId: string, error: { code: string, message: string } | null } };

export type StudioTrainingJobFragment = { id: string, status: JobStatus, progress: number, modelId: string, error: { code: string, message: string } | null };

export type StudioTrainingJobQueryVariables = Exact<{
  id: string | number;
}>;


export type StudioTrainingJobQuery = { trainingJob: { id: string, status: JobStatus, progress: number, modelId: string, error: { code: string, message: string } | null } | null };

export type StudioCancelTrainingMutationVariables = Exact<{
  id: string | number;
}>;


export type StudioCancelTrainingMutation = { cancelTrainingJob: { id: string, status: JobStatus, progress: number, modelId: string, error: { code: string, message: string } | null } };

export type StudioTrainingProgressSubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type StudioTrainingProgressSubscription = { trainingProgress: { jobId: string, status: JobStatus, iteration: number | null, iterations: number | null, criticLoss: number | null, generatorLoss: number | null, wasserstein: number | null, gradientPenalty: number | null, metrics: unknown, similarity: number | null, converged: boolean | null, etaMs: number | null } };

export type StudioTrainingSamplesQueryVariables = Exact<{
  id: string | number;
}>;


export type StudioTrainingSamplesQuery = { trainingJob: { id: string, status: JobStatus, samples: Array<{ iteration: number, index: number, midiUrl: string, audioUrl: string | null, durationSeconds: number | null }> } | null };

export type StudioTrainingSetsQueryVariables = Exact<{ [key: string]: never; }>;


export type StudioTrainingSetsQuery = { trainingSets: Array<{ name: string, fileCount: number, bytes: number }> };

export type StudioUploadTrainingFilesMutationVariables = Exact<{
  input: UploadTrainingFilesInput;
}>;


export type StudioUploadTrainingFilesMutation = { uploadTrainingFiles: { name: string, fileCount: number, bytes: number } };

export type StudioTrainingSetPreviewQueryVariables = Exact<{
  set: string;
  mapping: TrackMappingInput;
}>;


export type StudioTrainingSetPreviewQuery = { trainingSetPreview: { set: string, usedFiles: number, skippedFiles: number, warnings: Array<string>, windows: { train: number, valid: number, test: number }, files: Array<{ name: string, timeSignature: string | null, used: boolean, split: string | null, windows: number, skipped: string | null, detail: string | null, tracks: Array<{ index: number, name: string, channel: number, program: number, notes: number, role: string | null }> }> } };

export type StudioShareTargetsQueryVariables = Exact<{ [key: string]: never; }>;


export type StudioShareTargetsQuery = { shareTargets: Array<ShareTarget> };

export type StudioShareFragment = { id: string, target: ShareTarget, status: JobStatus, title: string, url: string | null, visibility: Visibility, variation: number, error: { code: string, message: string } | null };

export type StudioShareMutationVariables = Exact<{
  input: ShareInput;
}>;


export type StudioShareMutation = { share: { id: string, target: ShareTarget, status: JobStatus, title: string, url: string | null, visibility: Visibility, variation: number, error: { code: string, message: string } | null } };

export type StudioSharesQueryVariables = Exact<{
  id: string | number;
}>;


export type StudioSharesQuery = { composition: { id: string, shares: Array<{ id: string, target: ShareTarget, status: JobStatus, title: string, url: string | null, visibility: Visibility, variation: number, error: { code: string, message: string } | null }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const StudioCompositionFragmentDoc = new TypedDocumentString(`
    fragment StudioComposition on Composition {
  id
  status
  modelId
  seed
  variations
  tempo
  bars
  key
  chords
  chordSource
  midiUrl
  files {
    format
    variation
    url
    contentType
    bytes
  }
  error {
    code
    message
  }
}
    `, {"fragmentName":"StudioComposition"}) as unknown as TypedDocumentString<StudioCompositionFragment, unknown>;
export const StudioTrainingJobFragmentDoc = new TypedDocumentString(`
    fragment StudioTrainingJob on TrainingJob {
  id
  status
  progress
  modelId
  error {
    code
    message
  }
}
    `, {"fragmentName":"StudioTrainingJob"}) as unknown as TypedDocumentString<StudioTrainingJobFragment, unknown>;
export const StudioShareFragmentDoc = new TypedDocumentString(`
    fragment StudioShare on Share {
  id
  target
  status
  title
  url
  visibility
  variation
  error {
    code
    message
  }
}
    `, {"fragmentName":"StudioShare"}) as unknown as TypedDocumentString<StudioShareFragment, unknown>;
export const StudioModelsDocument = new TypedDocumentString(`
    query StudioModels {
  models {
    id
    name
    genre
    description
    barsPerWindow
    tempoDefault
    trainingDataset
    trainingIterations
    license
    metrics
    realOrGeneratedAccuracy
    tracks {
      name
      program
      isDrum
      role
    }
  }
}
    `) as unknown as TypedDocumentString<StudioModelsQuery, StudioModelsQueryVariables>;
export const StudioSamplesDocument = new TypedDocumentString(`
    query StudioSamples {
  sampleMelodies {
    id
    title
    description
    notation
  }
}
    `) as unknown as TypedDocumentString<StudioSamplesQuery, StudioSamplesQueryVariables>;
export const StudioComposeDocument = new TypedDocumentString(`
    mutation StudioCompose($input: ComposeInput!) {
  compose(input: $input) {
    ...StudioComposition
  }
}
    fragment StudioComposition on Composition {
  id
  status
  modelId
  seed
  variations
  tempo
  bars
  key
  chords
  chordSource
  midiUrl
  files {
    format
    variation
    url
    contentType
    bytes
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioComposeMutation, StudioComposeMutationVariables>;
export const StudioCompositionDocument = new TypedDocumentString(`
    query StudioComposition($id: ID!) {
  composition(id: $id) {
    ...StudioComposition
  }
}
    fragment StudioComposition on Composition {
  id
  status
  modelId
  seed
  variations
  tempo
  bars
  key
  chords
  chordSource
  midiUrl
  files {
    format
    variation
    url
    contentType
    bytes
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioCompositionQuery, StudioCompositionQueryVariables>;
export const StudioCompositionUpdatedDocument = new TypedDocumentString(`
    subscription StudioCompositionUpdated($id: ID!) {
  compositionUpdated(id: $id) {
    ...StudioComposition
  }
}
    fragment StudioComposition on Composition {
  id
  status
  modelId
  seed
  variations
  tempo
  bars
  key
  chords
  chordSource
  midiUrl
  files {
    format
    variation
    url
    contentType
    bytes
  }
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioCompositionUpdatedSubscription, StudioCompositionUpdatedSubscriptionVariables>;
export const StudioAudioDocument = new TypedDocumentString(`
    query StudioAudio($id: ID!, $format: AudioFormat!, $variation: Int!) {
  composition(id: $id) {
    id
    audio(format: $format, variation: $variation) {
      format
      url
      bytes
      durationSeconds
      variation
    }
  }
}
    `) as unknown as TypedDocumentString<StudioAudioQuery, StudioAudioQueryVariables>;
export const StudioTrainDocument = new TypedDocumentString(`
    mutation StudioTrain($input: TrainModelInput!) {
  trainModel(input: $input) {
    ...StudioTrainingJob
  }
}
    fragment StudioTrainingJob on TrainingJob {
  id
  status
  progress
  modelId
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioTrainMutation, StudioTrainMutationVariables>;
export const StudioTrainingJobDocument = new TypedDocumentString(`
    query StudioTrainingJob($id: ID!) {
  trainingJob(id: $id) {
    ...StudioTrainingJob
  }
}
    fragment StudioTrainingJob on TrainingJob {
  id
  status
  progress
  modelId
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioTrainingJobQuery, StudioTrainingJobQueryVariables>;
export const StudioCancelTrainingDocument = new TypedDocumentString(`
    mutation StudioCancelTraining($id: ID!) {
  cancelTrainingJob(id: $id) {
    ...StudioTrainingJob
  }
}
    fragment StudioTrainingJob on TrainingJob {
  id
  status
  progress
  modelId
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioCancelTrainingMutation, StudioCancelTrainingMutationVariables>;
export const StudioTrainingProgressDocument = new TypedDocumentString(`
    subscription StudioTrainingProgress($jobId: ID!) {
  trainingProgress(jobId: $jobId) {
    jobId
    status
    iteration
    iterations
    criticLoss
    generatorLoss
    wasserstein
    gradientPenalty
    metrics
    similarity
    converged
    etaMs
  }
}
    `) as unknown as TypedDocumentString<StudioTrainingProgressSubscription, StudioTrainingProgressSubscriptionVariables>;
export const StudioTrainingSamplesDocument = new TypedDocumentString(`
    query StudioTrainingSamples($id: ID!) {
  trainingJob(id: $id) {
    id
    status
    samples {
      iteration
      index
      midiUrl
      audioUrl
      durationSeconds
    }
  }
}
    `) as unknown as TypedDocumentString<StudioTrainingSamplesQuery, StudioTrainingSamplesQueryVariables>;
export const StudioTrainingSetsDocument = new TypedDocumentString(`
    query StudioTrainingSets {
  trainingSets {
    name
    fileCount
    bytes
  }
}
    `) as unknown as TypedDocumentString<StudioTrainingSetsQuery, StudioTrainingSetsQueryVariables>;
export const StudioUploadTrainingFilesDocument = new TypedDocumentString(`
    mutation StudioUploadTrainingFiles($input: UploadTrainingFilesInput!) {
  uploadTrainingFiles(input: $input) {
    name
    fileCount
    bytes
  }
}
    `) as unknown as TypedDocumentString<StudioUploadTrainingFilesMutation, StudioUploadTrainingFilesMutationVariables>;
export const StudioTrainingSetPreviewDocument = new TypedDocumentString(`
    query StudioTrainingSetPreview($set: String!, $mapping: TrackMappingInput!) {
  trainingSetPreview(set: $set, mapping: $mapping) {
    set
    usedFiles
    skippedFiles
    warnings
    windows {
      train
      valid
      test
    }
    files {
      name
      timeSignature
      used
      split
      windows
      skipped
      detail
      tracks {
        index
        name
        channel
        program
        notes
        role
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StudioTrainingSetPreviewQuery, StudioTrainingSetPreviewQueryVariables>;
export const StudioShareTargetsDocument = new TypedDocumentString(`
    query StudioShareTargets {
  shareTargets
}
    `) as unknown as TypedDocumentString<StudioShareTargetsQuery, StudioShareTargetsQueryVariables>;
export const StudioShareDocument = new TypedDocumentString(`
    mutation StudioShare($input: ShareInput!) {
  share(input: $input) {
    ...StudioShare
  }
}
    fragment StudioShare on Share {
  id
  target
  status
  title
  url
  visibility
  variation
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioShareMutation, StudioShareMutationVariables>;
export const StudioSharesDocument = new TypedDocumentString(`
    query StudioShares($id: ID!) {
  composition(id: $id) {
    id
    shares {
      ...StudioShare
    }
  }
}
    fragment StudioShare on Share {
  id
  target
  status
  title
  url
  visibility
  variation
  error {
    code
    message
  }
}`) as unknown as TypedDocumentString<StudioSharesQuery, StudioSharesQueryVariables>;
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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

export type ImageFormat =
  | 'PNG'
  | 'SVG';

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

export type CompositionFieldsFragment = { id: string, status: JobStatus, modelId: string, seed: number, variations: number, keepMelody: boolean, tempo: number, bars: number, key: string | null, chords: string | null, chordSource: string | null, midiUrl: string | null, createdAt: string, input: { kind: string, summary: string }, files: Array<{ format: string, variation: number | null, url: string, contentType: string, bytes: number }>, error: { code: string, message: string } | null };

export type ModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelsQuery = { models: Array<{ id: string, name: string, genre: string, pitchLow: number, pitchHigh: number, trainingIterations: number, metrics: unknown, realOrGeneratedAccuracy: number | null, license: string | null, tracks: Array<{ name: string, program: number, isDrum: boolean, role: string }> }> };

export type ModelQueryVariables = Exact<{
  id: string | number;
}>;


export type ModelQuery = { model: { id: string, name: string } | null };

export type SampleMelodiesQueryVariables = Exact<{ [key: string]: never; }>;


export type SampleMelodiesQuery = { sampleMelodies: Array<{ id: string, title: string, notation: string }> };

export type ComposeMutationVariables = Exact<{
  input: ComposeInput;
}>;


export type ComposeMutation = { compose: { id: string, status: JobStatus, modelId: string, seed: number, variations: number, keepMelody: boolean, tempo: number, bars: number, key: string | null, chords: string | null, chordSource: string | null, midiUrl: string | null, createdAt: string, input: { kind: string, summary: string }, files: Array<{ format: string, variation: number | null, url: string, contentType: string, bytes: number }>, error: { code: string, message: string } | null } };

export type CompositionQueryVariables = Exact<{
  id: string | number;
}>;


export type CompositionQuery = { composition: { id: string, status: JobStatus, modelId: string, seed: number, variations: number, keepMelody: boolean, tempo: number, bars: number, key: string | null, chords: string | null, chordSource: string | null, midiUrl: string | null, createdAt: string, input: { kind: string, summary: string }, files: Array<{ format: string, variation: number | null, url: string, contentType: string, bytes: number }>, error: { code: string, message: string } | null } | null };

export type CompositionsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type CompositionsQuery = { compositions: { totalCount: number, nodes: Array<{ id: string, status: JobStatus, createdAt: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DeleteCompositionMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteCompositionMutation = { deleteComposition: boolean };

export type ShareMutationVariables = Exact<{
  input: ShareInput;
}>;


export type ShareMutation = { share: { id: string, status: JobStatus, url: string | null } };

export type TrainModelMutationVariables = Exact<{
  input: TrainModelInput;
}>;


export type TrainModelMutation = { trainModel: { id: string, status: JobStatus, progress: number, modelId: string } };

export type TrainingJobQueryVariables = Exact<{
  id: string | number;
}>;


export type TrainingJobQuery = { trainingJob: { id: string, status: JobStatus, progress: number, modelId: string, result: unknown, chartSvgUrl: string, chartPngUrl: string, error: { code: string, message: string } | null } | null };

export type CancelTrainingJobMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelTrainingJobMutation = { cancelTrainingJob: { id: string, status: JobStatus } };

export type CompositionUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type CompositionUpdatedSubscription = { compositionUpdated: { id: string, status: JobStatus, files: Array<{ format: string, url: string }>, error: { code: string, message: string } | null } };

export type TrainingProgressSubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type TrainingProgressSubscription = { trainingProgress: { jobId: string, status: JobStatus, iteration: number | null, iterations: number | null, criticLoss: number | null, generatorLoss: number | null, metrics: unknown } };

export type CompositionMediaQueryVariables = Exact<{
  id: string | number;
  audio: AudioFormat;
  image: ImageFormat;
}>;


export type CompositionMediaQuery = { composition: { id: string, audio: { format: string, url: string, contentType: string, bytes: number, durationSeconds: number | null }, pianoRoll: { format: string, url: string, contentType: string, bytes: number } } | null };

export type CompositionSharesQueryVariables = Exact<{
  id: string | number;
}>;


export type CompositionSharesQuery = { composition: { id: string, shares: Array<{ id: string, target: ShareTarget, status: JobStatus, title: string, visibility: Visibility, variation: number, url: string | null, urn: string | null, error: { code: string, message: string } | null }> } | null };

export type ShareTargetsQueryVariables = Exact<{ [key: string]: never; }>;


export type ShareTargetsQuery = { shareTargets: Array<ShareTarget> };

export type UploadTrainingFilesMutationVariables = Exact<{
  input: UploadTrainingFilesInput;
}>;


export type UploadTrainingFilesMutation = { uploadTrainingFiles: { name: string, fileCount: number, bytes: number, files: Array<{ name: string, bytes: number }> } };

export type DeleteTrainingSetMutationVariables = Exact<{
  name: string;
}>;


export type DeleteTrainingSetMutation = { deleteTrainingSet: boolean };

export type TrainingSetsQueryVariables = Exact<{ [key: string]: never; }>;


export type TrainingSetsQuery = { trainingSets: Array<{ name: string, fileCount: number, bytes: number }> };

export type TrainingSetPreviewQueryVariables = Exact<{
  set: string;
  mapping: TrackMappingInput;
}>;


export type TrainingSetPreviewQuery = { trainingSetPreview: { set: string, usedFiles: number, skippedFiles: number, warnings: Array<string>, windows: { train: number, valid: number, test: number }, files: Array<{ name: string, timeSignature: string | null, used: boolean, split: string | null, windows: number, skipped: string | null, detail: string | null, tracks: Array<{ index: number, name: string, channel: number, program: number, notes: number, role: string | null }> }> } };

export type TrainingJobSamplesQueryVariables = Exact<{
  id: string | number;
}>;


export type TrainingJobSamplesQuery = { trainingJob: { id: string, status: JobStatus, progress: number, modelId: string, result: unknown, error: { code: string, message: string } | null, samples: Array<{ iteration: number, index: number, midiUrl: string, audioUrl: string | null, durationSeconds: number | null }> } | null };

export type TrainingSimilaritySubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type TrainingSimilaritySubscription = { trainingProgress: { jobId: string, status: JobStatus, iteration: number | null, iterations: number | null, similarity: number | null } };

export type ModelVisibilityQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelVisibilityQuery = { models: Array<{ id: string, owned: boolean, published: boolean, trainingDataset: string, tracks: Array<{ name: string, role: string }> }> };

export type ModelByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type ModelByIdQuery = { model: { id: string, owned: boolean, published: boolean } | null };

export type PublishModelMutationVariables = Exact<{
  id: string | number;
  published: boolean;
}>;


export type PublishModelMutation = { publishModel: { id: string, owned: boolean, published: boolean } };

export const CompositionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompositionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Composition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"seed"}},{"kind":"Field","name":{"kind":"Name","value":"variations"}},{"kind":"Field","name":{"kind":"Name","value":"keepMelody"}},{"kind":"Field","name":{"kind":"Name","value":"tempo"}},{"kind":"Field","name":{"kind":"Name","value":"bars"}},{"kind":"Field","name":{"kind":"Name","value":"input"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"chords"}},{"kind":"Field","name":{"kind":"Name","value":"chordSource"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"variation"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"midiUrl"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<CompositionFieldsFragment, unknown>;
export const ModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"genre"}},{"kind":"Field","name":{"kind":"Name","value":"tracks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"program"}},{"kind":"Field","name":{"kind":"Name","value":"isDrum"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pitchLow"}},{"kind":"Field","name":{"kind":"Name","value":"pitchHigh"}},{"kind":"Field","name":{"kind":"Name","value":"trainingIterations"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"}},{"kind":"Field","name":{"kind":"Name","value":"realOrGeneratedAccuracy"}},{"kind":"Field","name":{"kind":"Name","value":"license"}}]}}]}}]} as unknown as DocumentNode<ModelsQuery, ModelsQueryVariables>;
export const ModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Model"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ModelQuery, ModelQueryVariables>;
export const SampleMelodiesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SampleMelodies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sampleMelodies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"notation"}}]}}]}}]} as unknown as DocumentNode<SampleMelodiesQuery, SampleMelodiesQueryVariables>;
export const ComposeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Compose"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ComposeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compose"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompositionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompositionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Composition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"seed"}},{"kind":"Field","name":{"kind":"Name","value":"variations"}},{"kind":"Field","name":{"kind":"Name","value":"keepMelody"}},{"kind":"Field","name":{"kind":"Name","value":"tempo"}},{"kind":"Field","name":{"kind":"Name","value":"bars"}},{"kind":"Field","name":{"kind":"Name","value":"input"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"chords"}},{"kind":"Field","name":{"kind":"Name","value":"chordSource"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"variation"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"midiUrl"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ComposeMutation, ComposeMutationVariables>;
export const CompositionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Composition"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"composition"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompositionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompositionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Composition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"seed"}},{"kind":"Field","name":{"kind":"Name","value":"variations"}},{"kind":"Field","name":{"kind":"Name","value":"keepMelody"}},{"kind":"Field","name":{"kind":"Name","value":"tempo"}},{"kind":"Field","name":{"kind":"Name","value":"bars"}},{"kind":"Field","name":{"kind":"Name","value":"input"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"chords"}},{"kind":"Field","name":{"kind":"Name","value":"chordSource"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"variation"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"midiUrl"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<CompositionQuery, CompositionQueryVariables>;
export const CompositionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Compositions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compositions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}}]} as unknown as DocumentNode<CompositionsQuery, CompositionsQueryVariables>;
export const DeleteCompositionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteComposition"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteComposition"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteCompositionMutation, DeleteCompositionMutationVariables>;
export const ShareDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Share"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ShareInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"share"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]} as unknown as DocumentNode<ShareMutation, ShareMutationVariables>;
export const TrainModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TrainModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TrainModelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainModel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}}]}}]}}]} as unknown as DocumentNode<TrainModelMutation, TrainModelMutationVariables>;
export const TrainingJobDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TrainingJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"chartSvgUrl"}},{"kind":"Field","name":{"kind":"Name","value":"chartPngUrl"}}]}}]}}]} as unknown as DocumentNode<TrainingJobQuery, TrainingJobQueryVariables>;
export const CancelTrainingJobDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelTrainingJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelTrainingJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<CancelTrainingJobMutation, CancelTrainingJobMutationVariables>;
export const CompositionUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CompositionUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compositionUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CompositionUpdatedSubscription, CompositionUpdatedSubscriptionVariables>;
export const TrainingProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TrainingProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"iteration"}},{"kind":"Field","name":{"kind":"Name","value":"iterations"}},{"kind":"Field","name":{"kind":"Name","value":"criticLoss"}},{"kind":"Field","name":{"kind":"Name","value":"generatorLoss"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"}}]}}]}}]} as unknown as DocumentNode<TrainingProgressSubscription, TrainingProgressSubscriptionVariables>;
export const CompositionMediaDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompositionMedia"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"audio"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AudioFormat"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"image"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ImageFormat"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"composition"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"audio"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"format"},"value":{"kind":"Variable","name":{"kind":"Name","value":"audio"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pianoRoll"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"format"},"value":{"kind":"Variable","name":{"kind":"Name","value":"image"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}}]}}]}}]}}]} as unknown as DocumentNode<CompositionMediaQuery, CompositionMediaQueryVariables>;
export const CompositionSharesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompositionShares"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"composition"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"shares"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"visibility"}},{"kind":"Field","name":{"kind":"Name","value":"variation"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"urn"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CompositionSharesQuery, CompositionSharesQueryVariables>;
export const ShareTargetsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ShareTargets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shareTargets"}}]}}]} as unknown as DocumentNode<ShareTargetsQuery, ShareTargetsQueryVariables>;
export const UploadTrainingFilesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadTrainingFiles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UploadTrainingFilesInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadTrainingFiles"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fileCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}}]}}]}}]}}]} as unknown as DocumentNode<UploadTrainingFilesMutation, UploadTrainingFilesMutationVariables>;
export const DeleteTrainingSetDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteTrainingSet"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTrainingSet"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}]}]}}]} as unknown as DocumentNode<DeleteTrainingSetMutation, DeleteTrainingSetMutationVariables>;
export const TrainingSetsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TrainingSets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingSets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fileCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}}]}}]}}]} as unknown as DocumentNode<TrainingSetsQuery, TrainingSetsQueryVariables>;
export const TrainingSetPreviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TrainingSetPreview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"set"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mapping"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TrackMappingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingSetPreview"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"set"},"value":{"kind":"Variable","name":{"kind":"Name","value":"set"}}},{"kind":"Argument","name":{"kind":"Name","value":"mapping"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mapping"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"set"}},{"kind":"Field","name":{"kind":"Name","value":"usedFiles"}},{"kind":"Field","name":{"kind":"Name","value":"skippedFiles"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"}},{"kind":"Field","name":{"kind":"Name","value":"windows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"train"}},{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"test"}}]}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"timeSignature"}},{"kind":"Field","name":{"kind":"Name","value":"used"}},{"kind":"Field","name":{"kind":"Name","value":"split"}},{"kind":"Field","name":{"kind":"Name","value":"windows"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"tracks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"program"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TrainingSetPreviewQuery, TrainingSetPreviewQueryVariables>;
export const TrainingJobSamplesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TrainingJobSamples"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"result"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"samples"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"iteration"}},{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"midiUrl"}},{"kind":"Field","name":{"kind":"Name","value":"audioUrl"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<TrainingJobSamplesQuery, TrainingJobSamplesQueryVariables>;
export const TrainingSimilarityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TrainingSimilarity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"iteration"}},{"kind":"Field","name":{"kind":"Name","value":"iterations"}},{"kind":"Field","name":{"kind":"Name","value":"similarity"}}]}}]}}]} as unknown as DocumentNode<TrainingSimilaritySubscription, TrainingSimilaritySubscriptionVariables>;
export const ModelVisibilityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelVisibility"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"owned"}},{"kind":"Field","name":{"kind":"Name","value":"published"}},{"kind":"Field","name":{"kind":"Name","value":"trainingDataset"}},{"kind":"Field","name":{"kind":"Name","value":"tracks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<ModelVisibilityQuery, ModelVisibilityQueryVariables>;
export const ModelByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"owned"}},{"kind":"Field","name":{"kind":"Name","value":"published"}}]}}]}}]} as unknown as DocumentNode<ModelByIdQuery, ModelByIdQueryVariables>;
export const PublishModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PublishModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"published"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishModel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"published"},"value":{"kind":"Variable","name":{"kind":"Name","value":"published"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"owned"}},{"kind":"Field","name":{"kind":"Name","value":"published"}}]}}]}}]} as unknown as DocumentNode<PublishModelMutation, PublishModelMutationVariables>;
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { sampleFilename } from '../../services/training-samples.js';
import type { JobRecord, TrainingSampleRecord } from '../../store/records.js';
import type { TrainingProgress as Progress } from '../../training/trainer.js';
import { Problem } from '../composition/composition.type.js';
import { JobStatusEnum, JSONObject } from '../scalars.js';
import { TrackMappingInput } from '../training-set/training-set.input.js';

type FileUrl = (fileId: string, filename: string) => string;

@InputType({ description: "Train a model on a data set in the server's training-data folder, or on one of the caller's training sets" })
export class TrainModelInput {
  @Field({
    nullable: true,
    description: 'A data set in the training-data folder: jsb:<file.json>, midi:<folder>?melody=<track>&tracks=<track>,<track>, pop909:<folder>, nottingham:<folder>, wjazzd:<folder> or quartets:<folder of MusicXML> (or give trainingSet)',
  })
  dataset?: string;
  @Field({ nullable: true, description: 'One of your training sets (uploadTrainingFiles), with mapping; instead of dataset' }) trainingSet?: string;
  @Field(() => TrackMappingInput, { nullable: true, description: "The roles of the training set's tracks (check them with trainingSetPreview)" }) mapping?: TrackMappingInput;
  @Field(() => ID, { description: 'Id of the new model (lower-case, dashes)' }) modelId!: string;
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) genre?: string;
  @Field({ nullable: true }) description?: string;
  @Field(() => Int, { nullable: true, description: 'Generator iterations (default 1000)' }) iterations?: number;
  @Field(() => Int, { nullable: true, description: 'Critic steps per generator step (default 5)' }) updateRatio?: number;
  @Field(() => Int, { nullable: true, description: 'Windows per batch (default 64)' }) batchSize?: number;
  @Field(() => Float, { nullable: true, description: 'Adam learning rate (default 0.001)' }) learningRate?: number;
  @Field(() => Float, { nullable: true }) beta1?: number;
  @Field(() => Float, { nullable: true }) beta2?: number;
  @Field(() => Float, { nullable: true, description: 'WGAN-GP penalty weight (default 10)' }) gradientPenalty?: number;
  @Field(() => Int, { nullable: true, description: 'Network size: filters of the first block (default 16)' }) filters?: number;
  @Field(() => Int, { nullable: true, description: 'Random transposition ± semitones (default 5)' }) transpose?: number;
  @Field({ nullable: true, description: 'End the run when the similarity index stops rising (default false)' }) stopWhenConverged?: boolean;
  @Field(() => Int, { nullable: true, description: 'Iterations between evaluations: metrics and the similarity index (default 25)' }) evalEvery?: number;
  @Field(() => Int, { nullable: true, description: 'Iterations between sample compositions, kept as MIDI and audio in TrainingJob.samples (default 100)' }) sampleEvery?: number;
  @Field(() => Int, { nullable: true, description: 'Iterations between checkpoints, where a run interrupted by a restart resumes (default 25)' }) checkpointEvery?: number;
}

@ObjectType({ description: 'A sample composition of a training run: an evaluation melody accompanied by the model as it was at an iteration' })
export class TrainingSample {
  @Field(() => Int) iteration!: number;
  @Field(() => Int, { description: 'Which evaluation melody (0-based): the same index is the same melody at every iteration' }) index!: number;
  @Field() midiUrl!: string;
  @Field(() => String, { nullable: true, description: 'The same as mp3 (null if it could not be rendered)' }) audioUrl?: string | null;
  @Field(() => Float, { nullable: true }) durationSeconds?: number | null;

  static from(jobId: string, s: TrainingSampleRecord, fileUrl: FileUrl): TrainingSample {
    return Object.assign(new TrainingSample(), {
      iteration: s.iteration,
      index: s.index,
      midiUrl: fileUrl(s.midi.fileId, sampleFilename(jobId, s, 'midi')),
      audioUrl: s.audio ? fileUrl(s.audio.fileId, sampleFilename(jobId, s, s.audio.format)) : null,
      durationSeconds: s.audio?.durationSeconds ?? null,
    });
  }
}

@ObjectType()
export class TrainingJob {
  @Field(() => ID) id!: string;
  @Field(() => JobStatusEnum) status!: JobStatusEnum;
  @Field(() => Float, { description: '0…1' }) progress!: number;
  @Field() modelId!: string;
  @Field(() => JSONObject, { nullable: true }) result?: Record<string, unknown>;
  @Field(() => Problem, { nullable: true }) error?: Problem;
  @Field() createdAt!: string;
  @Field() updatedAt!: string;
  @Field({ description: 'Losses and metrics over iterations, SVG (send the API key with the request)' }) chartSvgUrl!: string;
  @Field({ description: 'The same chart as PNG' }) chartPngUrl!: string;
  @Field(() => [TrainingSample], { description: 'Sample compositions so far (every sampleEvery iterations), oldest first' }) samples!: TrainingSample[];

  static from(job: JobRecord, url: (path: string) => string, fileUrl: FileUrl): TrainingJob {
    return Object.assign(new TrainingJob(), {
      id: job.id,
      status: job.status as JobStatusEnum,
      progress: job.progress,
      modelId: String(job.payload.modelId),
      result: job.result,
      error: job.error ? Object.assign(new Problem(), job.error) : undefined,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      chartSvgUrl: url(`/training-jobs/${encodeURIComponent(job.id)}/chart.svg`),
      chartPngUrl: url(`/training-jobs/${encodeURIComponent(job.id)}/chart.png`),
      samples: (job.samples ?? []).map((s) => TrainingSample.from(job.id, s, fileUrl)),
    });
  }
}

@ObjectType({ description: 'One step of a training run' })
export class TrainingProgress {
  @Field(() => ID) jobId!: string;
  @Field(() => JobStatusEnum) status!: JobStatusEnum;
  @Field(() => Int, { nullable: true }) iteration?: number;
  @Field(() => Int, { nullable: true }) iterations?: number;
  @Field(() => Float, { nullable: true }) criticLoss?: number;
  @Field(() => Float, { nullable: true }) generatorLoss?: number;
  @Field(() => Float, { nullable: true, description: "The critic's Wasserstein estimate" }) wasserstein?: number;
  @Field(() => Float, { nullable: true }) gradientPenalty?: number;
  @Field(() => Float, { nullable: true }) elapsedMs?: number;
  @Field(() => Float, { nullable: true }) etaMs?: number;
  @Field(() => JSONObject, { nullable: true, description: 'Metrics on the evaluation melodies, when measured' })
  metrics?: Record<string, unknown>;
  @Field(() => Float, {
    nullable: true,
    description: "Similarity index, 0…1, when measured: how close the generated accompaniment's metric profile (in-scale, pitch classes, note lengths, consonance with the melody, empty bars, polyphony, per part) is to the real one of the same melodies; when it stops rising, the model has converged",
  })
  similarity?: number;
  @Field({ nullable: true, description: 'True on the last step of a run that stopWhenConverged ended' }) converged?: boolean;

  static from(job: JobRecord, p?: Progress): TrainingProgress {
    return Object.assign(new TrainingProgress(), {
      jobId: job.id,
      status: job.status as JobStatusEnum,
      ...(p ? { ...p, metrics: p.metrics as unknown as Record<string, unknown> | undefined } : {}),
    });
  }
}

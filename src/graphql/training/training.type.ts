import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { JobRecord } from '../../store/records.js';
import type { TrainingProgress as Progress } from '../../training/trainer.js';
import { Problem } from '../composition/composition.type.js';
import { JobStatusEnum, JSONObject } from '../scalars.js';

@InputType({ description: "Train a model on a data set in the server's training-data folder" })
export class TrainModelInput {
  @Field({ description: 'A data set in the training-data folder: jsb:<file.json>, midi:<folder>?melody=<track>&tracks=<track>,<track>, pop909:<folder>, nottingham:<folder>, wjazzd:<folder> or quartets:<folder of MusicXML>' }) dataset!: string;
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

  static from(job: JobRecord, url: (path: string) => string): TrainingJob {
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

import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { InvalidInputError } from '../../errors.js';
import { trainingTopic, type TrainingEvent } from '../../services/training.service.js';
import { requireKey, type Context } from '../context.js';
import { TrainingJob, TrainingProgress, TrainModelInput } from './training.type.js';

@Resolver(() => TrainingJob)
export class TrainingResolver {
  @Mutation(() => TrainingJob, { description: 'Start training a model; follow it with trainingProgress' })
  async trainModel(@Arg('input', () => TrainModelInput) input: TrainModelInput, @Ctx() ctx: Context): Promise<TrainingJob> {
    const { dataset, trainingSet, mapping, modelId, name, genre, description, stopWhenConverged, evalEvery, sampleEvery, checkpointEvery, ...hyper } = input;
    const hyperParameters = Object.fromEntries(Object.entries(hyper).filter(([, v]) => v !== undefined && v !== null));
    if ((trainingSet === undefined) !== (mapping === undefined)) {
      throw new InvalidInputError('trainingSet and mapping go together: the set, and which of its tracks is the melody and which are the accompaniment (see trainingSetPreview)', { field: 'mapping' });
    }
    const job = await ctx.services.training.request(requireKey(ctx), {
      ...(dataset !== undefined ? { dataset } : {}),
      ...(trainingSet !== undefined && mapping ? { trainingSet: { name: trainingSet, mapping: { melody: mapping.melody, accompaniment: mapping.accompaniment } } } : {}),
      modelId, name, genre, description, hyperParameters,
      ...(stopWhenConverged ? { stopWhenConverged } : {}),
      every: { evaluate: evalEvery, sample: sampleEvery, checkpoint: checkpointEvery },
    });
    return TrainingJob.from(job, ctx.services.url, ctx.services.fileUrl);
  }

  @Mutation(() => TrainingJob)
  async cancelTrainingJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<TrainingJob> {
    return TrainingJob.from(await ctx.services.training.cancel(requireKey(ctx), id), ctx.services.url, ctx.services.fileUrl);
  }

  @Query(() => TrainingJob, { nullable: true })
  async trainingJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<TrainingJob> {
    return TrainingJob.from(await ctx.services.training.get(requireKey(ctx), id), ctx.services.url, ctx.services.fileUrl);
  }

  @Subscription(() => TrainingProgress, {
    description: 'Iteration, losses and metrics of a training run as it learns',
    subscribe: async function* ({ args, context }) {
      const ctx = context as Context;
      const job = await ctx.services.training.get(requireKey(ctx), String(args.jobId));
      yield { job } satisfies TrainingEvent;
      if (['done', 'failed', 'cancelled'].includes(job.status)) return;
      for await (const event of ctx.services.trainingEvents.subscribe(trainingTopic(job.id), ctx.signal)) {
        yield event;
        if (['done', 'failed', 'cancelled'].includes(event.job.status)) return;
      }
    },
  })
  trainingProgress(@Arg('jobId', () => ID) _jobId: string, @Root() event: TrainingEvent): TrainingProgress {
    return TrainingProgress.from(event.job, event.progress);
  }
}

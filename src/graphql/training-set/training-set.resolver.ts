import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { decodeBase64 } from '../base64.js';
import { requireKey, type Context } from '../context.js';
import { TrackMappingInput, UploadTrainingFilesInput } from './training-set.input.js';
import { TrainingSet, TrainingSetPreview } from './training-set.type.js';

@Resolver(() => TrainingSet)
export class TrainingSetResolver {
  @Mutation(() => TrainingSet, { description: "Add MIDI files to one of the caller's training sets (made if new); train on it with trainModel(input: { trainingSet, mapping })" })
  async uploadTrainingFiles(@Arg('input', () => UploadTrainingFilesInput) input: UploadTrainingFilesInput, @Ctx() ctx: Context): Promise<TrainingSet> {
    const key = requireKey(ctx);
    const files = input.files.map((f, i) => ({ name: f.name, data: decodeBase64(f.midiBase64, `files[${i}].midiBase64`, { file: f.name }) }));
    return TrainingSet.from(await ctx.services.training.sets.upload(key, input.set, files));
  }

  @Mutation(() => Boolean, { description: 'Delete a training set and its files; false when there was none (training runs keep their copy)' })
  deleteTrainingSet(@Arg('name') name: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.training.sets.delete(requireKey(ctx), name);
  }

  @Query(() => [TrainingSet], { description: "The caller's training sets" })
  async trainingSets(@Ctx() ctx: Context): Promise<TrainingSet[]> {
    return (await ctx.services.training.sets.list(requireKey(ctx))).map((s) => TrainingSet.from(s));
  }

  @Query(() => TrainingSet)
  async trainingSet(@Arg('name') name: string, @Ctx() ctx: Context): Promise<TrainingSet> {
    return TrainingSet.from(await ctx.services.training.sets.get(requireKey(ctx), name));
  }

  @Query(() => TrainingSetPreview, { description: 'Each file of a set as training would read it with this mapping: tracks found, split, windows usable, or why it is left out' })
  async trainingSetPreview(
    @Arg('set') set: string,
    @Arg('mapping', () => TrackMappingInput) mapping: TrackMappingInput,
    @Ctx() ctx: Context,
  ): Promise<TrainingSetPreview> {
    return TrainingSetPreview.from(set, await ctx.services.training.sets.preview(requireKey(ctx), set, { melody: mapping.melody, accompaniment: mapping.accompaniment }));
  }
}

import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { modelsVisibleTo } from '../../services/model-visibility.js';
import { requireKey, type Context } from '../context.js';
import { Model } from './model.type.js';

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => [Model], { description: 'Every model the caller can compose with: the shared ones, and its own' })
  models(@Ctx() ctx: Context): Model[] {
    return modelsVisibleTo(ctx.services.models, ctx.key?.id).list().map((m) => Model.from(m.card, ctx.key?.id));
  }

  @Query(() => Model, { nullable: true, description: "A model by id; null for one that does not exist or is another key's" })
  model(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Model | null {
    const found = modelsVisibleTo(ctx.services.models, ctx.key?.id).list().find((m) => m.card.id === id);
    return found ? Model.from(found.card, ctx.key?.id) : null;
  }

  @Mutation(() => Model, { description: 'Share a model you trained with every key (published: false takes it back)' })
  async publishModel(
    @Arg('id', () => ID) id: string,
    @Arg('published', { defaultValue: true }) published: boolean,
    @Ctx() ctx: Context,
  ): Promise<Model> {
    const key = requireKey(ctx);
    return Model.from(await ctx.services.training.publish(key, id, published), key.id);
  }
}

import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { Model } from './model.type.js';

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => [Model], { description: 'Every model this server can compose with' })
  models(@Ctx() ctx: Context): Model[] {
    return ctx.services.models.list().map((m) => Model.from(m.card));
  }

  @Query(() => Model, { nullable: true })
  model(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Model | null {
    const found = ctx.services.models.list().find((m) => m.card.id === id);
    return found ? Model.from(found.card) : null;
  }
}

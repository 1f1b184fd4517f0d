import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { ContinuoError } from '../../errors.js';
import { requireKey, type Context } from '../context.js';
import { JobStatusEnum } from '../scalars.js';

export enum ShareTargetEnum {
  SOUNDCLOUD = 'SOUNDCLOUD',
  DISCORD = 'DISCORD',
}
export enum VisibilityEnum {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
}
registerEnumType(ShareTargetEnum, { name: 'ShareTarget' });
registerEnumType(VisibilityEnum, { name: 'Visibility' });

@InputType()
export class ShareInput {
  @Field(() => ID) compositionId!: string;
  @Field(() => ShareTargetEnum) target!: ShareTargetEnum;
  @Field() title!: string;
  @Field({ defaultValue: '' }) description!: string;
  @Field(() => VisibilityEnum, { defaultValue: VisibilityEnum.PRIVATE }) visibility!: VisibilityEnum;
}

@ObjectType()
export class Share {
  @Field(() => ID) id!: string;
  @Field(() => ShareTargetEnum) target!: ShareTargetEnum;
  @Field(() => JobStatusEnum) status!: JobStatusEnum;
  @Field({ nullable: true, description: 'Where it was published' }) url?: string;
}

@Resolver(() => Share)
export class ShareResolver {
  @Mutation(() => Share, { description: 'Publish a composition to SoundCloud or a Discord channel' })
  async share(@Arg('input', () => ShareInput) input: ShareInput, @Ctx() ctx: Context): Promise<Share> {
    const key = requireKey(ctx);
    await ctx.services.compositions.get(key, input.compositionId);
    const where = input.target === ShareTargetEnum.SOUNDCLOUD ? 'SoundCloud' : 'Discord';
    throw new ContinuoError(
      'NOT_CONFIGURED',
      `sharing to ${where} is not configured on this server; download the MIDI from the composition's files meanwhile`,
      { target: input.target },
    );
  }
}

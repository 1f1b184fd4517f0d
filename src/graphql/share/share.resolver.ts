import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { ShareRecord } from '../../store/records.js';
import { Problem } from '../composition/composition.type.js';
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
  @Field(() => Int, { defaultValue: 0, description: "Which variation to publish, from 0 as in the composition's files and audio(format, variation)" })
  variation!: number;
  @Field({ nullable: true, description: 'DISCORD: the channel webhook URL (https://discord.com/api/webhooks/…); default the server\'s DISCORD_WEBHOOK_URL' })
  webhookUrl?: string;
}

@ObjectType({ description: 'A composition published somewhere' })
export class Share {
  @Field(() => ID) id!: string;
  @Field(() => ShareTargetEnum) target!: ShareTargetEnum;
  @Field(() => JobStatusEnum) status!: JobStatusEnum;
  @Field() title!: string;
  @Field(() => VisibilityEnum) visibility!: VisibilityEnum;
  @Field(() => Int, { description: 'The variation published, from 0' }) variation!: number;
  @Field({ nullable: true, description: 'Where it was published (the SoundCloud permalink)' }) url?: string;
  @Field({ nullable: true, description: 'The SoundCloud track URN' }) urn?: string;
  @Field(() => Problem, { nullable: true }) error?: Problem;
  @Field() createdAt!: string;

  static from(r: ShareRecord): Share {
    return Object.assign(new Share(), {
      id: r.id,
      target: r.target as ShareTargetEnum,
      status: r.status as JobStatusEnum,
      title: r.title,
      visibility: r.visibility as VisibilityEnum,
      variation: r.variation ?? 0,
      url: typeof r.result?.permalinkUrl === 'string' ? r.result.permalinkUrl : undefined,
      urn: typeof r.result?.urn === 'string' ? r.result.urn : undefined,
      error: r.error ? Object.assign(new Problem(), r.error) : undefined,
      createdAt: r.createdAt,
    });
  }
}

@Resolver(() => Share)
export class ShareResolver {
  @Query(() => [ShareTargetEnum], {
    description: 'Where this server can publish without a webhook from the caller: SOUNDCLOUD once its app is set up, DISCORD with a default channel webhook (DISCORD_WEBHOOK_URL)',
  })
  shareTargets(@Ctx() ctx: Context): ShareTargetEnum[] {
    requireKey(ctx);
    return ctx.services.shares.targets() as ShareTargetEnum[];
  }

  @Mutation(() => Share, { description: "Publish a composition to SoundCloud or to a Discord channel (target); follow it on the composition's shares" })
  async share(@Arg('input', () => ShareInput) input: ShareInput, @Ctx() ctx: Context): Promise<Share> {
    return Share.from(await ctx.services.shares.request(requireKey(ctx), input));
  }
}

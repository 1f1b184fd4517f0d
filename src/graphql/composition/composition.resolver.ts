import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { InvalidInputError } from '../../errors.js';
import { parseBarRange } from '../../music/melody.js';
import { compositionTopic } from '../../services/composition.service.js';
import { compositionUpdates } from '../../services/composition-updates.js';
import type { CompositionRecord } from '../../store/records.js';
import { decodeBase64 } from '../base64.js';
import { pageComplexity, RENDER_COMPLEXITY } from '../complexity.js';
import { requireKey, type Context } from '../context.js';
import { Share } from '../share/share.resolver.js';
import { ComposeInput } from './compose.input.js';
import { AudioFormatEnum, Composition, CompositionConnection, CompositionFile, ImageFormatEnum, PageInfo } from './composition.type.js';

@Resolver(() => Composition)
export class CompositionResolver {
  @Mutation(() => Composition, { description: 'Queue a composition; watch it with compositionUpdated or poll composition(id)' })
  async compose(@Arg('input', () => ComposeInput) input: ComposeInput, @Ctx() ctx: Context): Promise<Composition> {
    const key = requireKey(ctx);
    if (input.publish) {
      ctx.services.shares.checkPossible(input.publish);
      const variations = input.variations ?? 1;
      if (!Number.isInteger(input.publish.variation) || input.publish.variation < 0 || input.publish.variation >= variations) {
        throw new InvalidInputError(`publish.variation must be from 0 to ${variations - 1} (this composition makes ${variations} variation${variations === 1 ? '' : 's'}), got ${input.publish.variation}`, { field: 'publish.variation' });
      }
    }
    const midiTrack = input.midiTrack === undefined ? undefined : /^\d+$/.test(input.midiTrack) ? Number(input.midiTrack) : input.midiTrack;
    const record = await ctx.services.compositions.request(key, {
      melody: {
        midi: input.midiBase64 === undefined ? undefined : decodeBase64(input.midiBase64, 'midiBase64'),
        midiTrack,
        notation: input.notation,
        abc: input.abc,
        sampleId: input.sampleId,
        bars: input.bars === undefined ? undefined : parseBarRange(input.bars),
      },
      modelId: input.modelId,
      seed: input.seed,
      variations: input.variations,
      keepMelody: input.keepMelody,
      threshold: input.threshold,
      density: input.density,
      temperature: input.temperature,
      tempo: input.tempo,
      chords: input.chords,
      key: input.key,
      formats: input.formats,
      publish: input.publish && { ...input.publish },
    });
    return Composition.from(record, ctx.services.fileUrl);
  }

  @Query(() => Composition, { nullable: true })
  async composition(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Composition> {
    return Composition.from(await ctx.services.compositions.get(requireKey(ctx), id), ctx.services.fileUrl);
  }

  @Query(() => CompositionConnection, { description: "The caller's compositions, newest first", complexity: pageComplexity })
  async compositions(
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<CompositionConnection> {
    const page = await ctx.services.compositions.list(requireKey(ctx), { first, after });
    return Object.assign(new CompositionConnection(), {
      nodes: page.items.map((r) => Composition.from(r, ctx.services.fileUrl)),
      pageInfo: Object.assign(new PageInfo(), { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor }),
      totalCount: page.totalCount,
    });
  }

  @FieldResolver(() => CompositionFile, { description: 'A variation as audio: rendered on first request (or by the job, for the formats asked for), then kept', complexity: RENDER_COMPLEXITY })
  async audio(
    @Root() composition: Composition,
    @Arg('format', () => AudioFormatEnum) format: AudioFormatEnum,
    @Arg('variation', () => Int, { defaultValue: 0, description: 'Which variation (0-based, as CompositionFile.variation)' }) variation: number,
    @Ctx() ctx: Context,
  ): Promise<CompositionFile> {
    const file = await ctx.services.compositions.file(requireKey(ctx), composition.id, format, variation);
    return CompositionFile.from(file, composition.id, ctx.services.fileUrl);
  }

  @FieldResolver(() => CompositionFile, { description: 'Piano-roll picture of a variation (tracks in colours, bar lines)', complexity: RENDER_COMPLEXITY })
  async pianoRoll(
    @Root() composition: Composition,
    @Arg('format', () => ImageFormatEnum, { defaultValue: ImageFormatEnum.SVG }) format: ImageFormatEnum,
    @Arg('variation', () => Int, { defaultValue: 0, description: 'Which variation (0-based, as CompositionFile.variation)' }) variation: number,
    @Ctx() ctx: Context,
  ): Promise<CompositionFile> {
    const file = await ctx.services.compositions.file(requireKey(ctx), composition.id, format, variation);
    return CompositionFile.from(file, composition.id, ctx.services.fileUrl);
  }

  @FieldResolver(() => [Share], { description: 'Where this composition was published' })
  async shares(@Root() composition: Composition, @Ctx() ctx: Context): Promise<Share[]> {
    await ctx.services.compositions.get(requireKey(ctx), composition.id);
    return (await ctx.services.shares.list(composition.id)).map((r) => Share.from(r));
  }

  @Mutation(() => Boolean)
  deleteComposition(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.compositions.delete(requireKey(ctx), id);
  }

  @Subscription(() => Composition, {
    description: 'The composition now and at every change of status, until it is done or failed',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const id = String(args.id);
      return compositionUpdates(() => ctx.services.compositions.get(requireKey(ctx), id), ctx.services.compositionEvents, compositionTopic(id), ctx.signal);
    },
  })
  compositionUpdated(@Arg('id', () => ID) _id: string, @Root() record: CompositionRecord, @Ctx() ctx: Context): Composition {
    return Composition.from(record, ctx.services.fileUrl);
  }
}

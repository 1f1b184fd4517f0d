import { Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { SAMPLE_MELODIES } from '../../music/samples.js';

@ObjectType({ description: 'A public-domain melody to try the models with' })
export class SampleMelody {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field({ description: 'The melody in Continuo note-list notation' }) notation!: string;
}

@Resolver(() => SampleMelody)
export class SampleMelodyResolver {
  @Query(() => [SampleMelody])
  sampleMelodies(): SampleMelody[] {
    return SAMPLE_MELODIES.map((s) => Object.assign(new SampleMelody(), s));
  }
}

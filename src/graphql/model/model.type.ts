import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { ModelCard } from '../../inference/model-card.js';
import { JSONObject } from '../scalars.js';

@ObjectType({ description: 'An instrument track a model writes' })
export class ModelTrack {
  @Field() name!: string;
  @Field(() => Int, { description: 'General MIDI program' }) program!: number;
  @Field() isDrum!: boolean;
  @Field({ description: 'melody or accompaniment' }) role!: string;
}

@ObjectType({ description: 'A genre model that accompanies melodies' })
export class Model {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() genre!: string;
  @Field() description!: string;
  @Field(() => [ModelTrack]) tracks!: ModelTrack[];
  @Field(() => Int, { description: 'Lowest MIDI pitch it writes' }) pitchLow!: number;
  @Field(() => Int, { description: 'Highest MIDI pitch it writes' }) pitchHigh!: number;
  @Field(() => Int) barsPerWindow!: number;
  @Field(() => Float) tempoDefault!: number;
  @Field() trainingDataset!: string;
  @Field(() => Int) trainingIterations!: number;
  @Field(() => JSONObject, { description: 'Hyper-parameters of its training run' }) hyperParameters!: Record<string, unknown>;
  @Field(() => JSONObject, { nullable: true, description: 'Metrics of generated vs real held-out music' })
  metrics?: Record<string, unknown> | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Accuracy of a classifier trained to tell its output from real held-out music: 0.5 = indistinguishable, 1 = always told apart',
  })
  realOrGeneratedAccuracy?: number | null;
  @Field(() => String, { nullable: true, description: 'Terms of the training data the model carries' })
  license?: string | null;
  @Field({ description: 'Trained through the API by the calling key: it is yours, and only you see it unless published' }) owned!: boolean;
  @Field({ description: 'Every key can use it: shipped, trained on the command line, or published by its owner (publishModel)' }) published!: boolean;

  /** The card as `keyId` sees it (undefined: a caller without a key). */
  static from(card: ModelCard, keyId?: string): Model {
    return Object.assign(new Model(), {
      id: card.id,
      name: card.name,
      genre: card.genre,
      description: card.description,
      tracks: card.tracks.map((t) => Object.assign(new ModelTrack(), t)),
      pitchLow: card.pitchLow,
      pitchHigh: card.pitchLow + card.pitchCount - 1,
      barsPerWindow: card.barsPerWindow,
      tempoDefault: card.tempoDefault,
      trainingDataset: card.training.dataset,
      trainingIterations: card.training.iterations,
      hyperParameters: card.training.hyperParameters,
      metrics: (card.metrics as Record<string, unknown> | undefined) ?? null,
      realOrGeneratedAccuracy: card.metrics?.realOrGenerated?.accuracy ?? null,
      license: card.license ?? null,
      owned: card.owner !== undefined && card.owner === keyId,
      published: card.owner === undefined || card.published === true,
    });
  }
}

import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { EventBus } from '../services/event-bus.js';
import { CompositionResolver } from './composition/composition.resolver.js';
import { ModelResolver } from './model/model.resolver.js';
import { nullAsAbsent } from './null-as-absent.js';
import { SampleMelodyResolver } from './sample/sample.resolver.js';
import { ShareResolver } from './share/share.resolver.js';
import { TrainingResolver } from './training/training.resolver.js';
import { TrainingSetResolver } from './training-set/training-set.resolver.js';

let schema: Promise<GraphQLSchema> | undefined;
const topics = new EventBus();

/** The schema, built once from the resolvers (it is emitted to schema.graphql by `npm run schema`). */
export function continuoSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: [ModelResolver, SampleMelodyResolver, CompositionResolver, TrainingResolver, TrainingSetResolver, ShareResolver],
    validate: false,
    emitSchemaFile: false,
    globalMiddlewares: [nullAsAbsent],
    // Subscriptions here bring their own `subscribe` (services' event buses, with owner checks);
    // type-graphql insists on a PubSub all the same, so topics go to an event bus of their own.
    pubSub: {
      publish: (topic: string, payload: unknown) => topics.publish(topic, payload),
      subscribe: (topic: string) => topics.subscribe(topic),
    },
  });
  return schema;
}

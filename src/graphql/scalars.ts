import { GraphQLJSONObject } from 'graphql-scalars';
import { registerEnumType } from 'type-graphql';

export { GraphQLJSONObject as JSONObject };

export enum JobStatusEnum {
  QUEUED = 'queued',
  RUNNING = 'running',
  DONE = 'done',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(JobStatusEnum, { name: 'JobStatus', description: 'Where a job (composition, training, share) stands' });

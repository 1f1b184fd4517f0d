import { MongoServerError } from 'mongodb';

/** E11000: an insert hit a unique index (`_id` or secretHash). */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** A record as MongoDB keeps it: the record id is the document `_id` (a string), with no `id` field. */
export type MongoDocument<R extends { readonly id: string }> = Omit<R, 'id'> & { _id: string };

export function toDocument<R extends { readonly id: string }>(record: R): MongoDocument<R> {
  const { id, ...rest } = record;
  return { _id: id, ...rest } as unknown as MongoDocument<R>;
}

/** Back to the record, so that `_id` never leaks into what the services see. */
export function toRecord<R extends { readonly id: string }>(document: MongoDocument<R>): R {
  const { _id, ...rest } = document;
  return { id: _id, ...rest } as unknown as R;
}

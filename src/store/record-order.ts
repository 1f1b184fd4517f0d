/** Sort orders shared by the adapters, so that both list records alike (ties broken by id). */
interface Ordered {
  readonly createdAt: string;
  readonly id: string;
}

export function oldestFirst(a: Ordered, b: Ordered): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function newestFirst(a: Ordered, b: Ordered): number {
  return oldestFirst(b, a);
}

import type { Pool } from 'pg';
import { ID_PATTERN } from '../new-id.js';
import type { RecordCollection, RecordKind } from '../record-collection.js';
import { applyPatch } from '../record-patch.js';
import { DuplicateRecordError } from '../store-errors.js';
import { inTransaction } from './postgres-transaction.js';

/** A table of one kind of record (postgres-migrations.ts): its name, and the columns copied from record fields. */
export interface RecordTableShape<T> {
  readonly name: string;
  /** Column name → the record field it holds; always the same value, rewritten with every change. */
  readonly columns: Readonly<Record<string, keyof T & string>>;
}

const UNIQUE_VIOLATION = '23505';

/** Sorts matching src/store/record-order.ts: by creation, ties broken by id (code-unit order, COLLATE "C"). */
export type RecordOrder = 'oldest first' | 'newest first';
const ORDER_BY: Record<RecordOrder, string> = { 'oldest first': 'created_at, id', 'newest first': 'created_at DESC, id DESC' };

/**
 * One kind of record in one PostgreSQL table: the whole record as JSON text, its queried fields in
 * columns. Repositories query it with SQL conditions on those columns (`$1`… for values).
 */
export class PostgresRecordTable<T extends { readonly id: string }> implements RecordCollection<T> {
  private readonly columnNames: readonly string[];

  constructor(
    private readonly pool: Pool,
    private readonly shape: RecordTableShape<T>,
    readonly kind: RecordKind<T>,
  ) {
    this.columnNames = Object.keys(shape.columns);
  }

  async insert(record: T): Promise<T> {
    const text = JSON.stringify(record);
    const names = ['id', ...this.columnNames, 'record'];
    const values = [record.id, ...this.columnValues(record), text];
    try {
      await this.pool.query(`INSERT INTO ${this.shape.name} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, values);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw this.duplicate(error);
      throw error;
    }
    return JSON.parse(text) as T;
  }

  async get(id: string): Promise<T | null> {
    // Ids are ours: anything else names no record (and never reaches the server).
    if (!ID_PATTERN.test(id)) return null;
    const { rows } = await this.pool.query<{ record: T }>(`SELECT record FROM ${this.shape.name} WHERE id = $1`, [id]);
    return rows[0]?.record ?? null;
  }

  patch(id: string, patch: object, updatedAt: string | null): Promise<T | null> {
    return this.change(id, (current) => applyPatch(current, patch, updatedAt));
  }

  /**
   * Replaces a record with `next(current)` while holding its row lock, so concurrent changes of one
   * record follow one another and none is lost; null when there is none.
   */
  async change(id: string, next: (current: T) => T): Promise<T | null> {
    if (!ID_PATTERN.test(id)) return null;
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ record: T }>(`SELECT record FROM ${this.shape.name} WHERE id = $1 FOR UPDATE`, [id]);
      const current = rows[0]?.record;
      if (!current) return null;
      const record = { ...next(current), id };
      const text = JSON.stringify(record);
      const sets = this.columnNames.map((name, i) => `${name} = $${i + 2}`);
      await client.query(`UPDATE ${this.shape.name} SET ${[...sets, `record = $${sets.length + 2}`].join(', ')} WHERE id = $1`, [
        id,
        ...this.columnValues(record),
        text,
      ]);
      return JSON.parse(text) as T;
    });
  }

  async remove(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.shape.name} WHERE id = $1`, [id]);
    return rowCount === 1;
  }

  /** Records matching an SQL condition, in order, at most `limit` of them. */
  async select(where: string, values: readonly unknown[], order: RecordOrder, limit?: number): Promise<T[]> {
    const limitClause = limit === undefined ? '' : ` LIMIT ${Math.floor(limit)}`;
    const { rows } = await this.pool.query<{ record: T }>(`SELECT record FROM ${this.shape.name} WHERE ${where} ORDER BY ${ORDER_BY[order]}${limitClause}`, [...values]);
    return rows.map((row) => row.record);
  }

  async count(where: string, values: readonly unknown[]): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(`SELECT count(*) AS count FROM ${this.shape.name} WHERE ${where}`, [...values]);
    return Number(rows[0]?.count ?? 0);
  }

  /** Removes the records matching an SQL condition in one statement; returns how many went. */
  async removeWhere(where: string, values: readonly unknown[]): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.shape.name} WHERE ${where}`, [...values]);
    return rowCount ?? 0;
  }

  private columnValues(record: T): unknown[] {
    return this.columnNames.map((name) => record[this.shape.columns[name]!]);
  }

  /** Names the unique field of the constraint the server reports (a UNIQUE column's is `<table>_<column>_key`). */
  private duplicate(error: unknown): DuplicateRecordError {
    const constraint = (error as { constraint?: string }).constraint;
    const column = this.columnNames.find((name) => constraint === `${this.shape.name}_${name}_key`);
    const field = column ? this.shape.columns[column] : undefined;
    const unique = this.kind.unique?.find((entry) => entry.field === field);
    return new DuplicateRecordError(this.kind.what, unique?.name ?? 'id');
  }
}

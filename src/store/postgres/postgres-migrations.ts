import type { PoolClient } from 'pg';
import type { Logger } from '../../logger.js';
import { StoreUnavailableError } from '../store-errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The schema, one step per version, applied in order and never edited once released (a change is a new
 * step). Records are kept whole as JSON text in `record` (the `json` type keeps it as written, so a get
 * returns exactly what was stored, as the other adapters do); the fields that queries filter or sort on
 * are copied into columns beside it. Ids sort by code unit (COLLATE "C"), as page cursors expect.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'records and files',
    sql: `
      CREATE TABLE compositions (
        id text COLLATE "C" PRIMARY KEY,
        owner_id text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        record json NOT NULL
      );
      CREATE INDEX compositions_owner_created ON compositions (owner_id, created_at DESC, id DESC);
      CREATE INDEX compositions_status_created ON compositions (status, created_at, id);

      CREATE TABLE jobs (
        id text COLLATE "C" PRIMARY KEY,
        type text NOT NULL,
        owner_id text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        record json NOT NULL
      );
      CREATE INDEX jobs_status_created ON jobs (status, created_at, id);
      CREATE INDEX jobs_owner_type_created ON jobs (owner_id, type, created_at);

      CREATE TABLE api_keys (
        id text COLLATE "C" PRIMARY KEY,
        secret_hash text NOT NULL CONSTRAINT api_keys_secret_hash_key UNIQUE,
        created_at timestamptz NOT NULL,
        record json NOT NULL
      );

      CREATE TABLE shares (
        id text COLLATE "C" PRIMARY KEY,
        composition_id text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        record json NOT NULL
      );
      CREATE INDEX shares_composition_created ON shares (composition_id, created_at, id);

      CREATE TABLE files (
        id text COLLATE "C" PRIMARY KEY,
        filename text NOT NULL,
        content_type text NOT NULL,
        bytes bigint NOT NULL,
        created_at timestamptz NOT NULL,
        data bytea NOT NULL
      );
      -- Uncompressed out-of-line storage: substring() then reads only the pages of the bytes asked
      -- for (ranges and streaming), and audio is compressed already.
      ALTER TABLE files ALTER COLUMN data SET STORAGE EXTERNAL;
      CREATE INDEX files_created ON files (created_at);
    `,
  },
  {
    version: 2,
    name: 'store identity',
    sql: `
      -- One id per schema, made when it is: servers on one job queue prefix must share it.
      CREATE TABLE continuo_store (key text PRIMARY KEY, value text NOT NULL);
      INSERT INTO continuo_store (key, value) VALUES ('id', md5(random()::text || clock_timestamp()::text));
    `,
  },
];

const MIGRATIONS_TABLE = 'continuo_migrations';

/**
 * Brings the schema (the first of the search path; `schema` is made if missing) up to the latest
 * version, in the caller's transaction. Servers and workers that start together take turns (an
 * advisory lock), each step and its entry in the migrations table commit together, and a schema that
 * a newer Continuo has migrated is refused rather than written in an older shape.
 */
export async function migrate(client: PoolClient, log: Logger, options: { schema?: string; migrations?: readonly Migration[] } = {}): Promise<number[]> {
  const { schema: ownSchema, migrations = MIGRATIONS } = options;
  await client.query("SELECT pg_advisory_xact_lock(hashtext('continuo.migrations'))");
  // Under the lock: two processes making the same schema at once would otherwise clash.
  if (ownSchema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${ownSchema}`);
  const { rows: schema } = await client.query<{ name: string | null }>('SELECT current_schema() AS name');
  if (!schema[0]?.name) {
    throw new StoreUnavailableError('the search path names no schema that exists; create one, or set search_path in DATABASE_URL (options=-c search_path=…)');
  }
  await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`);
  const applied = new Set(rows.map((row) => row.version));
  const latest = Math.max(0, ...migrations.map((migration) => migration.version));
  const newest = Math.max(0, ...applied);
  if (newest > latest) {
    throw new StoreUnavailableError(
      `schema ${schema[0].name} is at version ${newest}, made by a newer Continuo; this one knows versions up to ${latest} — upgrade Continuo, or use another database`,
    );
  }
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await client.query(migration.sql);
    await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    log.info({ schema: schema[0].name, version: migration.version, migration: migration.name }, 'migrated the PostgreSQL schema');
    done.push(migration.version);
  }
  return done;
}

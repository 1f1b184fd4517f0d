import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../src/store/postgres/postgres-url.js';

/**
 * Where tests look when DATABASE_URL is unset: this machine's PostgreSQL as its `postgres` user on the
 * socket (Debian's folder, then the default) or on port 5432, then as the login user (peer
 * authentication, a role named after them).
 */
const LOCAL_URLS = [
  'postgresql://postgres@/postgres?host=/var/run/postgresql',
  'postgresql://postgres@/postgres?host=/tmp',
  'postgresql://postgres@127.0.0.1:5432/postgres',
  'postgresql:///postgres?host=/var/run/postgresql',
];

/** `.ci/run` sets POSTGRES_TESTS=require: there a PostgreSQL that does not answer fails the tests instead of skipping them. */
export const postgresRequired = process.env.POSTGRES_TESTS === 'require';

export type FoundPostgres = { readonly url: string } | { readonly missing: string };

/** The PostgreSQL the tests use: the one at DATABASE_URL when it is set, else the first local one that answers. */
export async function findPostgres(env: NodeJS.ProcessEnv = process.env): Promise<FoundPostgres> {
  const candidates = env.DATABASE_URL ? [env.DATABASE_URL] : LOCAL_URLS;
  const failures: string[] = [];
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { url };
    } catch (error) {
      failures.push(`${redactUrl(url)}: ${(error as Error).message || String(error)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { missing: failures.join('; ') };
}

/** A schema name no other run uses. */
export function newTestSchema(): string {
  return `continuo_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one query on its own connection, in `schema`. */
export async function queryIn<R extends pg.QueryResultRow>(url: string, schema: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

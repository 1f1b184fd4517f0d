import pg from 'pg';
import { ContinuoError, UnavailableError } from '../../errors.js';
import { logger } from '../../logger.js';
import type { Store } from '../ports.js';
import { RECORD_KINDS } from '../record-kinds.js';
import { PostgresApiKeyRepository } from './postgres-api-key.repository.js';
import { PostgresCompositionRepository } from './postgres-composition.repository.js';
import { PostgresFileStorage } from './postgres-file.storage.js';
import { PostgresJobRepository } from './postgres-job.repository.js';
import { migrate } from './postgres-migrations.js';
import { PostgresRecordTable } from './postgres-record-table.js';
import { PostgresShareRepository } from './postgres-share.repository.js';
import { TABLES } from './postgres-tables.js';
import { inTransaction } from './postgres-transaction.js';
import { describeError, redactUrl, SCHEMA_PATTERN } from './postgres-url.js';

const log = logger.child({ module: 'store', adapter: 'postgresql' });

export interface PostgresStoreOptions {
  /** A schema of its own (made if missing), e.g. one per test run; default: the connection's search path (`public`). */
  readonly schema?: string;
  /** Connections in the pool; default 10. */
  readonly maxConnections?: number;
}

class PostgresStore implements Store {
  readonly kind = 'postgresql' as const;
  readonly compositions: PostgresCompositionRepository;
  readonly jobs: PostgresJobRepository;
  readonly apiKeys: PostgresApiKeyRepository;
  readonly shares: PostgresShareRepository;
  readonly files: PostgresFileStorage;
  private closing: Promise<void> | null = null;

  constructor(private readonly pool: pg.Pool) {
    this.compositions = new PostgresCompositionRepository(new PostgresRecordTable(pool, TABLES.compositions, RECORD_KINDS.compositions));
    this.jobs = new PostgresJobRepository(new PostgresRecordTable(pool, TABLES.jobs, RECORD_KINDS.jobs));
    this.apiKeys = new PostgresApiKeyRepository(new PostgresRecordTable(pool, TABLES.apiKeys, RECORD_KINDS.apiKeys));
    this.shares = new PostgresShareRepository(new PostgresRecordTable(pool, TABLES.shares, RECORD_KINDS.shares));
    this.files = new PostgresFileStorage(pool);
  }

  async ping(): Promise<boolean> {
    if (this.closing) return false;
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch (error) {
      log.warn({ err: error }, 'PostgreSQL ping failed');
      return false;
    }
  }

  async identity(): Promise<string> {
    const { rows } = await this.pool.query<{ value: string }>("SELECT value FROM continuo_store WHERE key = 'id'");
    return rows[0]!.value;
  }

  /** Waits for the queries under way, then closes every connection; twice is fine. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}

/**
 * The store on PostgreSQL (`DATABASE_URL`): a table per repository, files in the database too
 * (postgres-file.storage.ts says why). Connects and brings the schema up to date before returning, so
 * that a wrong URL or a database a newer Continuo migrated fails at start, not at the first request.
 */
export async function createPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_PATTERN.test(schema)) {
    throw new ContinuoError('INTERNAL', `the PostgreSQL schema name '${schema}' must be lower-case letters, digits and _ (up to 63)`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    application_name: 'continuo',
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection that breaks (a database restart) is dropped and replaced; without a listener it would end the process.
  pool.on('error', (error) => log.warn({ err: error }, 'an idle PostgreSQL connection failed; the next query opens another'));
  try {
    await inTransaction(pool, (client) => migrate(client, log, { schema }));
    log.info({ url: redactUrl(url), schema }, 'PostgreSQL store open');
    return new PostgresStore(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new UnavailableError(`cannot use PostgreSQL at ${redactUrl(url)}${schema ? ` (schema ${schema})` : ''}: ${describeError(error)}`, {
      url: redactUrl(url),
      ...(schema ? { schema } : {}),
    });
  }
}

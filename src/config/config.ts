import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { describeIssues, optionalText } from './env-values.js';
import { shippedModelsDir } from './paths.js';
import { loadSettings, type Settings } from './settings.js';

const optionalUrl = (schemes: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || schemes.some((s) => v.startsWith(`${s}://`)), `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);

/** `https://app.example.com:8443`: a scheme, a host and maybe a port, as a browser's Origin header has it. */
function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text.toLowerCase();
  } catch {
    return false;
  }
}

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** The environment the service reads, with defaults for a fresh machine (no database, queue or GPU). */
const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: int(4000, 0, 65535),
  /** Where links to files point; default http://HOST:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('data'),
  CONTINUO_MODELS_DIR: z.string().optional(),
  /** PostgreSQL for records and files (e.g. postgres://continuo:…@db/continuo); see README, Production. */
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  MONGODB_URI: optionalUrl(['mongodb', 'mongodb+srv']),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  /** Key prefix of the BullMQ queues in Redis (several deployments can share one Redis). */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('continuo'),
  /** Composition jobs per API key per period (DeepComposer gave 500 free). */
  QUOTA_COMPOSITIONS: int(500, 1, 10_000_000),
  QUOTA_PERIOD_DAYS: int(30, 1, 366),
  /** Finished job records are removed this long after they finished (compose jobs of the quota period stay). */
  JOB_RETENTION_DAYS: int(30, 1, 3660),
  /** Compositions one key may have queued or running at once; the next is RATE_LIMITED. */
  MAX_JOBS_IN_FLIGHT_PER_KEY: int(20, 1, 100_000),
  /**
   * Worker threads that compose (and read large melodies), each with its own TF.js backend; unset: one
   * per core (none with the tensorflow backend); 0: on the event loop.
   */
  INFERENCE_THREADS: optionalText.pipe(z.coerce.number<string | undefined>().int().min(0).max(256).optional()),
  /** Most windows of waiting compositions (of one model) one forward pass takes; 1: each composition alone. */
  INFERENCE_BATCH_WINDOWS: int(16, 1, 1024),
  /** Requests per API key (or address, before authentication) per minute. */
  RATE_LIMIT_PER_MINUTE: int(120, 1, 100_000),
  MAX_REQUEST_BYTES: int(2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
  MAX_QUERY_DEPTH: int(8, 2, 50),
  MAX_QUERY_COMPLEXITY: int(500, 10, 100_000),
  /** When set, GET /metrics needs "Authorization: Bearer <METRICS_KEY>". */
  METRICS_KEY: z.string().trim().min(16, 'must be at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
  /**
   * Origins (scheme://host[:port], comma-separated) whose pages may call /graphql and /files from a
   * browser; none by default: only pages the server itself serves.
   */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean))
    .refine((list) => list.every(isOrigin), 'must be origins such as https://app.example.com, separated by commas (no paths, no *)'),
  /** Unset: info for serve, worker and bot; warn for the other commands (their output is what they print). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /**
   * `development` shows stack traces in error answers; anything else masks them. `production` also
   * turns off introspection and the GraphQL IDE at /graphql.
   */
  NODE_ENV: z.string().optional(),
});

/** Every setting, checked: the server's here, the machine's and the integrations' in Settings. */
export interface Config extends Settings {
  readonly host: string;
  readonly port: number;
  readonly publicUrl?: string;
  readonly dataDir: string;
  readonly modelsDir: string;
  /** Records and files in PostgreSQL; at most one of this and `mongodbUri`; neither: the embedded store under dataDir. */
  readonly databaseUrl?: string;
  readonly mongodbUri?: string;
  readonly redisUrl?: string;
  readonly queuePrefix: string;
  readonly quota: { readonly compositions: number; readonly periodDays: number; readonly inFlightPerKey: number };
  readonly jobRetentionDays: number;
  /** Inference threads (`threads` unset: one per core) and the windows one batched pass may take. */
  readonly inference: { readonly threads?: number; readonly batchWindows: number };
  readonly rateLimitPerMinute: number;
  readonly maxRequestBytes: number;
  readonly maxQueryDepth: number;
  readonly maxQueryComplexity: number;
  /** Unset: the entry point's default (see LOG_LEVEL). */
  readonly logLevel?: string;
  readonly metricsKey?: string;
  /** Origins allowed to call the API from a browser (CORS); empty: same origin only. */
  readonly corsOrigins: readonly string[];
  /** NODE_ENV=production: no introspection, no GraphQL IDE. */
  readonly production: boolean;
  /** NODE_ENV=development: error answers carry stack traces (they name the server's files). */
  readonly development: boolean;
}

export { ConfigError };

/** Settings whose values a message never quotes. */
const SECRETS: ReadonlySet<string> = new Set(['METRICS_KEY']);

/** Parses and validates the environment once at start-up; a bad value stops with one clear line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${describeIssues(parsed.error.issues, env, SECRETS)}`);
  }
  const e = parsed.data;
  const settings = loadSettings(env, resolve(e.DATA_DIR));
  if (e.DATABASE_URL && e.MONGODB_URI) {
    throw new ConfigError(
      'invalid configuration: DATABASE_URL and MONGODB_URI are both set, but records and files go to one database — unset MONGODB_URI to use PostgreSQL, or DATABASE_URL to use MongoDB',
    );
  }
  return {
    ...settings,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir: resolve(e.DATA_DIR),
    modelsDir: e.CONTINUO_MODELS_DIR ? resolve(e.CONTINUO_MODELS_DIR) : shippedModelsDir(),
    databaseUrl: e.DATABASE_URL,
    mongodbUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    quota: { compositions: e.QUOTA_COMPOSITIONS, periodDays: e.QUOTA_PERIOD_DAYS, inFlightPerKey: e.MAX_JOBS_IN_FLIGHT_PER_KEY },
    jobRetentionDays: e.JOB_RETENTION_DAYS,
    inference: { ...(e.INFERENCE_THREADS !== undefined ? { threads: e.INFERENCE_THREADS } : {}), batchWindows: e.INFERENCE_BATCH_WINDOWS },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    maxQueryDepth: e.MAX_QUERY_DEPTH,
    maxQueryComplexity: e.MAX_QUERY_COMPLEXITY,
    logLevel: e.LOG_LEVEL,
    metricsKey: e.METRICS_KEY,
    corsOrigins: e.CORS_ORIGINS.map((o) => o.toLowerCase()),
    production: e.NODE_ENV === 'production',
    development: e.NODE_ENV === 'development',
  };
}

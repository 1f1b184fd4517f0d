import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ContinuoError } from '../../errors.js';

export const DEFAULT_REDIRECT_PORT = 8975;
export const DEFAULT_API_URL = 'https://api.soundcloud.com';
export const DEFAULT_AUTH_URL = 'https://secure.soundcloud.com';
export const TOKEN_FILE_NAME = 'soundcloud-tokens.json';

/** Variables without which nothing can be uploaded; the others have defaults. */
export const REQUIRED_SOUNDCLOUD_VARIABLES = ['SOUNDCLOUD_CLIENT_ID', 'SOUNDCLOUD_CLIENT_SECRET', 'SOUNDCLOUD_TOKEN_KEY'] as const;

export interface SoundCloudConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectPort: number;
  /** Must equal the redirect URI registered with the SoundCloud app, character for character. */
  readonly redirectUri: string;
  /** 32 bytes for AES-256-GCM; never logged. */
  readonly tokenKey: Buffer;
  readonly apiUrl: string;
  readonly authUrl: string;
  readonly tokenFile: string;
}

const KEY_HINT = 'make one with `openssl rand -base64 32`';

/** 64 hex digits or base64/base64url of exactly 32 bytes. */
export function parseTokenKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(v) || /^[A-Za-z0-9_-]{43}$/.test(v)) {
    const key = Buffer.from(v, v.includes('-') || v.includes('_') ? 'base64url' : 'base64');
    return key.length === 32 ? key : undefined;
  }
  return undefined;
}

const baseUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : fallback))
    .refine((v) => /^https?:\/\/[^/\s]+(\/\S*)?$/.test(v), 'must be an http:// or https:// address')
    .transform((v) => v.replace(/\/+$/, ''));

const envSchema = z.object({
  SOUNDCLOUD_CLIENT_ID: z.string().trim().min(1),
  SOUNDCLOUD_CLIENT_SECRET: z.string().trim().min(1),
  SOUNDCLOUD_TOKEN_KEY: z
    .string()
    .transform((v, ctx) => {
      const key = parseTokenKey(v);
      if (!key) ctx.addIssue({ code: 'custom', message: `must be 32 bytes written as 64 hex digits or base64; ${KEY_HINT}` });
      return key ?? Buffer.alloc(0);
    }),
  SOUNDCLOUD_REDIRECT_PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_REDIRECT_PORT),
  SOUNDCLOUD_API_URL: baseUrl(DEFAULT_API_URL),
  SOUNDCLOUD_AUTH_URL: baseUrl(DEFAULT_AUTH_URL),
  DATA_DIR: z.string().default('data'),
});

/** The required variables that are unset or blank. */
export function missingSoundCloudVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  return REQUIRED_SOUNDCLOUD_VARIABLES.filter((name) => !env[name]?.trim());
}

/** Whether this server can talk to SoundCloud at all (values are checked by `loadSoundCloudConfig`). */
export function isSoundCloudConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return missingSoundCloudVariables(env).length === 0;
}

export function soundCloudNotConfigured(missing: readonly string[]): ContinuoError {
  return new ContinuoError(
    'NOT_CONFIGURED',
    `SoundCloud is not configured: set ${missing.join(', ')} ` +
      `(client id and secret come from the app registered at https://soundcloud.com/you/apps; SOUNDCLOUD_TOKEN_KEY encrypts the stored tokens, ${KEY_HINT})`,
    { missing: [...missing] },
  );
}

/**
 * Parses the SoundCloud settings once. Missing settings give NOT_CONFIGURED naming them; a bad value
 * names the variable and what it must look like, never the value itself (they are secrets).
 */
export function loadSoundCloudConfig(env: NodeJS.ProcessEnv = process.env, options: { dataDir?: string } = {}): SoundCloudConfig {
  const missing = missingSoundCloudVariables(env);
  if (missing.length > 0) throw soundCloudNotConfigured(missing);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ContinuoError('NOT_CONFIGURED', `invalid SoundCloud configuration: ${lines.join('; ')}`, {
      invalid: parsed.error.issues.map((i) => String(i.path[0])),
    });
  }
  const e = parsed.data;
  const dataDir = resolve(options.dataDir ?? e.DATA_DIR);
  return {
    clientId: e.SOUNDCLOUD_CLIENT_ID,
    clientSecret: e.SOUNDCLOUD_CLIENT_SECRET,
    redirectPort: e.SOUNDCLOUD_REDIRECT_PORT,
    redirectUri: `http://127.0.0.1:${e.SOUNDCLOUD_REDIRECT_PORT}/callback`,
    tokenKey: e.SOUNDCLOUD_TOKEN_KEY,
    apiUrl: e.SOUNDCLOUD_API_URL,
    authUrl: e.SOUNDCLOUD_AUTH_URL,
    tokenFile: join(dataDir, TOKEN_FILE_NAME),
  };
}

import { join } from 'node:path';
import { z } from 'zod';
import { ContinuoError } from '../errors.js';
import type { SoundCloudConfig } from '../integrations/soundcloud/soundcloud-config.js';
import { baseUrl, optionalText, type Together, type ValuesOf } from './env-values.js';

const DEFAULT_REDIRECT_PORT = 8975;
const TOKEN_FILE_NAME = 'soundcloud-tokens.json';
const KEY_HINT = 'make one with `openssl rand -base64 32`';

/** Without these nothing can be uploaded; the other SoundCloud settings have defaults. */
const REQUIRED = ['SOUNDCLOUD_CLIENT_ID', 'SOUNDCLOUD_CLIENT_SECRET', 'SOUNDCLOUD_TOKEN_KEY'] as const;

export const soundCloudSecrets: readonly string[] = ['SOUNDCLOUD_CLIENT_SECRET', 'SOUNDCLOUD_TOKEN_KEY'];

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

export const soundCloudVariables = {
  SOUNDCLOUD_CLIENT_ID: optionalText,
  SOUNDCLOUD_CLIENT_SECRET: optionalText,
  SOUNDCLOUD_TOKEN_KEY: optionalText.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const key = parseTokenKey(v);
    if (!key) ctx.addIssue({ code: 'custom', message: `must be 32 bytes written as 64 hex digits or base64; ${KEY_HINT}` });
    return key;
  }),
  SOUNDCLOUD_REDIRECT_PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_REDIRECT_PORT),
  SOUNDCLOUD_API_URL: baseUrl('https://api.soundcloud.com'),
  SOUNDCLOUD_AUTH_URL: baseUrl('https://secure.soundcloud.com'),
};

export const soundCloudTogether: Together = { names: REQUIRED, purpose: 'SoundCloud' };

/** The SoundCloud client's settings, or undefined where SoundCloud is not set up. */
export function soundCloudSettings(e: ValuesOf<typeof soundCloudVariables>, dataDir: string): SoundCloudConfig | undefined {
  if (!e.SOUNDCLOUD_CLIENT_ID || !e.SOUNDCLOUD_CLIENT_SECRET || !e.SOUNDCLOUD_TOKEN_KEY) return undefined;
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

/** What a share to SoundCloud, or `continuo soundcloud`, answers on a server where it is not set up. */
export function soundCloudNotConfigured(): ContinuoError {
  return new ContinuoError(
    'NOT_CONFIGURED',
    `SoundCloud is not configured: set ${REQUIRED.join(', ')} ` +
      `(client id and secret come from the app registered at https://soundcloud.com/you/apps; SOUNDCLOUD_TOKEN_KEY encrypts the stored tokens, ${KEY_HINT})`,
    { missing: [...REQUIRED] },
  );
}

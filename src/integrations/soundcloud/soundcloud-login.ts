import { logger } from '../../logger.js';
import { createPkcePair, createState } from './pkce.js';
import { startRedirectReceiver } from './redirect-receiver.js';
import type { SoundCloudAccount, SoundCloudApi } from './soundcloud-api.js';
import type { SoundCloudOAuth } from './soundcloud-oauth.js';
import type { TokenProvider } from './token-provider.js';

const log = logger.child({ module: 'soundcloud' });

export interface LoginOptions {
  /** Shows the consent page's address to the person (the CLI prints it; tests drive a fake browser). */
  readonly onAuthorizeUrl: (url: string) => void | Promise<void>;
  /** How long to wait for the browser; default 5 minutes. */
  readonly timeoutMs?: number;
}

export interface LoginParts {
  readonly oauth: SoundCloudOAuth;
  readonly tokens: TokenProvider;
  readonly api: SoundCloudApi;
  readonly redirectPort: number;
}

/**
 * The one-time browser login (OAuth 2.1 authorization code + PKCE S256): listen for the redirect first,
 * then show the consent address, trade the code for tokens, store them, and read the account back.
 */
export async function loginWithBrowser(parts: LoginParts, options: LoginOptions): Promise<SoundCloudAccount> {
  const pkce = createPkcePair();
  const state = createState();
  const receiver = await startRedirectReceiver({ port: parts.redirectPort, expectedState: state, timeoutMs: options.timeoutMs });
  let code: string;
  try {
    await options.onAuthorizeUrl(parts.oauth.authorizeUrl(pkce, state));
    code = await receiver.code;
  } finally {
    await receiver.close();
  }
  await parts.tokens.replace(await parts.oauth.exchangeCode(code, pkce.verifier));
  const account = await parts.api.me();
  log.info({ account: account.urn }, 'logged in to SoundCloud');
  return account;
}

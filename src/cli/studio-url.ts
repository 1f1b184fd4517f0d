import type { Config } from '../config/config.js';

/**
 * The studio's address with the key in the fragment (`#key=…`): a browser never sends a fragment to
 * the server, and the page moves the key into its own storage and out of the address bar.
 */
export function studioUrl(base: string, key: string | undefined): string {
  return key ? `${base}/#key=${encodeURIComponent(key)}` : `${base}/`;
}

/** Where this machine reaches the configured server: a wildcard address is reached on loopback. */
export function localBase(config: Pick<Config, 'host' | 'port'>): string {
  const host = config.host === '0.0.0.0' || config.host === '' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

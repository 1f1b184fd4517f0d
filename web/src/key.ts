const STORAGE = 'continuo.apiKey';

/**
 * The API key: taken from the URL fragment (`#key=…`, which `continuo serve` prints and which never
 * reaches a server), kept in localStorage, or pasted by the user. The fragment is removed from the
 * address bar once read, so that it is not left in the history or a screenshot.
 */
export function keyFromFragment(): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const key = params.get('key')?.trim();
  if (!key) return null;
  params.delete('key');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return key;
}

export function storedKey(): string | null {
  try {
    return localStorage.getItem(STORAGE);
  } catch {
    return null;
  }
}

export function storeKey(key: string | null): void {
  try {
    if (key) localStorage.setItem(STORAGE, key);
    else localStorage.removeItem(STORAGE);
  } catch {
    // Storage refused (private mode): the key lasts for this page only.
  }
}

import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636, S256). The verifier stays in this process; only the challenge travels. */
export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256';
}

/** 64 random bytes give an 86-character base64url verifier: inside the 43–128 range, unreserved characters only. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state` that ties the browser's redirect to this login (CSRF protection). */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}

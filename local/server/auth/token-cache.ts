// A verified token's claims, kept until the token expires: a client sends the same token with every request, and
// checking its RS256 signature each time is most of the CPU an authorised request costs. Only successful
// verifications are kept, never longer than the claims say the token is valid, and the cache is bounded.
import type { CognitoClaims } from './cognito-jwt';

export interface TokenCacheOptions {
  /** Tokens kept at most; the oldest entry goes first. */
  maxEntries?: number;
  /** The longest a token is accepted after it was issued (iat), in seconds, as the verifier enforces it. */
  maxTokenAgeSeconds?: number;
  now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const ONE_DAY_SECONDS = 24 * 60 * 60;

export function cachedVerifier(
  verify: (token: string) => Promise<CognitoClaims>,
  options: TokenCacheOptions = {},
): (token: string) => Promise<CognitoClaims> {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxAge = options.maxTokenAgeSeconds ?? ONE_DAY_SECONDS;
  const now = options.now ?? Date.now;
  const verified = new Map<string, { claims: CognitoClaims; validUntil: number }>();

  return async (token) => {
    const known = verified.get(token);
    if (known) {
      if (now() < known.validUntil) return known.claims;
      // Expired: the verifier gives the same refusal it would give any expired token.
      verified.delete(token);
    }
    const claims = await verify(token);
    // Shared by every request that carries the token: nothing may change it.
    deepFreeze(claims);
    const validUntil = Math.min(claims.exp, claims.iat + maxAge) * 1000;
    if (typeof token === 'string' && Number.isFinite(validUntil) && now() < validUntil) {
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
      verified.set(token, { claims, validUntil });
    }
    return claims;
  };
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

// A user pool's signing keys, fetched from its JWKS URL on first use, as AppSync fetches them. jose's
// createRemoteJWKSet would do this through fetch, and loading Node's fetch (undici) took 60 ms of every start before
// the first signed-in answer; the data sources' node:http client (outbound.ts) is loaded already. The keys are jose's
// own local key set, and the policy is createRemoteJWKSet's: kept for ten minutes, fetched again for a key id they
// lack at most every 30 s (rotation).
import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { NoAnswerError, send, type OutboundResponse } from '../datasources/outbound';

const MAX_AGE_MS = 10 * 60_000;
const COOLDOWN_MS = 30_000;

export interface PoolKeysOptions {
  /** The clock the ten minutes and 30 s are counted on (default Date.now). */
  now?: () => number;
  /** How long the JWKS URL has to answer (createRemoteJWKSet's 5 s by default). */
  timeoutMs?: number;
}

export function poolKeys(url: URL, { now = Date.now, timeoutMs = 5_000 }: PoolKeysOptions = {}): JWTVerifyGetKey {
  let keys: JWTVerifyGetKey | undefined;
  let fetchedAt = -Infinity;
  let pending: Promise<void> | undefined;
  const reload = () =>
    (pending ??= fetchKeySet(url, timeoutMs)
      .then((jwks) => {
        keys = createLocalJWKSet(jwks);
        fetchedAt = now();
      })
      .finally(() => {
        pending = undefined;
      }));

  return async (header, token) => {
    if (!keys || now() - fetchedAt >= MAX_AGE_MS) await reload();
    try {
      return await keys!(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || now() - fetchedAt < COOLDOWN_MS) throw error;
      await reload();
      return keys!(header, token);
    }
  };
}

/** The key set at `url`; a failure (no answer in time, not 200, not JSON) rejects with why. */
async function fetchKeySet(url: URL, timeoutMs: number): Promise<JSONWebKeySet> {
  let answer: OutboundResponse;
  try {
    answer = await send({ url, method: 'GET', headers: { accept: 'application/json' }, timeoutMs });
  } catch (error) {
    throw error instanceof NoAnswerError ? new joseErrors.JWKSTimeout() : error;
  }
  if (answer.status !== 200) throw new Error(`the JWKS URL answered HTTP ${answer.status}`);
  try {
    return JSON.parse(answer.body) as JSONWebKeySet;
  } catch {
    throw new joseErrors.JWKSInvalid('the JWKS is not JSON');
  }
}

// A user pool's signing keys, fetched from its JWKS URL on first use, as AppSync fetches them. jose's
// createRemoteJWKSet would do this through fetch, and loading Node's fetch (undici) took 60 ms of every start before
// the first signed-in answer; node:http is loaded already. The keys are jose's own local key set, and the policy is
// createRemoteJWKSet's: kept for ten minutes, fetched again for a key id they lack at most every 30 s (rotation).
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

const MAX_AGE_MS = 10 * 60_000;
const COOLDOWN_MS = 30_000;
const MAX_BYTES = 1024 * 1024;

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

/** The JSON at `url`; a failure (no answer in time, not 200, not JSON) rejects with why. */
function fetchKeySet(url: URL, timeoutMs: number): Promise<JSONWebKeySet> {
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'application/json' }, timeout: timeoutMs }, (response) => {
      readJson(response).then(resolve, reject);
    });
    request.on('timeout', () => request.destroy(new joseErrors.JWKSTimeout()));
    request.on('error', reject);
  });
}

async function readJson(response: IncomingMessage): Promise<JSONWebKeySet> {
  if (response.statusCode !== 200) {
    response.resume();
    throw new Error(`the JWKS URL answered HTTP ${response.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES) throw new Error(`the JWKS is over ${MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as JSONWebKeySet;
  } catch {
    throw new joseErrors.JWKSInvalid('the JWKS is not JSON');
  }
}

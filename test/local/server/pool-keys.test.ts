// A user pool's keys come from its JWKS URL: fetched once and kept, fetched again for a key id they lack (no more
// than every 30 s, so tokens with made-up key ids cannot make the server hammer the pool), and after ten minutes:
// the policy of jose's createRemoteJWKSet, which they replace. A JWKS that cannot be had refuses every token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type CryptoKey } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { poolKeys } from '../../../local/server/auth/pool-keys';

interface PoolKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function poolKey(kid: string): Promise<PoolKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const tokenOf = (key: PoolKey) =>
  new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);

/** What the JWKS URL answers next: the keys, or a status and body of its own. */
let answer: { keys: PoolKey[] } | { status: number; body: string } | 'silence';
let fetches = 0;
let server: Server;
let url: URL;

beforeAll(async () => {
  server = createServer((request, response) => {
    fetches += 1;
    if (answer === 'silence') return;
    if ('keys' in answer) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: answer.keys.map((key) => key.jwk) }));
    } else {
      response.writeHead(answer.status, { 'content-type': 'text/plain' });
      response.end(answer.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/pool/.well-known/jwks.json`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let first: PoolKey;
let second: PoolKey;
let stranger: PoolKey;
let clock: number;
const now = () => clock;

beforeAll(async () => {
  [first, second, stranger] = await Promise.all([poolKey('first'), poolKey('second'), poolKey('stranger')]);
});

beforeEach(() => {
  fetches = 0;
  clock = 1_000_000;
  answer = { keys: [first] };
});

describe("a user pool's keys", () => {
  it('are fetched on the first verification and kept for the next ones', async () => {
    const keys = poolKeys(url, { now, timeoutMs: 300 });
    expect(fetches).toBe(0);
    for (let i = 0; i < 5; i++) expect((await jwtVerify(await tokenOf(first), keys)).payload.sub).toBe('alice');
    expect(fetches).toBe(1);
  });

  it('are fetched again after ten minutes', async () => {
    const keys = poolKeys(url, { now, timeoutMs: 300 });
    await jwtVerify(await tokenOf(first), keys);
    clock += 10 * 60_000 - 1;
    await jwtVerify(await tokenOf(first), keys);
    expect(fetches).toBe(1);
    clock += 1;
    await jwtVerify(await tokenOf(first), keys);
    expect(fetches).toBe(2);
  });

  it('are fetched again for a key id they lack, at most every 30 s: a rotated key is found', async () => {
    const keys = poolKeys(url, { now, timeoutMs: 300 });
    await jwtVerify(await tokenOf(first), keys);
    answer = { keys: [first, second] };
    // Within the cooldown: refused without asking the pool.
    await expect(jwtVerify(await tokenOf(second), keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(fetches).toBe(1);
    clock += 30_000;
    expect((await jwtVerify(await tokenOf(second), keys)).payload.sub).toBe('alice');
    expect(fetches).toBe(2);
    // A made-up key id right after: refused, and no fetch.
    await expect(jwtVerify(await tokenOf(stranger), keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(fetches).toBe(2);
  });

  it('fetch once for verifications that arrive together', async () => {
    const keys = poolKeys(url, { now, timeoutMs: 300 });
    const token = await tokenOf(first);
    await Promise.all(Array.from({ length: 10 }, () => jwtVerify(token, keys)));
    expect(fetches).toBe(1);
  });

  it('refuse every token when the JWKS URL does not answer 200, answers something else than a key set, or is silent', async () => {
    const token = await tokenOf(first);
    answer = { status: 503, body: 'unavailable' };
    await expect(jwtVerify(token, poolKeys(url, { now, timeoutMs: 300 }))).rejects.toThrow(/HTTP 503/);
    answer = { status: 200, body: 'not json' };
    await expect(jwtVerify(token, poolKeys(url, { now, timeoutMs: 300 }))).rejects.toBeInstanceOf(errors.JWKSInvalid);
    answer = { status: 200, body: '{"keys": "none"}' };
    await expect(jwtVerify(token, poolKeys(url, { now, timeoutMs: 300 }))).rejects.toBeInstanceOf(errors.JWKSInvalid);
    answer = 'silence';
    await expect(jwtVerify(token, poolKeys(url, { now, timeoutMs: 300 }))).rejects.toBeInstanceOf(errors.JWKSTimeout);
    // Once it answers again, the same key set recovers.
    const keys = poolKeys(url, { now, timeoutMs: 300 });
    answer = { status: 500, body: '' };
    await expect(jwtVerify(token, keys)).rejects.toThrow(/HTTP 500/);
    answer = { keys: [first] };
    expect((await jwtVerify(token, keys)).payload.sub).toBe('alice');
  });
});

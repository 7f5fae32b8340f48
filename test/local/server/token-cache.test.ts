// Verified tokens are remembered until they expire, and only then: the real verifier (RS256 against a JWKS served
// here) is counted, not replaced.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, createCognitoVerifier, type CognitoClaims } from '../../../local/server/auth/cognito-jwt';
import { cachedVerifier } from '../../../local/server/auth/token-cache';

const CLIENT_ID = 'client-1';
let server: http.Server;
let issuer: string;
let sign: (claims: Record<string, unknown>) => Promise<string>;
let verifications = 0;
let verify: (token: string) => Promise<CognitoClaims>;
// The clock the verifier and the caches read: a test moves it forward instead of waiting for a token to expire.
let clockOffsetMs = 0;
const now = () => Date.now() + clockOffsetMs;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
  const real = createCognitoVerifier({
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    clientIds: [CLIENT_ID],
    now,
  });
  verify = (token) => {
    verifications += 1;
    return real(token);
  };
  sign = (claims) => {
    const issued = Math.floor(Date.now() / 1000);
    return new SignJWT({
      token_use: 'id',
      aud: CLIENT_ID,
      'cognito:username': 'alice',
      iat: issued,
      exp: issued + 3600,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(issuer)
      .setSubject('sub-alice')
      .sign(privateKey);
  };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AuthError)) throw new Error(`not refused: ${String(error)}`);
  return error;
}

describe('cachedVerifier', () => {
  it('verifies a token once and answers later requests from memory', async () => {
    const cached = cachedVerifier(verify);
    const token = await sign({});
    const before = verifications;
    const first = await cached(token);
    const second = await cached(token);
    expect(verifications - before).toBe(1);
    expect(second).toBe(first);
    expect(first.sub).toBe('sub-alice');
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('asks the verifier again once the token has expired, which refuses it', async () => {
    const cached = cachedVerifier(verify, { now });
    const issued = Math.floor(Date.now() / 1000);
    const token = await sign({ iat: issued, exp: issued + 1 });
    await cached(token);
    const before = verifications;
    clockOffsetMs = 2100;
    try {
      expect((await refusal(cached(token))).reason).toBe('expired');
    } finally {
      clockOffsetMs = 0;
    }
    expect(verifications - before).toBe(1);
  });

  it('never keeps a refusal', async () => {
    const cached = cachedVerifier(verify);
    const forged = `${(await sign({})).slice(0, -4)}AAAA`;
    const before = verifications;
    expect((await refusal(cached(forged))).reason).toBe('bad_signature');
    expect((await refusal(cached(forged))).reason).toBe('bad_signature');
    expect(verifications - before).toBe(2);
  });

  it('keeps at most maxEntries tokens, dropping the oldest', async () => {
    const cached = cachedVerifier(verify, { maxEntries: 2 });
    const tokens = [await sign({ jti: '1' }), await sign({ jti: '2' }), await sign({ jti: '3' })];
    for (const token of tokens) await cached(token);
    const before = verifications;
    await cached(tokens[2]);
    await cached(tokens[1]);
    expect(verifications - before).toBe(0);
    await cached(tokens[0]);
    expect(verifications - before).toBe(1);
  });
});

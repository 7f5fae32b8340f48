// Tokens signed with the local pool's own private key (read from its data folder), each with one claim wrong: the
// signature verifies, so only a real check of that claim can refuse them. The first tests show that a re-signed token
// with unchanged claims is accepted, so every refusal below is the claim's doing. Local only: a deployed pool's key
// never leaves Cognito.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK, JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { cognitoFolder } from '../../../local/stores/cognito';
import { useLocalTarget } from '../helpers/fixture';
import { apiError } from '../helpers/notes';
import { claimsOf, nowInSeconds, rsaSignedToken } from '../helpers/tokens';
import { clientWithToken } from '../helpers/users';

/** The pool's signing keys as local/stores/cognito.ts keeps them: one private JWK for ID tokens, one for access. */
interface PoolKeys {
  id: JWK & { kid: string };
  access: JWK & { kid: string };
}

describe('tokens signed with the pool key', () => {
  const target = useLocalTarget({ temporaryDataDir: true });
  let keys: PoolKeys;

  beforeAll(async () => {
    const file = path.join(cognitoFolder(target().dataDir!), 'keys.json');
    keys = JSON.parse(await readFile(file, 'utf8')) as PoolKeys;
  });

  const idToken = (claims: JWTPayload) => rsaSignedToken(claims, keys.id, keys.id.kid);
  const accessToken = (claims: JWTPayload) => rsaSignedToken(claims, keys.access, keys.access.kid);

  async function expectRefused(token: string, message = 'Unable to parse JWT token.'): Promise<void> {
    const error = await apiError(clientWithToken(target().graphqlUrl, token).listNotes());
    expect(error.status).toBe(401);
    expect(error.errors).toEqual([{ errorType: 'UnauthorizedException', message }]);
  }

  it('accepts alice ID token re-signed with the pool key and unchanged claims', async () => {
    const { alice, graphqlUrl } = target();
    const note = await alice.client.createNote({ input: { content: 're-signed' } });
    const resigned = await idToken(claimsOf(alice.idToken));
    expect(await clientWithToken(graphqlUrl, resigned).getNote({ noteId: note.noteId })).toEqual(note);
  });

  it('accepts alice access token re-signed with the pool key and unchanged claims', async () => {
    const { alice, graphqlUrl } = target();
    const resigned = await accessToken(claimsOf(alice.accessToken));
    await expect(clientWithToken(graphqlUrl, resigned).listNotes({ limit: 1 })).resolves.toBeDefined();
  });

  it('refuses an ID token that expired a minute ago with "Token has expired."', async () => {
    const now = nowInSeconds();
    await expectRefused(
      await idToken({ ...claimsOf(target().alice.idToken), iat: now - 3660, auth_time: now - 3660, exp: now - 60 }),
      'Token has expired.',
    );
  });

  it('refuses an access token that expired a minute ago', async () => {
    const now = nowInSeconds();
    await expectRefused(
      await accessToken({ ...claimsOf(target().alice.accessToken), iat: now - 3660, exp: now - 60 }),
      'Token has expired.',
    );
  });

  it('refuses an ID token issued by another user pool', async () => {
    const claims = claimsOf(target().alice.idToken);
    const otherPool = String(claims.iss).replace(/[^/]+$/, 'us-east-1_SomeOther');
    expect(otherPool).not.toBe(claims.iss);
    await expectRefused(await idToken({ ...claims, iss: otherPool }));
  });

  it('refuses an ID token for another app client', async () => {
    await expectRefused(await idToken({ ...claimsOf(target().alice.idToken), aud: '1example23456789abcdefghij' }));
  });

  it('refuses an access token for another app client', async () => {
    const claims = claimsOf(target().alice.accessToken);
    await expectRefused(await accessToken({ ...claims, client_id: '1example23456789abcdefghij' }));
  });

  it('refuses a token whose token_use is neither id nor access', async () => {
    await expectRefused(await idToken({ ...claimsOf(target().alice.idToken), token_use: 'refresh' }));
  });

  it('refuses an ID token without an expiry', async () => {
    const claims = claimsOf(target().alice.idToken);
    delete claims.exp;
    await expectRefused(await idToken(claims));
  });
});

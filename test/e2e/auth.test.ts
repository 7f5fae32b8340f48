// User-pool authentication as AppSync applies it: the raw JWT from the Authorization header, verified (never merely
// decoded) before anything runs; every failure is HTTP 401 UnauthorizedException. Tokens forged without the pool's
// private key are refused here; tokens signed with the pool's own key but wrong claims are in
// local/pool-signed-tokens.test.ts (only the local pool's key is at hand).
import { describe, expect, it } from 'vitest';
import { CreateNoteDocument } from '../../client/src/operation-text.generated';
import { useTarget } from './helpers/fixture';
import { expectRequestRefused, postJson } from './helpers/http';
import { allNotes, apiError } from './helpers/notes';
import {
  claimsOf,
  foreignRsaKey,
  hmacSignedToken,
  keyIdOf,
  rsaSignedToken,
  unsignedToken,
  withAlteredSignature,
  withClaimsUnderOriginalSignature,
} from './helpers/tokens';
import { clientWithToken } from './helpers/users';

describe('user-pool authentication', () => {
  const target = useTarget();

  /** listNotes with `token` as the Authorization header, through the SDK; its error must be AppSync's 401. */
  async function expectRefused(token: string): Promise<void> {
    const error = await apiError(clientWithToken(target().graphqlUrl, token).listNotes());
    expect(error.status).toBe(401);
    expect(error.errors).toEqual([expect.objectContaining({ errorType: 'UnauthorizedException' })]);
  }

  it('accepts the ID token from sign-in', async () => {
    const { alice } = target();
    await expect(clientWithToken(target().graphqlUrl, alice.idToken).listNotes({ limit: 1 })).resolves.toBeDefined();
  });

  it('accepts the access token from sign-in', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'seen with either token' } });
    const viaAccessToken = clientWithToken(target().graphqlUrl, alice.accessToken);
    expect(await viaAccessToken.getNote({ noteId: note.noteId })).toEqual(note);
  });

  it('answers a request without an Authorization header with 401 UnauthorizedException', async () => {
    const response = await postJson(target().graphqlUrl, { query: '{ listNotes { nextToken } }' });
    expectRequestRefused(response, 401, 'UnauthorizedException');
  });

  it('refuses an empty Authorization header', async () => {
    await expectRefused('');
  });

  it('refuses a token that is not a JWT', async () => {
    await expectRefused('not-a-token');
  });

  it('refuses three dot-separated parts of garbage', async () => {
    await expectRefused('eyJub3QiOiJqc29uIn0.@@@.###');
  });

  it('refuses the ID token behind a Bearer prefix: AppSync takes the raw JWT', async () => {
    await expectRefused(`Bearer ${target().alice.idToken}`);
  });

  it('refuses the ID token with one bit of its signature flipped', async () => {
    await expectRefused(withAlteredSignature(target().alice.idToken));
  });

  it('refuses alice token rewritten to bob sub under the original signature', async () => {
    const { alice, bob } = target();
    const claims = { ...claimsOf(alice.idToken), sub: bob.sub };
    await expectRefused(withClaimsUnderOriginalSignature(alice.idToken, claims));
  });

  it('refuses alice token with a later expiry under the original signature', async () => {
    const { alice } = target();
    const claims = claimsOf(alice.idToken);
    await expectRefused(withClaimsUnderOriginalSignature(alice.idToken, { ...claims, exp: claims.exp! + 86_400 }));
  });

  it('refuses an unsigned token (alg none) carrying alice real claims', async () => {
    await expectRefused(unsignedToken(claimsOf(target().alice.idToken)));
  });

  it('refuses alice claims signed with a key outside the pool, naming the pool key id', async () => {
    const { alice } = target();
    await expectRefused(await rsaSignedToken(claimsOf(alice.idToken), await foreignRsaKey(), keyIdOf(alice.idToken)));
  });

  it('refuses alice claims signed HS256 with the pool public key as the secret', async () => {
    const { alice } = target();
    const jwksUrl = `${String(claimsOf(alice.idToken).iss)}/.well-known/jwks.json`;
    const jwks = await (await fetch(jwksUrl)).text();
    await expectRefused(await hmacSignedToken(claimsOf(alice.idToken), jwks, keyIdOf(alice.idToken)));
  });

  it('refuses an API key where the API takes only user-pool tokens', async () => {
    const response = await postJson(
      target().graphqlUrl,
      { query: '{ listNotes { nextToken } }' },
      { 'x-api-key': 'da2-notakeyofthisapi000000000' },
    );
    expectRequestRefused(response, 401, 'UnauthorizedException');
  });

  it('writes nothing for a mutation it refuses', async () => {
    const { alice } = target();
    const before = await allNotes(alice.client);
    const response = await postJson(
      target().graphqlUrl,
      { query: CreateNoteDocument.toString(), variables: { input: { content: 'forged' } } },
      { authorization: unsignedToken(claimsOf(alice.idToken)) },
    );
    expectRequestRefused(response, 401, 'UnauthorizedException');
    expect(await allNotes(alice.client)).toEqual(before);
  });
});

// The auth matrix: every operation of the notes API against every kind of credential an attacker can present. Each
// forged or misplaced credential must be refused before anything runs (HTTP 401 UnauthorizedException, AppSync's
// answer: /work/shared/appsync-conformance cases auth-valid-authorization-header-not-provided,
// auth-unable-to-parse-jwt-*, auth-token-expired-raw, auth-invalid-api-key-401); a valid user on the IAM-only
// publishNoteChange gets AppSync's field-level "Not Authorized to access publishNoteChange on type Mutation"
// (auth-field-not-authorized-*). The forged tokens carry alice's own claims, so one wrongly accepted would act as
// alice: at the end her note must be exactly as it was and nothing forged may be in her list. Control rows with her
// real tokens show that every refusal is the credential's doing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { JWK, JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
  claimsOf,
  foreignRsaKey,
  hmacSignedToken,
  keyIdOf,
  nowInSeconds,
  rsaSignedToken,
  unsignedToken,
  withClaimsUnderOriginalSignature,
} from '../e2e/helpers/tokens';
import { type Answer, bearer, body, dataOf, graphql, expectRefused } from './helpers/graphql';
import { ALICE, BOB, poolClient, signIn, type SignedInUser } from './helpers/pool';
import { OPERATIONS } from './helpers/notes';
import { notesOperations, type NotesOperation } from './helpers/notes-operations';
import { matrix } from './helpers/report';
import { removeDataDir, startServer, type ServerProcess } from './helpers/server';
import { signedAppSyncHeaders } from './helpers/sigv4';

/** A ULID no note has: control rows update and delete it to show the request got past authentication. */
const MISSING_NOTE_ID = '01J0000000000000000000000Z';

type Operation = NotesOperation;

interface Credential {
  name: string;
  /** The headers that carry the credential for a request with this body; null: no credential at all. */
  headers(body: string): Promise<Record<string, string>>;
}

describe('auth matrix: every operation × every credential', () => {
  let server: ServerProcess;
  let cognito: CognitoIdentityProviderClient;
  let alice: SignedInUser;
  let aliceNote: { noteId: string } & Record<string, unknown>;
  let poolKeys: { id: JWK & { kid: string }; access: JWK & { kid: string } };
  let foreignKey: JWK;
  let jwksText: string;

  const notes = OPERATIONS;
  const operations = notesOperations(() => ({ sub: alice.sub, note: aliceNote }));

  const token = (value: string) => async () => bearer(value);
  const poolSigned = (kind: 'id' | 'access', claims: JWTPayload) =>
    rsaSignedToken(claims, poolKeys[kind], poolKeys[kind].kid);

  const forged: Credential[] = [
    { name: 'no credential', headers: async () => ({}) },
    { name: 'an empty Authorization header', headers: token('') },
    { name: 'garbage in Authorization', headers: token('eyJub3QiOiJqc29uIn0.@@@.###') },
    { name: 'alice ID token behind "Bearer "', headers: async () => bearer(`Bearer ${alice.idToken}`) },
    { name: 'alg none with alice claims', headers: async () => bearer(unsignedToken(claimsOf(alice.idToken))) },
    {
      name: 'HS256 keyed with the pool public keys',
      headers: async () => bearer(await hmacSignedToken(claimsOf(alice.idToken), jwksText, keyIdOf(alice.idToken))),
    },
    {
      name: 'RS256 by a foreign key naming the pool key id',
      headers: async () => bearer(await rsaSignedToken(claimsOf(alice.idToken), foreignKey, keyIdOf(alice.idToken))),
    },
    {
      name: 'alice claims edited under the original signature',
      headers: async () =>
        bearer(
          withClaimsUnderOriginalSignature(alice.idToken, {
            ...claimsOf(alice.idToken),
            exp: nowInSeconds() + 86_400,
          }),
        ),
    },
    {
      name: 'expired (pool-signed)',
      headers: async () => {
        const now = nowInSeconds();
        return bearer(
          await poolSigned('id', { ...claimsOf(alice.idToken), iat: now - 3660, auth_time: now - 3660, exp: now - 60 }),
        );
      },
    },
    {
      name: 'not yet valid (pool-signed, nbf and iat an hour ahead)',
      headers: async () => {
        const now = nowInSeconds();
        return bearer(
          await poolSigned('id', { ...claimsOf(alice.idToken), nbf: now + 3600, iat: now + 3600, exp: now + 7200 }),
        );
      },
    },
    {
      name: 'another pool as issuer (pool-signed)',
      headers: async () => {
        const claims = claimsOf(alice.idToken);
        return bearer(
          await poolSigned('id', { ...claims, iss: String(claims.iss).replace(/[^/]+$/, 'us-east-1_Other') }),
        );
      },
    },
    {
      name: 'ID token for another app client (pool-signed)',
      headers: async () =>
        bearer(await poolSigned('id', { ...claimsOf(alice.idToken), aud: '1example23456789abcdefghij' })),
    },
    {
      name: 'access token for another app client (pool-signed)',
      headers: async () =>
        bearer(await poolSigned('access', { ...claimsOf(alice.accessToken), client_id: '1example23456789abcdefghij' })),
    },
    {
      name: 'token_use refresh (pool-signed)',
      headers: async () => bearer(await poolSigned('id', { ...claimsOf(alice.idToken), token_use: 'refresh' })),
    },
    {
      name: 'an ID token signed with the access-token key',
      headers: async () => bearer(await rsaSignedToken(claimsOf(alice.idToken), poolKeys.access, poolKeys.id.kid)),
    },
    {
      name: 'an API key on a Cognito-only API',
      headers: async () => ({ 'x-api-key': 'da2-abcdefghijklmnopqrstuvwxyz' }),
    },
    {
      name: 'IAM signed with a wrong secret',
      headers: (payload) =>
        signedAppSyncHeaders(server.graphqlUrl, payload, {
          accessKeyId: server.credentials.accessKeyId,
          secretAccessKey: `${server.credentials.secretAccessKey.slice(0, -4)}AAAA`,
        }),
    },
    {
      name: 'IAM signed with an unknown key pair',
      headers: (payload) =>
        signedAppSyncHeaders(server.graphqlUrl, payload, {
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        }),
    },
  ];

  async function send(op: Operation, credential: Credential): Promise<Answer> {
    const payload = JSON.stringify({ query: op.query, variables: op.variables() });
    const headers = { 'content-type': 'application/json', ...(await credential.headers(payload)) };
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers, body: payload });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json, ms: 0 };
  }

  beforeAll(async () => {
    server = await startServer();
    cognito = poolClient(server);
    alice = await signIn(server.pool!, ALICE);
    aliceNote = dataOf(
      await graphql(server.graphqlUrl, notes.createNote, { input: { content: 'alice only' } }, bearer(alice.idToken)),
      'createNote',
    );
    poolKeys = JSON.parse(await readFile(path.join(server.dataDir, 'cognito', 'keys.json'), 'utf8'));
    foreignKey = await foreignRsaKey();
    jwksText = await (await fetch(`${server.pool!.issuer}/.well-known/jwks.json`)).text();
  });

  afterAll(async () => {
    // Whatever was refused, alice's note is as she left it and nothing forged reached her list.
    if (server?.alive()) {
      const now = await graphql(server.graphqlUrl, notes.getNote, { noteId: aliceNote.noteId }, bearer(alice.idToken));
      expect(dataOf(now, 'getNote')).toEqual(aliceNote);
      const list = await graphql(server.graphqlUrl, notes.listNotes, { limit: 100 }, bearer(alice.idToken));
      const contents = dataOf<{ items: Array<{ content: string }> }>(list, 'listNotes').items.map((n) => n.content);
      expect(contents).not.toContain('forged');
    }
    cognito?.destroy();
    await server?.stop();
    if (server) await removeDataDir(server.dataDir);
  });

  const probes = matrix('auth matrix');

  for (const op of operations) {
    for (const credential of forged) {
      probes.probe(`${op.name} with ${credential.name}: 401 UnauthorizedException`, async () => {
        expectRefused(await send(op, credential), 401, 'UnauthorizedException');
      });
    }
  }

  // Controls: alice's real tokens get past authentication on every operation; the user-pool caller meets the
  // IAM-only field's own refusal. Updates and deletes aim at a note that does not exist, so controls change nothing.
  const controlVariables: Record<string, () => Record<string, unknown>> = {
    createNote: () => ({ input: { content: 'control' } }),
    updateNote: () => ({ input: { noteId: MISSING_NOTE_ID, expectedVersion: 1, content: 'control' } }),
    deleteNote: () => ({ noteId: MISSING_NOTE_ID }),
  };
  for (const kind of ['ID', 'access'] as const) {
    for (const op of operations) {
      const control = { ...op, variables: controlVariables[op.name] ?? op.variables };
      probes.probe(`${op.name} with alice ${kind} token: past authentication`, async () => {
        const answer = await send(control, {
          name: kind,
          headers: async () => bearer(kind === 'ID' ? alice.idToken : alice.accessToken),
        });
        expect(answer.status, answer.text).not.toBe(401);
        expect(answer.status, answer.text).toBeLessThan(500);
        const { data, errors } = body(answer);
        if (op.name === 'publishNoteChange') {
          expect(answer.status).toBe(200);
          expect(data).toEqual({ publishNoteChange: null });
          expect(errors).toEqual([
            expect.objectContaining({
              errorType: 'Unauthorized',
              message: 'Not Authorized to access publishNoteChange on type Mutation',
              path: ['publishNoteChange'],
            }),
          ]);
        } else if (op.name === 'updateNote' || op.name === 'deleteNote') {
          expect(errors?.map((error) => error.errorType)).toEqual(['NotFound']);
        } else if (op.name.startsWith('onNoteChange')) {
          // Subscriptions are served over the real-time WebSocket: over HTTP, whatever the answer, it carries no event.
          expect(data?.onNoteChange ?? null).toBeNull();
        } else {
          expect(errors, answer.text).toBeUndefined();
          expect(data?.[op.name === 'getNote' ? 'getNote' : op.name]).toBeTruthy();
        }
      });
    }
  }

  probes.probe('bob, signed in, reads none of alice notes through any operation', async () => {
    const bob = await signIn(server.pool!, BOB);
    for (const op of operations) {
      const answer = await send(op, { name: 'bob', headers: async () => bearer(bob.idToken) });
      expect(answer.status).toBeLessThan(500);
      expect(answer.text, op.name).not.toContain('alice only');
    }
  });
});

// An expired user-pool token on the notes API's real-time endpoint: refused at connection_init (with the token's own
// fault, as AppSync answers a reconnect with a stale token: aws-mobile-appsync-sdk-js#666) and at start on a
// connection opened with a valid token (aws-appsync-realtime-client-ios#108); neither hears the change that follows.
// The token is alice's own, re-signed with the local pool's key after moving its expiry into the past, so only the
// expiry can be at fault. Local only: a deployed pool's key never leaves Cognito.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cognitoFolder } from '../../../local/stores/cognito';
import { RealtimeTestClient } from '../../helpers/realtime-client';
import { useLocalTarget } from '../helpers/fixture';
import { claimsOf, nowInSeconds, rsaSignedToken } from '../helpers/tokens';

const ON_NOTE_CHANGE = 'subscription { onNoteChange { owner kind noteId } }';

describe('an expired token on the real-time endpoint', () => {
  const target = useLocalTarget({ temporaryDataDir: true });
  const clients: RealtimeTestClient[] = [];
  let expired: string;
  let host: string;

  beforeAll(async () => {
    const file = path.join(cognitoFolder(target().dataDir!), 'keys.json');
    const keys = JSON.parse(await readFile(file, 'utf8')) as { id: JWK & { kid: string } };
    const now = nowInSeconds();
    const claims = { ...claimsOf(target().alice.idToken), iat: now - 3660, auth_time: now - 3660, exp: now - 60 };
    expired = await rsaSignedToken(claims, keys.id, keys.id.kid);
    host = new URL(target().graphqlUrl).host;
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.socket.close();
  });

  it('is refused at connection_init with "Token has expired."', async () => {
    const client = await RealtimeTestClient.open(target().api.url, { host, Authorization: expired });
    clients.push(client);
    client.send({ type: 'connection_init' });
    expect(await client.next()).toEqual({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.', errorCode: 401 }] },
    });
  });

  it('is refused at start on a connection opened with a valid token, and hears nothing', async () => {
    const { alice, api } = target();
    const client = await RealtimeTestClient.connect(api.url, { host, Authorization: alice.idToken });
    clients.push(client);
    client.start('stale', ON_NOTE_CHANGE, { host, Authorization: expired });
    const refused = await client.next((frame) => frame.id === 'stale');
    expect(refused).toMatchObject({ type: 'error', payload: { errors: [{ errorType: 'UnauthorizedException' }] } });

    // The same connection still starts a subscription with a valid token: only the expired one was refused.
    await client.subscribe('valid', ON_NOTE_CHANGE, { host, Authorization: alice.idToken });
    const note = await alice.client.createNote({ input: { content: 'after the refusal' } });
    const delivered = await client.next((frame) => frame.type === 'data');
    expect(delivered).toMatchObject({ id: 'valid', payload: { data: { onNoteChange: { noteId: note.noteId } } } });
    expect(client.dataFor('stale')).toEqual([]);
  });
});

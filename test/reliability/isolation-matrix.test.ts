// The isolation matrix: bob, signed in, holding everything of alice's that leaks in practice (note ids, pagination
// tokens, upload keys before and after attaching, client tokens, file addresses, presigned URLs of his own to bend).
// Every probe must be refused or come back empty, never with alice's data, and leave her notes and files as they were.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { newClientToken } from '../../client/src/client-token';
import { bucketOwner, type BucketOwner } from './helpers/bucket';
import { body } from './helpers/graphql';
import { headersOf, textFile } from '../e2e/helpers/notes';
import { NotesCaller, s3ErrorCode, type Note, type UploadUrl } from './helpers/notes';
import { ALICE, BOB, poolClient, signIn } from './helpers/pool';
import { matrix } from './helpers/report';
import { removeDataDir, startServer, type ServerProcess } from './helpers/server';

const ALICE_FILE = { fileName: 'diary.png', contentType: 'image/png', bytes: new Uint8Array(2048).fill(7) };

describe('isolation matrix: bob against everything of alice', () => {
  let server: ServerProcess;
  let cognito: CognitoIdentityProviderClient;
  let bucket: BucketOwner;
  let alice: NotesCaller;
  let bob: NotesCaller;
  /** alice's note with an attached file, and one of her uploads not yet attached. */
  let aliceNote: Note;
  let aliceStaged: UploadUrl;
  let aliceToken: string;
  let aliceNextToken: string;
  let bobNote: Note;
  let bobUpload: UploadUrl;

  beforeAll(async () => {
    server = await startServer();
    cognito = poolClient(server);
    bucket = bucketOwner(server);
    alice = new NotesCaller(server.graphqlUrl, await signIn(server.pool!, ALICE));
    bob = new NotesCaller(server.graphqlUrl, await signIn(server.pool!, BOB));
    const attached = await alice.upload(ALICE_FILE);
    aliceToken = newClientToken();
    aliceNote = await alice.createNote({
      content: 'alice only',
      attachment: { key: attached.key },
      clientToken: aliceToken,
    });
    aliceStaged = await alice.upload({ ...ALICE_FILE, fileName: 'staged.png' });
    for (const content of ['alice 2', 'alice 3']) await alice.createNote({ content });
    aliceNextToken = (await alice.listNotes({ limit: 1 })).nextToken!;
    const bobFile = await bob.upload(textFile('bob file'));
    bobNote = await bob.createNote({ content: 'bob own', attachment: { key: bobFile.key } });
    bobUpload = await bob.createUploadUrl({
      fileName: 'x.png',
      contentType: 'image/png',
      size: ALICE_FILE.bytes.length,
    });
  });

  afterAll(async () => {
    if (server?.alive() && aliceNote && aliceStaged) {
      // Whatever bob tried, alice's note and both her files are exactly as she left them.
      expect(await alice.getNote(aliceNote.noteId)).toEqual(aliceNote);
      expect(await bucket.bytes(aliceNote.attachment!.key)).toEqual(ALICE_FILE.bytes);
      expect(await bucket.bytes(aliceStaged.key)).toEqual(ALICE_FILE.bytes);
    }
    bucket?.client.destroy();
    cognito?.destroy();
    await server?.stop();
    if (server) await removeDataDir(server.dataDir);
  });

  const probes = matrix('isolation matrix');
  const expectErrorType = (answer: Awaited<ReturnType<NotesCaller['call']>>, errorType: string) => {
    expect(answer.status, answer.text).toBe(200);
    expect(
      body(answer).errors?.map((error) => error.errorType),
      answer.text,
    ).toEqual([errorType]);
  };
  const keysOfAlice = () => ({ staged: aliceStaged.key, attached: aliceNote.attachment!.key });

  probes.probe('getNote of alice note id answers null', async () => {
    expect(await bob.getNote(aliceNote.noteId)).toBeNull();
  });

  probes.probe('getNote of alice note id with a download URL answers null', async () => {
    expect(await bob.getNote(aliceNote.noteId, true)).toBeNull();
  });

  probes.probe('bob listing, every page, holds none of alice notes', async () => {
    const ids = (await bob.allNotes()).map((note) => note.noteId);
    expect(ids).not.toContain(aliceNote.noteId);
    expect(ids).toContain(bobNote.noteId);
  });

  probes.probe('alice pagination token in bob listNotes: refused or bob own notes only', async () => {
    const answer = await bob.call('listNotes', { limit: 100, nextToken: aliceNextToken });
    expect(answer.status).toBe(200);
    const { data, errors } = body(answer);
    if (errors?.length) {
      expect(data?.listNotes ?? null).toBeNull();
    } else {
      const items = (data!.listNotes as { items: Note[] }).items;
      expect(items.every((note) => !note.content.startsWith('alice'))).toBe(true);
    }
    expect(answer.text).not.toContain('alice');
  });

  probes.probe('updateNote of alice note: NotFound', async () => {
    expectErrorType(
      await bob.call('updateNote', {
        input: { noteId: aliceNote.noteId, expectedVersion: 1, content: 'bob was here' },
      }),
      'NotFound',
    );
  });

  probes.probe('updateNote removing alice attachment: NotFound, her file stays', async () => {
    expectErrorType(
      await bob.call('updateNote', { input: { noteId: aliceNote.noteId, expectedVersion: 1, attachment: null } }),
      'NotFound',
    );
    expect(await bucket.exists(aliceNote.attachment!.key)).toBe(true);
  });

  probes.probe('deleteNote of alice note: NotFound, note and file stay', async () => {
    expectErrorType(await bob.call('deleteNote', { noteId: aliceNote.noteId }), 'NotFound');
    expect(await alice.getNote(aliceNote.noteId)).toEqual(aliceNote);
  });

  for (const which of ['staged', 'attached'] as const) {
    probes.probe(`createNote attaching alice ${which} upload key: ValidationError, nothing written`, async () => {
      const before = (await bob.allNotes()).length;
      const answer = await bob.call('createNote', {
        input: { content: 'stolen', attachment: { key: keysOfAlice()[which] } },
      });
      expectErrorType(answer, 'ValidationError');
      expect((await bob.allNotes()).length).toBe(before);
    });

    probes.probe(`updateNote of bob note attaching alice ${which} key: ValidationError, note unchanged`, async () => {
      const answer = await bob.call('updateNote', {
        input: { noteId: bobNote.noteId, expectedVersion: bobNote.version, attachment: { key: keysOfAlice()[which] } },
      });
      expectErrorType(answer, 'ValidationError');
      expect(await bob.getNote(bobNote.noteId)).toEqual(bobNote);
    });

    for (const method of ['GET', 'PUT', 'DELETE']) {
      probes.probe(`unsigned ${method} of alice ${which} file: 403 AccessDenied`, async () => {
        const response = await fetch(bucket.url(keysOfAlice()[which]), {
          method,
          body: method === 'PUT' ? new Uint8Array(4) : undefined,
        });
        expect(response.status).toBe(403);
        expect(s3ErrorCode(await response.text())).toBe('AccessDenied');
      });
    }

    probes.probe(`bob presigned PUT re-aimed at alice ${which} key: 403, her bytes intact`, async () => {
      const url = new URL(bobUpload.url);
      url.pathname = url.pathname.replace(encodeURI(bobUpload.key), encodeURI(keysOfAlice()[which]));
      expect(url.pathname).toContain(keysOfAlice()[which]);
      const response = await fetch(url, { method: 'PUT', headers: headersOf(bobUpload), body: new Uint8Array(2048) });
      expect(response.status).toBe(403);
      expect(s3ErrorCode(await response.text())).toBe('SignatureDoesNotMatch');
      expect(await bucket.bytes(keysOfAlice()[which])).toEqual(ALICE_FILE.bytes);
    });

    for (const method of ['GET', 'DELETE']) {
      probes.probe(`bob presigned download URL re-aimed at alice ${which} key with ${method}: 403`, async () => {
        const own = await bob.getNote(bobNote.noteId, true);
        const url = new URL(own!.attachment!.downloadUrl!);
        url.pathname = url.pathname.replace(encodeURI(bobNote.attachment!.key), encodeURI(keysOfAlice()[which]));
        expect(url.pathname).toContain(keysOfAlice()[which]);
        const response = await fetch(url, { method });
        expect(response.status).toBe(403);
        expect(s3ErrorCode(await response.text())).toBe('SignatureDoesNotMatch');
        expect(await bucket.exists(keysOfAlice()[which])).toBe(true);
      });
    }
  }

  probes.probe('createUploadUrl naming a path into alice prefix stays in bob own prefix', async () => {
    const aliceFolder = aliceNote.attachment!.key.split('/').slice(0, -2).join('/');
    for (const fileName of [`../../${aliceFolder}/x.png`, `${aliceFolder}/x.png`, `..\\${alice.user.sub}\\x.png`]) {
      const upload = await bob.createUploadUrl({ fileName, contentType: 'image/png', size: 10 });
      expect(upload.key).toContain(`/${bob.user.sub}/`);
      expect(upload.key).not.toContain(alice.user.sub);
    }
  });

  probes.probe('createNote with alice client token gives bob his own note, never alice note', async () => {
    const mine = await bob.createNote({ content: 'bob with a borrowed token', clientToken: aliceToken });
    expect(mine.content).toBe('bob with a borrowed token');
    expect(mine.attachment).toBeNull();
    expect(await alice.getNote(aliceNote.noteId)).toEqual(aliceNote);
  });

  probes.probe('createNote repeating alice client token and input never answers with alice note', async () => {
    const answer = await bob.call('createNote', {
      input: { content: 'alice only', attachment: { key: aliceNote.attachment!.key }, clientToken: aliceToken },
    });
    expect(answer.status).toBe(200);
    const { data, errors } = body(answer);
    // Alice's key is not bob's to attach, so this is refused; it must never be alice's note coming back as a retry.
    expect(errors?.map((error) => error.errorType)).toEqual(['ValidationError']);
    expect(data?.createNote ?? null).toBeNull();
  });

  probes.probe('bob access token reads none of alice notes either', async () => {
    const viaAccess = new NotesCaller(server.graphqlUrl, { ...bob.user, idToken: bob.user.accessToken });
    // Notes are keyed by owner and id: once bob borrowed alice's client token (above) he has a note of his own with
    // her note's id, and that one is all he may see under it, whichever of his tokens he presents.
    const sameId = await viaAccess.getNote(aliceNote.noteId, true);
    expect(sameId).toEqual(await bob.getNote(aliceNote.noteId, true));
    expect(sameId?.content).not.toBe(aliceNote.content);
    const contents = (await viaAccess.allNotes()).map((note) => note.content);
    expect(contents).toContain(bobNote.content);
    expect(contents.filter((content) => content.startsWith('alice'))).toEqual([]);
  });
});

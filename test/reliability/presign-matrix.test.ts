// The presign matrix: every way to bend a presigned URL bob legitimately holds (his upload PUT, his download GET),
// and every request createUploadUrl must not sign. The local S3 endpoint must answer as S3 does (403 with S3's XML
// error) and store nothing; each abuse has a control beside it that differs only in the abused part.
import { request as httpRequest } from 'node:http';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { formatAmzDate, parseAmzDate } from '../../local/server/auth/sigv4';
import { BUCKET, bucketOwner, type BucketOwner } from './helpers/bucket';
import { body } from './helpers/graphql';
import { headersOf, textFile } from '../e2e/helpers/notes';
import { NotesCaller, s3ErrorCode, type Note, type UploadUrl } from './helpers/notes';
import { ALICE, BOB, poolClient, signIn } from './helpers/pool';
import { matrix } from './helpers/report';
import { removeDataDir, startServer, type ServerProcess } from './helpers/server';

const PNG = { fileName: 'photo.png', contentType: 'image/png', size: 1024 };
const bytes = (length: number, fill = 1) => new Uint8Array(length).fill(fill);

/** A request sent exactly as written: fetch would resolve `..` and re-encode the path before sending. */
function rawRequest(
  url: URL,
  path: string,
  method: string,
  headers: Record<string, string>,
  payload?: Uint8Array,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers, host: url.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('presign matrix: bent presigned URLs and unsignable requests', () => {
  let server: ServerProcess;
  let cognito: CognitoIdentityProviderClient;
  let bucket: BucketOwner;
  let bob: NotesCaller;
  let alice: NotesCaller;
  let bobNote: Note;

  beforeAll(async () => {
    server = await startServer();
    cognito = poolClient(server);
    bucket = bucketOwner(server);
    alice = new NotesCaller(server.graphqlUrl, await signIn(server.pool!, ALICE));
    bob = new NotesCaller(server.graphqlUrl, await signIn(server.pool!, BOB));
    const file = await bob.upload({ ...textFile('bob attachment'), fileName: 'keep.txt' });
    bobNote = await bob.createNote({ content: 'with a file', attachment: { key: file.key } });
  });

  afterAll(async () => {
    if (server?.alive() && alice) {
      // Nothing any abuse sent landed in alice's part of the bucket.
      expect(await bucket.keys(`private/${alice.user.sub}/`)).toEqual([]);
      expect(await bucket.keys(`uploads/${alice.user.sub}/`)).toEqual([]);
    }
    bucket?.client.destroy();
    cognito?.destroy();
    await server?.stop();
    if (server) await removeDataDir(server.dataDir);
  });

  const probes = matrix('presign matrix');

  /** A fresh upload URL of bob's; every probe bends its own so none depends on another's outcome. */
  const freshUpload = () => bob.createUploadUrl(PNG);
  const put = (url: string | URL, headers: Record<string, string>, payload: Uint8Array) =>
    fetch(url, { method: 'PUT', headers, body: payload });

  async function expectS3Refusal(response: Response, code: string, status = 403): Promise<void> {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect(s3ErrorCode(text), text).toBe(code);
  }

  async function expectNothingStored(upload: UploadUrl): Promise<void> {
    expect(await bucket.exists(upload.key)).toBe(false);
  }

  probes.probe('control: the upload URL as issued stores the bytes', async () => {
    const upload = await freshUpload();
    expect((await put(upload.url, headersOf(upload), bytes(PNG.size))).status).toBe(200);
    expect(await bucket.bytes(upload.key)).toEqual(bytes(PNG.size));
  });

  /**
   * Moves X-Amz-Date by `ms`, and the credential scope's date with it: a scope naming another day than X-Amz-Date is
   * refused before anything else (400 AuthorizationQueryParametersError), which would hide the check under test
   * whenever the shift crosses midnight (UTC).
   */
  const moveDate = (url: URL, ms: number) => {
    const moved = formatAmzDate(parseAmzDate(url.searchParams.get('X-Amz-Date')!)!.getTime() + ms);
    const credential = url.searchParams.get('X-Amz-Credential')!;
    url.searchParams.set('X-Amz-Date', moved);
    url.searchParams.set('X-Amz-Credential', credential.replace(/\/\d{8}\//, `/${moved.slice(0, 8)}/`));
  };

  const uploadAbuses: Array<{
    name: string;
    code: string;
    status?: number;
    send(upload: UploadUrl): Promise<Response>;
  }> = [
    {
      name: 'another Content-Type than signed',
      code: 'SignatureDoesNotMatch',
      send: (upload) => put(upload.url, { ...headersOf(upload), 'Content-Type': 'text/html' }, bytes(PNG.size)),
    },
    {
      name: 'no Content-Type',
      code: 'SignatureDoesNotMatch',
      send: (upload) => put(upload.url, { 'Content-Length': String(PNG.size) }, bytes(PNG.size)),
    },
    {
      name: 'a larger body than signed',
      code: 'SignatureDoesNotMatch',
      send: (upload) => put(upload.url, { 'Content-Type': PNG.contentType }, bytes(PNG.size * 4)),
    },
    {
      name: 'a smaller body than signed',
      code: 'SignatureDoesNotMatch',
      send: (upload) => put(upload.url, { 'Content-Type': PNG.contentType }, bytes(PNG.size - 1)),
    },
    {
      name: 'an unsigned x-amz-acl: public-read header',
      code: 'AccessDenied',
      send: (upload) => put(upload.url, { ...headersOf(upload), 'x-amz-acl': 'public-read' }, bytes(PNG.size)),
    },
    {
      name: 'another key in bob own prefix',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        url.pathname = url.pathname.replace(/[^/]+$/, 'other.png');
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'a new key in alice prefix',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        url.pathname = url.pathname.replace(bob.user.sub, alice.user.sub);
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'a signature with one character changed',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        const signature = url.searchParams.get('X-Amz-Signature')!;
        url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      // S3 answers a presigned request missing one of its parameters so (its error-responses reference).
      name: 'no signature',
      code: 'AuthorizationQueryParametersError',
      status: 400,
      send: (upload) => {
        const url = new URL(upload.url);
        url.searchParams.delete('X-Amz-Signature');
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'X-Amz-Expires raised to a week',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        url.searchParams.set('X-Amz-Expires', '604800');
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'X-Amz-Date moved a minute earlier',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        moveDate(url, -60_000);
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      // Checked before the signature: the date names a moment that has not come.
      name: 'X-Amz-Date moved an hour later',
      code: 'AccessDenied',
      send: (upload) => {
        const url = new URL(upload.url);
        moveDate(url, 3_600_000);
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'another access key in X-Amz-Credential',
      code: 'InvalidAccessKeyId',
      send: (upload) => {
        const url = new URL(upload.url);
        const credential = url.searchParams.get('X-Amz-Credential')!;
        url.searchParams.set('X-Amz-Credential', credential.replace(/^[^/]+/, 'AKIAIOSFODNN7EXAMPLE'));
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'X-Amz-SignedHeaders narrowed to host',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        url.searchParams.set('X-Amz-SignedHeaders', 'host');
        return put(url, { 'Content-Type': 'text/html' }, bytes(PNG.size * 2));
      },
    },
    {
      name: 'an extra query parameter (acl)',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        url.searchParams.set('x-amz-acl', 'public-read');
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'another host name for the same endpoint',
      code: 'SignatureDoesNotMatch',
      send: (upload) => {
        const url = new URL(upload.url);
        url.hostname = 'localhost';
        return put(url, headersOf(upload), bytes(PNG.size));
      },
    },
    {
      name: 'the GET method',
      code: 'SignatureDoesNotMatch',
      send: (upload) => fetch(upload.url, { method: 'GET' }),
    },
    {
      name: 'the DELETE method',
      code: 'SignatureDoesNotMatch',
      send: (upload) => fetch(upload.url, { method: 'DELETE' }),
    },
  ];

  for (const abuse of uploadAbuses) {
    probes.probe(`upload URL with ${abuse.name}: ${abuse.status ?? 403} ${abuse.code}, nothing stored`, async () => {
      const upload = await freshUpload();
      await expectS3Refusal(await abuse.send(upload), abuse.code, abuse.status);
      await expectNothingStored(upload);
    });
  }

  // Path tricks, sent byte for byte: dot segments, encoded dots and slashes, doubled slashes, a different bucket case.
  const pathTricks: Array<{ name: string; path(upload: UploadUrl, url: URL): string }> = [
    {
      name: '../ into alice prefix',
      path: (_, url) => url.pathname.replace(`/${bob.user.sub}/`, `/${bob.user.sub}/../${alice.user.sub}/`),
    },
    {
      name: '%2e%2e/ into alice prefix',
      path: (_, url) => url.pathname.replace(`/${bob.user.sub}/`, `/${bob.user.sub}/%2e%2e/${alice.user.sub}/`),
    },
    { name: 'an encoded slash', path: (_, url) => url.pathname.replace(/\/([^/]+)$/, '%2F$1') },
    { name: 'a doubled slash', path: (_, url) => url.pathname.replace(`/${bob.user.sub}/`, `/${bob.user.sub}//`) },
    { name: 'a trailing slash', path: (_, url) => `${url.pathname}/` },
    {
      name: 'the bucket name in capitals',
      path: (_, url) => url.pathname.replace(`/${BUCKET}/`, `/${BUCKET.toUpperCase()}/`),
    },
  ];
  for (const trick of pathTricks) {
    probes.probe(`upload URL path with ${trick.name}: refused, nothing stored anywhere new`, async () => {
      const upload = await freshUpload();
      const url = new URL(upload.url);
      const before = await bucket.keys('');
      const answer = await rawRequest(
        url,
        `${trick.path(upload, url)}${url.search}`,
        'PUT',
        headersOf(upload),
        bytes(PNG.size),
      );
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      expect(answer.status, answer.text).toBeLessThan(500);
      expect(await bucket.keys('')).toEqual(before);
    });
  }

  probes.probe('control: an upload URL signed now with the type and size works', async () => {
    const key = (await freshUpload()).key;
    const url = await getSignedUrl(
      bucket.client,
      new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: PNG.contentType, ContentLength: PNG.size }),
      { expiresIn: 300, signableHeaders: new Set(['content-type', 'content-length']) },
    );
    expect((await put(url, { 'Content-Type': PNG.contentType }, bytes(PNG.size))).status).toBe(200);
  });

  probes.probe('an upload URL signed six minutes ago for five: 403 AccessDenied "Request has expired"', async () => {
    const upload = await freshUpload();
    const url = await getSignedUrl(
      bucket.client,
      new PutObjectCommand({ Bucket: BUCKET, Key: upload.key, ContentType: PNG.contentType, ContentLength: PNG.size }),
      {
        expiresIn: 300,
        signingDate: new Date(Date.now() - 360_000),
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    const response = await put(url, { 'Content-Type': PNG.contentType }, bytes(PNG.size));
    const text = await response.text();
    expect(response.status, text).toBe(403);
    expect(s3ErrorCode(text)).toBe('AccessDenied');
    expect(text).toContain('Request has expired');
    await expectNothingStored(upload);
  });

  probes.probe('upload URLs are valid for five minutes at most', async () => {
    const upload = await freshUpload();
    expect(Number(new URL(upload.url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
  });

  // bob's download URL for his own attachment.
  const downloadUrl = async () => new URL((await bob.getNote(bobNote.noteId, true))!.attachment!.downloadUrl!);

  probes.probe('control: the download URL as issued reads the file', async () => {
    const response = await fetch(await downloadUrl());
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('bob attachment');
  });

  const downloadAbuses: Array<{ name: string; code: string; send(url: URL): Promise<Response> }> = [
    {
      name: 'the PUT method',
      code: 'SignatureDoesNotMatch',
      send: (url) => fetch(url, { method: 'PUT', body: bytes(14, 9) }),
    },
    { name: 'the DELETE method', code: 'SignatureDoesNotMatch', send: (url) => fetch(url, { method: 'DELETE' }) },
    {
      name: 'an added response-content-type',
      code: 'SignatureDoesNotMatch',
      send: (url) => {
        url.searchParams.set('response-content-type', 'text/html');
        return fetch(url);
      },
    },
    {
      name: 'X-Amz-Expires raised to a week',
      code: 'SignatureDoesNotMatch',
      send: (url) => {
        url.searchParams.set('X-Amz-Expires', '604800');
        return fetch(url);
      },
    },
    {
      name: 'another key',
      code: 'SignatureDoesNotMatch',
      send: (url) => {
        url.pathname = url.pathname.replace(/[^/]+$/, 'other.txt');
        return fetch(url);
      },
    },
  ];
  for (const abuse of downloadAbuses) {
    probes.probe(`download URL with ${abuse.name}: 403 ${abuse.code}, the file unchanged`, async () => {
      await expectS3Refusal(await abuse.send(await downloadUrl()), abuse.code);
      expect(new TextDecoder().decode(await bucket.bytes(bobNote.attachment!.key))).toBe('bob attachment');
    });
  }

  probes.probe('download URLs are valid for fifteen minutes at most', async () => {
    expect(Number((await downloadUrl()).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
  });

  // What createUploadUrl must refuse to sign at all: a ValidationError, or GraphQL's own refusal of the value.
  const unsignable: Array<{ name: string; input: Record<string, unknown> }> = [
    { name: 'an HTML page', input: { ...PNG, contentType: 'text/html' } },
    { name: 'an SVG (scriptable image)', input: { ...PNG, contentType: 'image/svg+xml' } },
    { name: 'an executable', input: { ...PNG, contentType: 'application/x-msdownload' } },
    { name: 'a type with parameters smuggled in', input: { ...PNG, contentType: 'image/png; charset=utf-8' } },
    { name: 'size 0', input: { ...PNG, size: 0 } },
    { name: 'a negative size', input: { ...PNG, size: -1 } },
    { name: 'one byte over 10 MB', input: { ...PNG, size: 10 * 1024 * 1024 + 1 } },
    { name: 'a size beyond Int', input: { ...PNG, size: 2 ** 31 } },
    { name: 'a fractional size', input: { ...PNG, size: 1.5 } },
    { name: 'an empty file name', input: { ...PNG, fileName: '' } },
    { name: 'a file name of dots', input: { ...PNG, fileName: '..' } },
    { name: 'a file name that is only a path', input: { ...PNG, fileName: '../../' } },
    { name: 'a NUL in the file name', input: { ...PNG, fileName: 'a\u0000.png' } },
    { name: 'a right-to-left override in the file name', input: { ...PNG, fileName: 'gpj\u202e.exe' } },
    { name: 'a 5,000-character file name', input: { ...PNG, fileName: `${'a'.repeat(5000)}.png` } },
  ];
  for (const { name, input } of unsignable) {
    probes.probe(`createUploadUrl for ${name}: refused, no URL`, async () => {
      const answer = await bob.call('createUploadUrl', { input });
      expect(answer.status, answer.text).toBe(200);
      const { data, errors } = body(answer);
      expect(data?.createUploadUrl ?? null).toBeNull();
      expect(errors?.length, answer.text).toBeGreaterThan(0);
      // A resolver's refusal is a ValidationError; a value GraphQL itself rejects (Int range) has no errorType.
      for (const error of errors!) expect([null, undefined, 'ValidationError']).toContain(error.errorType);
      expect(answer.text).not.toContain('X-Amz-Signature');
    });
  }
});

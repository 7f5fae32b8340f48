// Fuzzing with fast-check against the real server: every mutation's input (well-formed, nearly right and plain
// wrong values, the caller's own ids, keys and client tokens mixed with other users' and made-up ones), then raw HTTP
// requests to all three ports (any method, path, headers and body; then bytes that are not HTTP at all). Each answer
// must be below 500 and in AppSync's shape, and the server must keep running. Mutations run one at a time so a model
// of what the server acknowledged stays exact: at the end the notes table, read straight from DynamoDB, must hold
// exactly the acknowledged notes, each one valid, with its file in the bucket, and other users' notes untouched.
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientToken } from '../../client/src/client-token';
import { bucketOwner, type BucketOwner } from './helpers/bucket';
import { type Answer, body, expectAppSyncShape } from './helpers/graphql';
import { PUBLISH_NOTE_CHANGE } from './helpers/notes-operations';
import { textFile } from '../e2e/helpers/notes';
import { NotesCaller, type Note } from './helpers/notes';
import { ALICE, newUser, poolClient, signIn } from './helpers/pool';
import { report } from './helpers/report';
import { removeDataDir, startServer, type ServerProcess } from './helpers/server';
import { signedAppSyncHeaders } from './helpers/sigv4';
import { noteItemProblems, storedNotes } from './helpers/table';

const RUNS_PER_MUTATION = 150;
const RAW_HTTP_RUNS = 300;
const RAW_SOCKET_RUNS = 40;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A value that depends on the server's state when the case runs (an id the caller owns now, a token it used before),
 * which an arbitrary cannot know when it is generated: `resolve` fills it in just before sending.
 */
class Ref {
  constructor(
    readonly kind: RefKind,
    readonly index: number,
  ) {}
}

type RefKind =
  | 'ownUpload'
  | 'ownAttachedKey'
  | 'otherUserKey'
  | 'ownNoteId'
  | 'otherUserNoteId'
  | 'unknownNoteId'
  | 'currentVersion'
  | 'freshToken'
  | 'usedToken'
  | 'oldToken'
  | 'futureToken';

const ref = (...kinds: RefKind[]) => fc.tuple(fc.constantFrom(...kinds), fc.nat()).map(([k, i]) => new Ref(k, i));

/** Values of every JSON type, including ones no field takes. */
const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);

/** Text of every kind: ASCII, any code unit (lone surrogates too), graphemes, and the values that break things. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '\u202E',
    '../../../etc/passwd',
    '<script>alert(1)</script>',
    "'; DROP TABLE notes; --",
    '{"$ne": null}',
    '#set($x = 1)',
    '__proto__',
    'x'.repeat(100_000),
    'x'.repeat(100_001),
  ),
);

/** Mostly well-formed values, sometimes any other JSON value. */
const oneOfOrJunk = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: junk });

/** Absent (JSON.stringify drops undefined) with weight `absentWeight` against the weighted choices. */
const maybe = (absentWeight: number, ...choices: Array<fc.WeightedArbitrary<unknown>>) =>
  fc.oneof({ weight: absentWeight, arbitrary: fc.constant(undefined) }, ...choices);

/** A field GraphQL does not know: rare, so that most inputs reach the resolvers. */
const surplus = maybe(9, { weight: 1, arbitrary: junk });

const validContent = fc.oneof(
  fc.string({ minLength: 1, maxLength: 60 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);
const content = fc.oneof(
  { weight: 6, arbitrary: validContent },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: junk },
);

const attachment = maybe(
  4,
  { weight: 3, arbitrary: fc.record({ key: ref('ownUpload') }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ key: ref('ownAttachedKey', 'otherUserKey') }) },
  { weight: 1, arbitrary: fc.record({ key: oneOfOrJunk(text) }) },
  { weight: 1, arbitrary: fc.record({ key: ref('ownUpload'), extra: junk }) },
  { weight: 1, arbitrary: junk },
);

const clientToken = maybe(
  3,
  { weight: 3, arbitrary: ref('freshToken') },
  { weight: 2, arbitrary: ref('usedToken') },
  { weight: 2, arbitrary: ref('oldToken', 'futureToken') },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: junk },
);

const noteId = fc.oneof(
  { weight: 6, arbitrary: ref('ownNoteId') },
  { weight: 2, arbitrary: ref('otherUserNoteId', 'unknownNoteId') },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: junk },
);

/** `input` itself is sometimes not an object at all. */
const inputOrJunk = <T>(input: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 19, arbitrary: input.map((value) => ({ input: value })) },
    { weight: 1, arbitrary: fc.record({ input: junk }) },
  );

const MUTATION_INPUTS: Record<'createNote' | 'updateNote' | 'deleteNote' | 'createUploadUrl', fc.Arbitrary<unknown>> = {
  createNote: inputOrJunk(fc.record({ content, attachment, clientToken, surplus })),
  updateNote: inputOrJunk(
    fc.record({
      noteId,
      expectedVersion: fc.oneof(
        { weight: 6, arbitrary: ref('currentVersion') },
        { weight: 2, arbitrary: fc.integer() },
        { weight: 1, arbitrary: junk },
      ),
      content: maybe(2, { weight: 8, arbitrary: content }),
      attachment,
      surplus,
    }),
  ),
  deleteNote: fc.oneof({ weight: 9, arbitrary: fc.record({ noteId }) }, { weight: 1, arbitrary: fc.record({}) }),
  createUploadUrl: inputOrJunk(
    fc.record({
      fileName: fc.oneof(
        { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9 _-]{1,20}\.(png|txt|pdf)$/) },
        { weight: 2, arbitrary: text },
        { weight: 1, arbitrary: junk },
      ),
      contentType: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('image/png', 'image/jpeg', 'application/pdf', 'text/plain') },
        { weight: 1, arbitrary: fc.constantFrom('text/html', 'image/svg+xml', 'IMAGE/PNG', 'image/png ') },
        { weight: 1, arbitrary: text },
        { weight: 1, arbitrary: junk },
      ),
      size: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 1, max: 10 * 1024 * 1024 }) },
        { weight: 2, arbitrary: fc.integer({ min: -5, max: 10 * 1024 * 1024 + 5 }) },
        { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), junk) },
      ),
      surplus,
    }),
  ),
};

interface ModelNote {
  content: string;
  version: number;
  attachmentKey: string | null;
}

describe('fuzzing: every mutation input and raw HTTP', () => {
  let server: ServerProcess;
  let cognito: CognitoIdentityProviderClient;
  let bucket: BucketOwner;
  let fuzzer: NotesCaller;
  let alice: NotesCaller;
  let aliceNote: Note;
  let aliceItemsBefore: Record<string, unknown>[];
  /** What the server acknowledged for the fuzzer's notes: exactly what the table must hold at the end. */
  const model = new Map<string, ModelNote>();
  const uploads: string[] = [];
  const usedTokens: string[] = [];
  let requests = 0;
  const statusCounts = new Map<number, number>();
  const acknowledged = { createNote: 0, updateNote: 0, deleteNote: 0, createUploadUrl: 0 };

  const count = (status: number) => {
    requests += 1;
    statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
  };

  const pick = <T>(list: T[], index: number): T | undefined => (list.length ? list[index % list.length] : undefined);

  /** Fills in every Ref; `chosen` carries the note an input's noteId named, for its currentVersion. */
  function resolve(value: unknown, chosen: { noteId?: string } = {}): unknown {
    if (value instanceof Ref) {
      const ownIds = [...model.keys()];
      switch (value.kind) {
        case 'ownUpload':
          return pick(uploads, value.index) ?? 'private/none';
        case 'ownAttachedKey':
          return pick([...model.values()].map((note) => note.attachmentKey).filter(Boolean), value.index) ?? null;
        case 'otherUserKey':
          return aliceNote.attachment!.key;
        case 'ownNoteId':
          chosen.noteId = pick(ownIds, value.index) ?? newClientToken();
          return chosen.noteId;
        case 'otherUserNoteId':
          return aliceNote.noteId;
        case 'unknownNoteId':
          return newClientToken();
        case 'currentVersion':
          return (chosen.noteId && model.get(chosen.noteId)?.version) ?? 1;
        case 'freshToken':
          return newClientToken();
        case 'usedToken':
          return pick(usedTokens, value.index) ?? newClientToken();
        case 'oldToken':
          return newClientToken(Date.now() - DAY_MS - 60_000);
        case 'futureToken':
          return newClientToken(Date.now() + 10 * 60_000);
      }
    }
    if (Array.isArray(value)) return value.map((item) => resolve(item, chosen));
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      // noteId first, so currentVersion sees the note it names.
      entries.sort(([a], [b]) => Number(b === 'noteId') - Number(a === 'noteId'));
      return Object.fromEntries(entries.map(([key, item]) => [key, resolve(item, chosen)]));
    }
    return value;
  }

  const remember = (note: Note) =>
    model.set(note.noteId, {
      content: note.content,
      version: note.version,
      attachmentKey: note.attachment?.key ?? null,
    });

  /** The answer is below 500 and in AppSync's shape; a refused mutation answers null with an error. */
  function judge(field: string, answer: Answer): unknown {
    count(answer.status);
    expectAppSyncShape(answer);
    const { data, errors } = body(answer);
    const result = data?.[field] ?? null;
    if (result !== null && field in acknowledged) acknowledged[field as keyof typeof acknowledged] += 1;
    if (result === null) expect(errors?.length ?? 0, answer.text.slice(0, 300)).toBeGreaterThan(0);
    return result;
  }

  beforeAll(async () => {
    server = await startServer();
    cognito = poolClient(server);
    bucket = bucketOwner(server);
    fuzzer = new NotesCaller(server.graphqlUrl, await newUser(cognito, server.pool!, 'fuzzer'));
    alice = new NotesCaller(server.graphqlUrl, await signIn(server.pool!, ALICE));
    const aliceFile = await alice.upload(textFile('alice file'));
    aliceNote = await alice.createNote({ content: 'alice only', attachment: { key: aliceFile.key } });
    for (let i = 0; i < 8; i += 1) uploads.push((await fuzzer.upload(textFile(`upload ${i}`, `f${i}.txt`))).key);
    for (const content of ['first', 'second']) remember(await fuzzer.createNote({ content }));
    aliceItemsBefore = (await storedNotes(server)).filter((item) => item.userId === alice.user.sub);
  });

  afterAll(async () => {
    bucket?.client.destroy();
    cognito?.destroy();
    await server?.stop();
    if (server) await removeDataDir(server.dataDir);
  });

  it('createNote: any input answers below 500 in AppSync shape; acknowledged notes are what was sent', async () => {
    await fc.assert(
      fc.asyncProperty(MUTATION_INPUTS.createNote, async (generated) => {
        const variables = resolve(generated) as { input: Record<string, unknown> };
        const note = judge('createNote', await fuzzer.call('createNote', variables)) as Note | null;
        if (note) {
          const token = variables.input.clientToken;
          if (typeof token === 'string') {
            expect(note.noteId).toBe(token);
            usedTokens.push(token);
          }
          // A retry answers the note as it is now; a first create answers exactly the content sent.
          if (!model.has(note.noteId)) expect(note.content).toBe(variables.input.content);
          remember(note);
        }
      }),
      { numRuns: RUNS_PER_MUTATION },
    );
  }, 300_000);

  it('updateNote: any input answers below 500 in AppSync shape; only a matching version changes a note', async () => {
    await fc.assert(
      fc.asyncProperty(MUTATION_INPUTS.updateNote, async (generated) => {
        const variables = resolve(generated) as { input: Record<string, unknown> };
        const before = model.get(String(variables.input?.noteId));
        const note = judge('updateNote', await fuzzer.call('updateNote', variables)) as Note | null;
        if (note) {
          expect(before, 'an update acknowledged for a note the caller does not own').toBeDefined();
          expect(variables.input.expectedVersion).toBe(before!.version);
          expect(note.version).toBe(before!.version + 1);
          remember(note);
        }
      }),
      { numRuns: RUNS_PER_MUTATION },
    );
  }, 300_000);

  it('deleteNote: any input answers below 500 in AppSync shape; only the caller own notes go', async () => {
    await fc.assert(
      fc.asyncProperty(MUTATION_INPUTS.deleteNote, async (generated) => {
        const variables = resolve(generated) as { noteId?: unknown };
        const note = judge('deleteNote', await fuzzer.call('deleteNote', variables)) as Note | null;
        if (note) {
          expect(model.has(note.noteId), 'a delete acknowledged for a note the caller does not own').toBe(true);
          model.delete(note.noteId);
        }
        // Keep something to update and delete.
        if (model.size < 2) remember(await fuzzer.createNote({ content: 'refill' }));
      }),
      { numRuns: RUNS_PER_MUTATION / 3 },
    );
  }, 300_000);

  it('createUploadUrl: any input answers below 500; a URL is only ever for the caller own prefix', async () => {
    await fc.assert(
      fc.asyncProperty(MUTATION_INPUTS.createUploadUrl, async (generated) => {
        const variables = resolve(generated) as Record<string, unknown>;
        const upload = judge('createUploadUrl', await fuzzer.call('createUploadUrl', variables)) as {
          key: string;
          url: string;
        } | null;
        if (upload) {
          expect(upload.key.split('/')[1]).toBe(fuzzer.user.sub);
          expect(new URL(upload.url).pathname).toContain(encodeURIComponent(fuzzer.user.sub));
        }
      }),
      { numRuns: RUNS_PER_MUTATION },
    );
  }, 300_000);

  it('closeNoteSubscriptions with any variables, and publishNoteChange with any input (user: refused; IAM)', async () => {
    const anyChange = fc.record({
      input: oneOfOrJunk(
        fc.record({
          owner: oneOfOrJunk(fc.oneof(fc.constant(alice.user.sub), text)),
          kind: oneOfOrJunk(fc.constantFrom('CREATED', 'UPDATED', 'DELETED', 'created', 'EXPLODED')),
          note: oneOfOrJunk(
            fc.oneof(
              fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
              text,
            ),
          ),
        }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 }), async (variables) => {
        judge('closeNoteSubscriptions', await fuzzer.call('closeNoteSubscriptions', variables));
      }),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(anyChange, fc.boolean(), async (variables, asIam) => {
        const payload = JSON.stringify({ query: PUBLISH_NOTE_CHANGE, variables });
        const headers = asIam
          ? await signedAppSyncHeaders(server.graphqlUrl, payload, server.credentials)
          : { authorization: fuzzer.user.idToken };
        const response = await fetch(server.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: payload,
        });
        const text = await response.text();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const change = judge('publishNoteChange', { status: response.status, text, json, ms: 0 });
        // Only the API itself (IAM) may publish: a user's call never gets through, whatever its input.
        if (!asIam) expect(change).toBeNull();
      }),
      { numRuns: 60 },
    );
  }, 300_000);

  type Port = 'graphql' | 'pool' | 's3';

  /** Any method, path, headers and body, to the given ports. */
  const rawHttpFuzz = (targets: Port[]) => async () => {
    const ports = {
      graphql: new URL(server.graphqlUrl),
      pool: new URL(server.pool!.endpoint),
      s3: new URL(server.s3Endpoint!),
    };
    const graphqlWords = fc
      .array(
        fc.constantFrom(
          '{',
          '}',
          '(',
          ')',
          '[',
          ']',
          'query',
          'mutation',
          'subscription',
          'fragment',
          'on',
          'Note',
          '...',
          'getNote',
          'listNotes',
          'createNote',
          'noteId',
          'items',
          'content',
          '__typename',
          '__schema',
          '$id',
          ':',
          '!',
          '"s"',
          '1',
          'limit: 100',
          '@include(if: true)',
          '@skip(if: $x)',
          'input: {content: "x"}',
          'a: getNote',
        ),
        { maxLength: 40 },
      )
      .map((words) => words.join(' '));
    const graphqlBody = fc
      .record(
        {
          query: fc.oneof(graphqlWords, text, junk),
          variables: fc.oneof(fc.jsonValue({ maxDepth: 2 }), junk),
          operationName: fc.oneof(fc.string({ maxLength: 10 }), junk),
          extensions: junk,
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value));
    const payload = fc.oneof(
      graphqlBody,
      fc.uint8Array({ maxLength: 2000 }),
      fc.json({ maxDepth: 3 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(
        '',
        '[{"query":"{__typename}"}]',
        '{"query":"{__typename}"',
        '{"query":"{ listNotes { items { noteId } } }","variables":"{}"}',
        `{"query":"${'{'.repeat(5000)}"}`,
        `{"a":${'['.repeat(10000)}${']'.repeat(10000)}}`,
        JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) }),
        'Action=ListBuckets',
        '<?xml version="1.0"?><Delete><Object><Key>x</Key></Object></Delete>',
      ),
    );
    const headerName = fc
      .stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
      .filter(
        (name) =>
          ![
            'host',
            'content-length',
            'transfer-encoding',
            'connection',
            'expect',
            'upgrade',
            'te',
            'trailer',
            'keep-alive',
          ].includes(name),
      );
    const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
    const rawCase = fc.record({
      port: fc.constantFrom(...targets),
      method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      path: fc.oneof(
        fc.constantFrom(
          '/graphql',
          '/graphql/',
          '/graphql?query=%7B__typename%7D',
          '/graphql?query=%7B',
          '/graphql/realtime',
          '/',
          '/amplify_outputs.json',
          '/graphql/../graphql',
          '/%00',
          '/%ZZ',
          '/notes-uploads-local',
          '/notes-uploads-local?list-type=2&prefix=private/',
          '/notes-uploads-local/private/x?uploads',
          '/notes-uploads-local/a?X-Amz-Signature=00&X-Amz-Credential=%2F%2F%2F',
          `/${'a'.repeat(6000)}`,
        ),
        fc.webPath({ size: 'small' }),
      ),
      contentType: fc.option(
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/json; charset=latin1',
          'application/graphql',
          'application/x-amz-json-1.1',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
        ),
      ),
      authorization: fc.option(
        fc.oneof(
          fc.constant('fuzzer token'),
          headerValue,
          fc.constant(
            'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/appsync/aws4_request, SignedHeaders=host, Signature=00',
          ),
        ),
      ),
      target: fc.option(
        fc
          .constantFrom('SignUp', 'InitiateAuth', 'AdminGetUser', 'AdminSetUserPassword', 'GetUser', 'Nope', '')
          .map((operation) => `AWSCognitoIdentityProviderService.${operation}`),
      ),
      extraHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
      payload,
    });

    await fc.assert(
      fc.asyncProperty(rawCase, async (c) => {
        const target = ports[c.port];
        const headers: Record<string, string> = { ...c.extraHeaders };
        if (c.contentType) headers['content-type'] = c.contentType;
        if (c.authorization) {
          headers.authorization = c.authorization === 'fuzzer token' ? fuzzer.user.idToken : c.authorization;
        }
        if (c.target) headers['x-amz-target'] = c.target;
        const withBody = !['GET', 'HEAD'].includes(c.method);
        // Node frames a body of a GET-like method (OPTIONS, DELETE) with nothing unless told its length; the server
        // would rightly read it as the start of a second request. Broken framing is the socket test's business.
        const payload = typeof c.payload === 'string' ? Buffer.from(c.payload) : c.payload;
        if (withBody) headers['content-length'] = String(payload.byteLength);
        const answer = await new Promise<{ status: number; text: string }>((resolveAnswer, reject) => {
          const req = httpRequest(
            { host: target.hostname, port: target.port, method: c.method, path: c.path, headers, agent: false },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () =>
                resolveAnswer({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
              );
              res.on('error', reject);
            },
          );
          req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
          req.on('error', (error: NodeJS.ErrnoException) => {
            // A body past the server's 1 MB limit may be refused (413) and the connection closed while it is still
            // being sent: the client then sees the close, not the answer.
            if (payload.byteLength > 1024 * 1024 && ['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) {
              resolveAnswer({ status: 0, text: '' });
            } else {
              reject(error);
            }
          });
          req.end(withBody ? payload : undefined);
        });
        if (answer.status === 0) return; // closed while an oversized body was still being sent
        count(answer.status);
        const where = `${c.method} ${c.port}${c.path.slice(0, 80)}: ${answer.text.slice(0, 300)}`;
        expect(answer.status, where).toBeGreaterThanOrEqual(200);
        expect(answer.status, where).toBeLessThan(500);
        if (c.port === 'graphql' && c.method === 'POST' && c.path === '/graphql') {
          // AppSync answers every GraphQL POST with JSON, whatever it was sent.
          expect(() => JSON.parse(answer.text), where).not.toThrow();
        }
      }),
      { numRuns: RAW_HTTP_RUNS },
    );
    expect(server.alive()).toBe(true);
  };

  it(
    'raw HTTP to the GraphQL and S3 ports: any method, path, headers and body answer below 500',
    rawHttpFuzz(['graphql', 'graphql', 's3']),
    600_000,
  );
  it(
    'raw HTTP to the user pool port: any method, path, headers and body answer below 500',
    rawHttpFuzz(['pool']),
    600_000,
  );

  /** Bytes that are not HTTP, HTTP with broken framing, WebSocket upgrades with odd targets. */
  function socketFuzz(port: () => string): () => Promise<void> {
    return async () => {
      const target = new URL(port());
      const framing = fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.string({ unit: 'binary', maxLength: 500 }).map((value) => Buffer.from(value)),
        fc
          .tuple(fc.integer({ min: -5, max: 100_000 }), fc.string({ maxLength: 200 }))
          .map(([length, rest]) =>
            Buffer.from(
              `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${rest}`,
            ),
          ),
        fc
          .tuple(fc.stringMatching(/^[0-9a-fA-Fx;-]{0,12}$/), fc.string({ maxLength: 100 }))
          .map(([size, chunk]) =>
            Buffer.from(
              `POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\n${chunk}\r\n0\r\n\r\n`,
            ),
          ),
        fc
          .array(fc.stringMatching(/^[\x20-\x7e]{0,80}$/), { maxLength: 8 })
          .map((lines) => Buffer.from(`GET / HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`)),
        // WebSocket upgrades with odd targets and subprotocols (real time shares the GraphQL port).
        fc
          .tuple(
            fc.oneof(
              fc.constantFrom('//', '*', '/graphql/realtime', '//graphql/realtime', '/graphql/realtime?header=%%'),
              fc.webPath({ size: 'small' }),
            ),
            fc.constantFrom('graphql-ws', 'graphql-ws, header-e30', 'header-!!!', ''),
          )
          .map(([target, protocol]) =>
            Buffer.from(
              `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
                `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
                `Sec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
            ),
          ),
        fc.constant(Buffer.from(`GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)),
        fc.constant(Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(100_000)}\r\n\r\n`)),
      );
      await fc.assert(
        fc.asyncProperty(framing, async (bytes) => {
          const reply = await new Promise<string>((resolveReply) => {
            const socket = connect({ host: target.hostname, port: Number(target.port) });
            const chunks: Buffer[] = [];
            socket.setTimeout(3_000, () => socket.destroy());
            socket.on('data', (chunk: Buffer) => chunks.push(chunk));
            socket.on('close', () => resolveReply(Buffer.concat(chunks).toString('latin1')));
            socket.on('error', () => undefined);
            socket.end(bytes);
          });
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1];
          expect(server.alive(), `the server died:\n${server.output().slice(-2000)}`).toBe(true);
          if (status) {
            count(Number(status));
            expect(Number(status), reply.slice(0, 300)).toBeLessThan(500);
          }
        }),
        { numRuns: RAW_SOCKET_RUNS },
      );
      expect(server.alive()).toBe(true);
      // Still serving.
      expect(await fuzzer.listNotes({ limit: 1 })).toEqual(expect.objectContaining({ items: expect.any(Array) }));
    };
  }

  it(
    'the GraphQL port, given bytes that are not HTTP or broken framing, answers below 500 or closes',
    socketFuzz(() => server.graphqlUrl),
    300_000,
  );
  it(
    'the S3 port, given bytes that are not HTTP or broken framing, answers below 500 or closes',
    socketFuzz(() => server.s3Endpoint!),
    300_000,
  );
  it(
    'the user pool port, given bytes that are not HTTP or broken framing, answers below 500 or closes',
    socketFuzz(() => server.pool!.endpoint),
    300_000,
  );

  it('afterwards every stored attachment names a file that exists', async () => {
    for (const item of await storedNotes(server)) {
      const key = (item.attachment as { key?: string } | null | undefined)?.key;
      if (key) expect(await bucket.exists(key), `the file of ${String(item.noteId)}`).toBe(true);
    }
  });

  it('afterwards the table holds exactly the acknowledged notes, all valid, others untouched', async () => {
    const items = await storedNotes(server);
    for (const item of items) expect(noteItemProblems(item), JSON.stringify(item).slice(0, 500)).toEqual([]);

    const fuzzerItems = new Map(
      items.filter((item) => item.userId === fuzzer.user.sub).map((item) => [String(item.noteId), item]),
    );
    expect([...fuzzerItems.keys()].sort()).toEqual([...model.keys()].sort());
    for (const [id, note] of model) {
      const item = fuzzerItems.get(id)!;
      expect({
        content: item.content,
        version: item.version,
        attachmentKey: (item.attachment as { key?: string } | null | undefined)?.key ?? null,
      }).toEqual(note);
    }
    expect(items.filter((item) => item.userId === alice.user.sub)).toEqual(aliceItemsBefore);

    const statuses = [...statusCounts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(', ');
    report(
      'fuzzing',
      `${requests} requests, none 5xx (${statuses}); acknowledged ${acknowledged.createNote} creates, ` +
        `${acknowledged.updateNote} updates, ${acknowledged.deleteNote} deletes, ${acknowledged.createUploadUrl} ` +
        `upload URLs; the table holds exactly the ${model.size} notes left, all ${items.length} items valid`,
    );
  });
});

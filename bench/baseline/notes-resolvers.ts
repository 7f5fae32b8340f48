// The baseline's hand-written resolvers for the three benchmarked operations: the same DynamoDB calls the notes API's
// resolvers make (GetItem on the caller's key; Query on the caller's partition, newest first, Limit; create-only
// PutItem), straight through the AWS SDK, with the same input checks, and no AppSync emulation in between. With a
// publisher, createNote then publishes the change as the notes API's pipeline does: a SigV4-signed publishNoteChange
// mutation for the server's own /graphql, answered only for that signature (handed to the server in-process, as the
// local server answers a request its API sends itself).
import { randomBytes } from 'node:crypto';
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../local/server/auth/sigv4';
import type { LocalCredentials } from '../../local/server/credentials';

// A type alias, not an interface: graphql-http's context must be a record type.
export type CallerContext = {
  /** The caller's Cognito `sub`: the partition every operation is confined to; null for the IAM-signed publisher. */
  sub: string | null;
};

/** Sends one committed change to the server's publishNoteChange. */
export type Publisher = (owner: string, kind: 'CREATED', note: Record<string, unknown>) => Promise<void>;

// The selection the notes API's publishNoteChange pipeline function sends (resolvers/functions/publishNoteChange.ts).
const PUBLISH = `mutation PublishNoteChange($input: NoteChangeInput!) {
  publishNoteChange(input: $input) {
    owner kind noteId changedAt
    note { noteId content createdAt updatedAt version attachment { key fileName contentType size } }
  }
}`;

/** A request for the server's own /graphql, with every header it would arrive with (Host included). */
export interface OwnRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A publisher that POSTs to `url()`, signed as the notes API's HTTP data source is (service appsync), and handed to
 * the server by `answer`, as the local server answers its own requests without a socket.
 */
export function publisherTo(
  url: () => string,
  credentials: LocalCredentials,
  region: string,
  answer: (request: OwnRequest) => Promise<{ status: number; body: string }>,
): Publisher {
  const signer = new SignatureV4({ service: 'appsync', region, credentials, sha256: NodeSha256 });
  return async (owner, kind, note) => {
    const target = new URL(url());
    const body = JSON.stringify({ query: PUBLISH, variables: { input: { owner, kind, note: JSON.stringify(note) } } });
    const signed = await signer.sign({
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      headers: { 'content-type': 'application/json', host: target.host },
      body,
    });
    const headers = Object.fromEntries(
      Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    headers['content-length'] = String(Buffer.byteLength(body));
    const answered = await answer({ method: 'POST', target: target.pathname, headers, body });
    const errors = answered.status === 200 ? (JSON.parse(answered.body) as { errors?: unknown[] }).errors : undefined;
    if (answered.status !== 200 || errors) {
      throw new Error(`publishNoteChange failed: ${answered.status} ${answered.body}`);
    }
  };
}

/** The caller's partition; the publisher's IAM signature reaches publishNoteChange only. */
function partitionOf({ sub }: CallerContext): string {
  if (sub === null) throw new Error('Not Authorized to access this field with IAM');
  return sub;
}

type Item = Record<string, AttributeValue>;

const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAX_CONTENT_LENGTH = 100_000;
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** 48-bit millisecond time, then 80 random bits, in Crockford base32: sorts by creation time. */
function ulid(now = Date.now()): string {
  let time = '';
  for (let rest = now, i = 0; i < 10; i += 1, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  let random = '';
  for (const byte of randomBytes(16)) random += CROCKFORD[byte % 32];
  return time + random;
}

function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.M !== undefined) return fromItem(value.M);
  if (value.L !== undefined) return value.L.map(fromAttribute);
  throw new Error(`unexpected attribute type ${Object.keys(value).join(',')}`);
}

function fromItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, fromAttribute(value)]));
}

/** The GraphQL view of a stored note: the owner stays server-side. */
function toNote(item: Item) {
  const note = fromItem(item);
  delete note.userId;
  return { attachment: null, ...note };
}

function badInput(message: string): never {
  throw new Error(message);
}

export function notesRootValue(client: DynamoDBClient, tableName: string, publish?: Publisher) {
  return {
    async getNote({ noteId }: { noteId: string }, caller: CallerContext) {
      const sub = partitionOf(caller);
      if (!ULID_PATTERN.test(noteId)) badInput('noteId must be a note id (26-character ULID)');
      const output = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { userId: { S: sub }, noteId: { S: noteId } } }),
      );
      return output.Item ? toNote(output.Item) : null;
    },

    async listNotes({ limit, nextToken }: { limit?: number | null; nextToken?: string | null }, caller: CallerContext) {
      const sub = partitionOf(caller);
      const pageSize = limit ?? DEFAULT_PAGE_SIZE;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        badInput(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
      }
      let startKey: Item | undefined;
      if (nextToken) {
        try {
          startKey = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as Item;
        } catch {
          badInput('nextToken must be a token returned by a previous listNotes call');
        }
        if (startKey?.userId?.S !== sub) badInput('nextToken must be a token returned by a previous listNotes call');
      }
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#userId = :userId',
          ExpressionAttributeNames: { '#userId': 'userId' },
          ExpressionAttributeValues: { ':userId': { S: sub } },
          ScanIndexForward: false,
          Limit: pageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      const last = output.LastEvaluatedKey;
      return {
        items: (output.Items ?? []).map(toNote),
        nextToken: last ? Buffer.from(JSON.stringify(last)).toString('base64url') : null,
      };
    },

    async createNote({ input }: { input: { content: string; attachment?: unknown } }, caller: CallerContext) {
      const sub = partitionOf(caller);
      if (input.content.length < 1 || input.content.length > MAX_CONTENT_LENGTH) {
        badInput(`input.content must be 1 to ${MAX_CONTENT_LENGTH} characters long`);
      }
      if (input.attachment) badInput('the baseline does not handle attachments');
      const now = new Date().toISOString();
      const item: Item = {
        userId: { S: sub },
        noteId: { S: ulid() },
        content: { S: input.content },
        createdAt: { S: now },
        updatedAt: { S: now },
        version: { N: '1' },
      };
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#noteId)',
          ExpressionAttributeNames: { '#noteId': 'noteId' },
        }),
      );
      const note = toNote(item);
      await publish?.(sub, 'CREATED', note);
      return note;
    },

    publishNoteChange(
      { input }: { input: { owner: string; kind: 'CREATED'; note: string | Record<string, unknown> } },
      { sub }: CallerContext,
    ) {
      if (sub !== null) throw new Error('Not Authorized to access publishNoteChange on type Mutation');
      const note = (typeof input.note === 'string' ? JSON.parse(input.note) : input.note) as Record<string, unknown>;
      if (typeof note?.noteId !== 'string' || typeof note.version !== 'number') {
        badInput('input.note must be a stored note as JSON');
      }
      return { owner: input.owner, kind: input.kind, noteId: note.noteId, note, changedAt: note.updatedAt };
    },
  };
}

// The notes table as it is stored, read past the API straight from the server's DynamoDB endpoint: what a test sees
// here is what survives, whatever the API answered.
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { NoteItem } from '../../../resolvers/lib/notes';
import type { ServerProcess } from './server';

/** The notes table's local name (infra/api-definition.ts). */
export const NOTES_TABLE_NAME = 'notes';

/** A DynamoDB attribute value as plain JSON (the types the notes table uses, and sets for completeness). */
function plain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return plainItem(value.M);
  if (value.L !== undefined) return value.L.map(plain);
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(Number));
  if (value.B !== undefined) return value.B;
  throw new Error(`an attribute value of an unknown type: ${JSON.stringify(value)}`);
}

function plainItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, plain(value)]));
}

/** Every item of the notes table (a Scan, page after page), as stored. */
export async function storedNotes(server: Pick<ServerProcess, 'dynamodbEndpoint'>): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({
    endpoint: server.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: NOTES_TABLE_NAME, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      for (const item of page.Items ?? []) items.push(plainItem(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const MAX_CONTENT_LENGTH = 100_000;
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const isWhole = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const isInstant = (value: unknown) =>
  typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));

/**
 * What a stored note must be, attribute by attribute (schema.graphql and resolvers/lib/notes.ts): each check answers
 * a problem or undefined. Keyed by NoteItem's own keys, so a new attribute cannot be stored without a rule here.
 */
const NOTE_ITEM_RULES: Record<keyof NoteItem, (value: unknown, item: Record<string, unknown>) => string | undefined> = {
  userId: (value) => (typeof value === 'string' && value.length > 0 ? undefined : 'userId is not a sub'),
  noteId: (value) => (typeof value === 'string' && ULID.test(value) ? undefined : 'noteId is not a ULID'),
  content: (value) =>
    typeof value === 'string' && value.length >= 1 && value.length <= MAX_CONTENT_LENGTH
      ? undefined
      : 'content is not a string of 1 to 100,000 characters',
  version: (value) => (isWhole(value, 1) ? undefined : 'version is not a whole number from 1'),
  createdAt: (value) => (isInstant(value) ? undefined : 'createdAt is not an ISO 8601 instant'),
  updatedAt: (value, item) =>
    isInstant(value) && Date.parse(value as string) >= Date.parse(String(item.createdAt))
      ? undefined
      : 'updatedAt is not an ISO 8601 instant from createdAt on',
  attachment: (value, item) => {
    if (value === undefined || value === null) return undefined;
    const attachment = value as Record<string, unknown>;
    const problems = [
      typeof attachment.key === 'string' && attachment.key.startsWith(`private/${String(item.userId)}/`)
        ? undefined
        : 'attachment.key is not under the owner private prefix',
      typeof attachment.fileName === 'string' &&
      attachment.fileName.length > 0 &&
      typeof attachment.key === 'string' &&
      attachment.key.endsWith(`/${attachment.fileName}`)
        ? undefined
        : 'attachment.fileName is not the key last segment',
      typeof attachment.contentType === 'string' && /^[a-z]+\/[a-z0-9.+-]+$/.test(attachment.contentType)
        ? undefined
        : 'attachment.contentType is not a MIME type',
      isWhole(attachment.size, 1, MAX_UPLOAD_BYTES) ? undefined : 'attachment.size is not 1 byte to 10 MB',
      Object.keys(attachment).every((name) => ['key', 'fileName', 'contentType', 'size'].includes(name))
        ? undefined
        : `attachment has unknown attributes: ${Object.keys(attachment).join(', ')}`,
    ];
    return problems.filter(Boolean).join('; ') || undefined;
  },
  createFingerprint: (value) =>
    value === undefined || (typeof value === 'string' && value.length > 0) ? undefined : 'createFingerprint is empty',
};

/** Every rule a stored note breaks; an empty list for a valid one. */
export function noteItemProblems(item: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(NOTE_ITEM_RULES)) {
    const problem = rule(item[name], item);
    if (problem) problems.push(problem);
  }
  for (const name of Object.keys(item)) {
    if (!(name in NOTE_ITEM_RULES)) problems.push(`unknown attribute ${name}`);
  }
  return problems;
}

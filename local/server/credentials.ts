// The local AWS credentials: one key pair per data folder, created on first start and never written in source.
// Everything that checks or makes a SigV4 signature locally uses it: the S3 endpoint, the user pool's IAM-signed
// (Admin*) calls, AWS_IAM auth on the API, and the Lambdas (through AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
// Tools find it in `<dataDir>/credentials.json` (mode 0600, readable by its owner only).
//
// Created atomically: the file is written and flushed under a temporary name, then hard-linked to its final name,
// which fails if another process got there first (the loser reads the winner's pair). A crash leaves either no file
// or a whole one. A file that exists but does not hold a key pair stops the start with its name: regenerating it
// silently would lock out every tool configured with the old pair.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileExclusively } from '../stores/shared';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const CREDENTIALS_FILE = 'credentials.json';

/** Upper-case letters and digits, as AWS access key ids use; the prefix says where the key comes from. */
const ACCESS_KEY_ID = /^LOCAL[A-Z2-7]{15}$/;
const SECRET_ACCESS_KEY = /^[A-Za-z0-9+/]{40}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function credentialsFile(dataDir: string): string {
  return path.join(dataDir, CREDENTIALS_FILE);
}

/** A fresh pair: for a data folder's first start, or for a run that keeps no data. */
export function generateLocalCredentials(): LocalCredentials {
  const id = [...randomBytes(15)].map((byte) => BASE32[byte & 31]).join('');
  return { accessKeyId: `LOCAL${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

/** The data folder's pair, created on first use. */
export async function loadOrCreateLocalCredentials(dataDir: string): Promise<LocalCredentials> {
  const file = credentialsFile(dataDir);
  const existing = await readCredentialsFile(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true });
  await createFileExclusively(file, `${JSON.stringify(generateLocalCredentials(), null, 2)}\n`, { mode: 0o600 });
  const created = await readCredentialsFile(file);
  if (!created) throw new Error(`${file} vanished right after it was created`);
  return created;
}

/** The pair of a data folder that has been started at least once (for tools such as `npm run token`). */
export async function readLocalCredentials(dataDir: string): Promise<LocalCredentials> {
  const file = credentialsFile(dataDir);
  const credentials = await readCredentialsFile(file);
  if (!credentials) {
    throw new Error(`No local credentials in ${dataDir} (${file} is missing): start the server once with npm start`);
  }
  return credentials;
}

async function readCredentialsFile(file: string): Promise<LocalCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read the local credentials ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const { accessKeyId, secretAccessKey } = (parsed ?? {}) as Partial<Record<string, unknown>>;
  if (
    typeof accessKeyId !== 'string' ||
    typeof secretAccessKey !== 'string' ||
    !ACCESS_KEY_ID.test(accessKeyId) ||
    !SECRET_ACCESS_KEY.test(secretAccessKey)
  ) {
    throw new Error(
      `${file} does not hold a local key pair ({ "accessKeyId": "LOCAL…", "secretAccessKey": "…" }); ` +
        'delete it to create a new pair at the next start (tools using the old pair must then be given the new one)',
    );
  }
  return { accessKeyId, secretAccessKey };
}

// The pool's files: a missing or damaged pool file stops the start with its name and never gives way to a new pool;
// a new pool folder appears whole or not at all; writes leave no temporary files; a pool kept by the earlier
// cognito-local-based version is imported with its ids, users and subs.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, signUp } from '../../../client/src/auth';
import { generateLocalCredentials } from '../../../local/server/credentials';
import { startCognito } from '../../../local/stores/cognito';
import { startTestPool } from '../../helpers/cognito-pool';

let dataDir: string;
const credentials = generateLocalCredentials();
const alice = { email: 'alice@example.com', password: 'Alice-pass-1' };

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cognito-files-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const poolFile = () => path.join(dataDir, 'cognito', 'pool.json');

async function createdPool(): Promise<{ userPoolId: string; sub: string }> {
  const pool = await startTestPool({ dataDir, credentials, users: [alice] });
  const sub = String(decodeJwt((await signIn(pool, alice.email, alice.password)).idToken).sub);
  await pool.stop();
  return { userPoolId: pool.userPoolId, sub };
}

describe('the pool file', () => {
  it('is private to its owner, as is the folder, and leaves no temporary file behind', async () => {
    await createdPool();
    expect((await stat(poolFile())).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, 'cognito'))).mode & 0o777).toBe(0o700);
    expect((await readdir(path.join(dataDir, 'cognito'))).sort()).toEqual(['keys.json', 'pool.json']);
    expect((await readdir(dataDir)).filter((name) => name.startsWith('.tmp'))).toEqual([]);
  });

  it('stops the start, naming the file, when it is missing from an existing pool folder', async () => {
    await createdPool();
    await rm(poolFile());
    await expect(startCognito({ dir: dataDir, credentials })).rejects.toThrow(
      `The local user pool file ${poolFile()} is missing`,
    );
    // No new pool was made in its place.
    await expect(readFile(poolFile())).rejects.toThrow(/ENOENT/);
  });

  it.each([
    ['empty', ''],
    ['cut short', '{"format":"appsync-local-user-pool","version":1,"pool":{"id":"us-east'],
    ['not a pool', '{"users":{}}'],
  ])('stops the start, naming the file, when it is %s, and leaves it as it is', async (_, content) => {
    await createdPool();
    await writeFile(poolFile(), content);
    await expect(startCognito({ dir: dataDir, credentials })).rejects.toThrow(poolFile());
    expect(await readFile(poolFile(), 'utf8')).toBe(content);
  });

  it('is written whole on every change: what a second start reads is what the first acknowledged', async () => {
    const pool = await startTestPool({ dataDir, credentials });
    const { userSub } = await signUp(pool, 'jo@example.com', 'Jo-pass-12345');
    const stored = JSON.parse(await readFile(poolFile(), 'utf8')) as {
      users: Record<string, { attributes: { sub: string } }>;
    };
    expect(stored.users[userSub].attributes.sub).toBe(userSub);
    // The password itself is not kept, only its SRP verifier.
    expect(JSON.stringify(stored)).not.toContain('Jo-pass-12345');
    await pool.stop();
  });

  it('replaces an empty pool folder left by an interrupted first start', async () => {
    await mkdir(path.join(dataDir, 'cognito'));
    const pool = await startTestPool({ dataDir, credentials, users: [alice] });
    await expect(signIn(pool, alice.email, alice.password)).resolves.toHaveProperty('idToken');
    await pool.stop();
  });
});

describe('a pool of the earlier local version (cognito-local files)', () => {
  async function writeLegacyPool(users: object) {
    const db = path.join(dataDir, 'cognito', 'db');
    await mkdir(db, { recursive: true });
    await writeFile(
      path.join(db, 'clients.json'),
      JSON.stringify({
        Clients: {
          legacyclient0123456789abcd: {
            ClientId: 'legacyclient0123456789abcd',
            ClientName: 'local-web-client',
            UserPoolId: 'local_Ab12Cd34',
          },
        },
      }),
    );
    await writeFile(
      path.join(db, 'local_Ab12Cd34.json'),
      JSON.stringify({ Users: users, Options: { Id: 'local_Ab12Cd34' }, Groups: {} }),
    );
  }

  it('is imported with its pool id, client id, usernames, subs and passwords', async () => {
    await writeLegacyPool({
      '11111111-2222-4333-8444-555555555555': {
        Username: '11111111-2222-4333-8444-555555555555',
        Password: 'Legacy-pass-12',
        Attributes: [
          { Name: 'sub', Value: '11111111-2222-4333-8444-555555555555' },
          { Name: 'email', Value: 'old@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        UserStatus: 'CONFIRMED',
        Enabled: true,
      },
    });
    const pool = await startTestPool({ dataDir, credentials });
    try {
      expect({ pool: pool.userPoolId, client: pool.clientId }).toEqual({
        pool: 'local_Ab12Cd34',
        client: 'legacyclient0123456789abcd',
      });
      const { idToken } = await signIn(pool, 'old@example.com', 'Legacy-pass-12');
      expect(decodeJwt(idToken).sub).toBe('11111111-2222-4333-8444-555555555555');
    } finally {
      await pool.stop();
    }
  });

  it('stops the start, naming the file, when its pool file was emptied by the old crash', async () => {
    await writeLegacyPool({});
    await writeFile(path.join(dataDir, 'cognito', 'db', 'local_Ab12Cd34.json'), '');
    await expect(startCognito({ dir: dataDir, credentials })).rejects.toThrow(
      path.join(dataDir, 'cognito', 'db', 'local_Ab12Cd34.json'),
    );
  });
});

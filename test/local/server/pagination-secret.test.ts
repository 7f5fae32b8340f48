// The data folder's pagination-token secret: made once and kept, crash-safely, and never an empty key.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { persistentSecret } from '../../../local/server/serve';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pagination-secret-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('persistentSecret', () => {
  it('creates a 256-bit secret readable by the owner only, and keeps it', async () => {
    const file = path.join(dir, 'nested', 'pagination-token.key');
    const secret = await persistentSecret(file);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await persistentSecret(file)).toBe(secret);
  });

  it('gives concurrent starts the same secret', async () => {
    const file = path.join(dir, 'pagination-token.key');
    const secrets = await Promise.all(Array.from({ length: 8 }, () => persistentSecret(file)));
    expect(new Set(secrets).size).toBe(1);
  });

  it('replaces a file left empty by a crash instead of sealing tokens with an empty key', async () => {
    const file = path.join(dir, 'pagination-token.key');
    await writeFile(file, '');
    const secret = await persistentSecret(file);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await readFile(file, 'utf8')).trim()).toBe(secret);
  });
});

// The local key pair: one per data folder, created once (even by racing starts), private to its owner, kept across
// restarts, and never silently replaced when the file is damaged.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  credentialsFile,
  generateLocalCredentials,
  loadOrCreateLocalCredentials,
  readLocalCredentials,
} from '../../../local/server/credentials';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'credentials-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('local credentials', () => {
  it('look like an AWS key pair and differ on every generation', () => {
    const first = generateLocalCredentials();
    const second = generateLocalCredentials();
    expect(first.accessKeyId).toMatch(/^LOCAL[A-Z2-7]{15}$/);
    expect(first.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.secretAccessKey).not.toBe(first.secretAccessKey);
  });

  it('are created once per data folder, readable by the owner only, and kept across loads', async () => {
    const created = await loadOrCreateLocalCredentials(dataDir);
    const file = credentialsFile(dataDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(created);
    await expect(loadOrCreateLocalCredentials(dataDir)).resolves.toEqual(created);
    await expect(readLocalCredentials(dataDir)).resolves.toEqual(created);
  });

  it('are the same pair for starts that race on an empty folder, with no temporary file left', async () => {
    const pairs = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateLocalCredentials(dataDir)));
    expect(new Set(pairs.map((pair) => JSON.stringify(pair))).size).toBe(1);
    expect(await readdir(dataDir)).toEqual(['credentials.json']);
  });

  it('create the data folder when it does not exist yet', async () => {
    const nested = path.join(dataDir, 'a', 'b');
    const created = await loadOrCreateLocalCredentials(nested);
    await expect(readLocalCredentials(nested)).resolves.toEqual(created);
  });

  it('stop a start on a damaged file, naming it, and leave the file as it was', async () => {
    const file = credentialsFile(dataDir);
    for (const damaged of ['', '{"accessKeyId":"LOCALAAAAAAAAAAAAAAA"', '{"accessKeyId":"x","secretAccessKey":"y"}']) {
      await writeFile(file, damaged);
      await expect(loadOrCreateLocalCredentials(dataDir)).rejects.toThrow(`${file} does not hold a local key pair`);
      expect(await readFile(file, 'utf8')).toBe(damaged);
    }
  });

  it('tell a tool to start the server when the folder has none', async () => {
    await expect(readLocalCredentials(dataDir)).rejects.toThrow(/is missing\): start the server once with npm start/);
  });
});

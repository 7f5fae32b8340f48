// A new PostgreSQL cluster is a copy of a pristine one kept in the cache: the first new cluster runs initdb and saves
// the copy (replacing a damaged one); later ones load it, on disk or in memory, and behave as a fresh cluster.
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_DIR } from '../../../../../local/bundle-cache';
import { createCluster, templateFile } from '../../../../../local/server/datasources/rds/postgres';

const PGLITE_MS = 120_000;
let dir: string;
let template: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pg-template-'));
  template = path.join(dir, 'cache', 'cluster.tar.gz');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A table of its own in a new cluster, to show the cluster works and starts empty. */
async function useFreshCluster(db: PGlite): Promise<void> {
  try {
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
    );
    expect(rows).toEqual([{ n: 0 }]);
    await db.exec('CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, $$one$$)');
    expect((await db.query('SELECT body FROM notes')).rows).toEqual([{ body: 'one' }]);
  } finally {
    await db.close();
  }
}

describe('new PostgreSQL clusters', () => {
  it('is kept, by PGlite version, in the cache the bundles use', () => {
    expect(templateFile()).toMatch(new RegExp(`^${CACHE_DIR}/postgres-cluster-pglite-\\d+\\.\\d+\\.\\d+\\.tar\\.gz$`));
  });

  it(
    'saves a copy of a new cluster made before anything was written to it, replacing a damaged copy',
    async () => {
      await mkdir(path.dirname(template), { recursive: true });
      await writeFile(template, 'not a cluster');
      const first = path.join(dir, 'first');
      await mkdir(first);
      await useFreshCluster(await createCluster(PGlite, first, template));
      // A gzipped tar of the cluster's files.
      const tar = gunzipSync(await readFile(template));
      expect(tar.subarray(257, 262).toString()).toBe('ustar');
      expect(tar.includes(Buffer.from('PG_VERSION'))).toBe(true);
    },
    PGLITE_MS,
  );

  it(
    'loads the copy into a new folder, and into memory, as a fresh cluster',
    async () => {
      const saved = (await stat(template)).mtimeMs;
      const second = path.join(dir, 'second');
      await mkdir(second);
      await useFreshCluster(await createCluster(PGlite, second, template));
      expect(await readdir(second)).toContain('PG_VERSION');
      // Reopened from its folder, it has what was written.
      const reopened = await PGlite.create({ dataDir: second });
      expect((await reopened.query('SELECT body FROM notes')).rows).toEqual([{ body: 'one' }]);
      await reopened.close();
      await useFreshCluster(await createCluster(PGlite, undefined, template));
      expect((await stat(template)).mtimeMs).toBe(saved);
    },
    PGLITE_MS,
  );
});

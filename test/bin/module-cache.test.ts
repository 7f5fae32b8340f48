// The start path's bundle cache (bin/module-cache.js): a bundle is reused only while every file it was built from is
// unchanged, including a file saved while the bundle was being built.
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedBuild } from '../../bin/module-cache.js';

const build = cachedBuild as (kind: string, entry: string, options: object) => Promise<string>;
const options = { platform: 'node', format: 'esm' };

describe('the bundle cache', () => {
  let dir: string;
  let kind: string;
  let entry: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'module-cache-'));
    kind = `test-${path.basename(dir)}`;
    entry = path.join(dir, 'entry.ts');
    await writeFile(entry, "export const answer: string = 'first';\n");
    // Saved a while ago: a file saved just before a build may have been saved during it, and is not vouched for.
    const earlier = new Date(Date.now() - 60_000);
    await utimes(entry, earlier, earlier);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(path.join('node_modules/.cache/appsync-local', kind), { recursive: true, force: true });
  });

  it('reuses a bundle while its inputs are unchanged and builds again after an edit', async () => {
    const first = await build(kind, entry, options);
    expect(await build(kind, entry, options)).toBe(first);
    await writeFile(entry, "export const answer: string = 'second';\n");
    await utimes(entry, new Date(), new Date(Date.now() + 1000));
    const second = await build(kind, entry, options);
    expect(second).not.toBe(first);
    expect(await readFile(second, 'utf8')).toContain('second');
  });

  it('does not keep a bundle whose input was saved while it was built', async () => {
    // The edit lands after esbuild has read the file: the bundle holds the old text.
    const editAfterReading: Plugin = {
      name: 'edit-after-reading',
      setup(plugin) {
        plugin.onLoad({ filter: /entry\.ts$/ }, async (args) => {
          const contents = await readFile(args.path, 'utf8');
          await writeFile(args.path, "export const answer: string = 'saved during the build';\n");
          return { contents, loader: 'ts' };
        });
      },
    };
    const stale = await build(kind, entry, { ...options, plugins: [editAfterReading] });
    expect(await readFile(stale, 'utf8')).toContain('first');
    const next = await build(kind, entry, options);
    expect(next).not.toBe(stale);
    expect(await readFile(next, 'utf8')).toContain('saved during the build');
  });
});

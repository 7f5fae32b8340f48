// esbuild's service (a child process, and after a synchronous build a thread running another) is stopped once no build
// has used it for a second, so a server that has finished building does not keep it; the next build starts it again.
import { readdirSync, readFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { releaseEsbuild, withEsbuild } from '../../bin/module-cache.js';

/** This process's esbuild service processes, found through every thread's children. */
function esbuildServices(): number[] {
  const found: number[] = [];
  for (const thread of readdirSync('/proc/self/task')) {
    let children: string;
    try {
      children = readFileSync(`/proc/self/task/${thread}/children`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    for (const pid of children.split(' ').filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--service=')) found.push(pid);
      } catch {
        // exited meanwhile
      }
    }
  }
  return found;
}

async function gone(timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (esbuildServices().length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return esbuildServices().length === 0;
}

describe.runIf(process.platform === 'linux')("esbuild's service", () => {
  it('stops a second after the last build, and starts again for the next', async () => {
    const first = await withEsbuild((esbuild) => esbuild.transform('let a: number = 1', { loader: 'ts' }));
    expect(first.code).toBe('let a = 1;\n');
    expect(esbuildServices().length).toBeGreaterThan(0);
    expect(await gone()).toBe(true);

    const again = await withEsbuild((esbuild) => esbuild.transform('let b: string = "x"', { loader: 'ts' }));
    expect(again.code).toBe('let b = "x";\n');
    expect(await gone()).toBe(true);
  });

  it('is not stopped while a build runs, however long it takes', async () => {
    const slow = withEsbuild(async (esbuild) => {
      // Longer than the idle second, with the service in use at both ends.
      await esbuild.transform('let c = 1', {});
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return esbuild.transform('let d: number = 2', { loader: 'ts' });
    });
    // Another build ends meanwhile and would stop an idle service.
    await withEsbuild((esbuild) => esbuild.transform('let e = 3', {}));
    expect((await slow).code).toBe('let d = 2;\n');
    expect(await gone()).toBe(true);
  });

  it('also stops the thread and process of a synchronous build', async () => {
    const built = buildSync({ stdin: { contents: 'export const f: number = 4', loader: 'ts' }, write: false });
    expect(built.outputFiles[0].text).toContain('f = 4');
    expect(esbuildServices().length).toBeGreaterThan(0);
    releaseEsbuild();
    expect(await gone()).toBe(true);
    expect(buildSync({ stdin: { contents: 'export const g = 5' }, write: false }).outputFiles[0].text).toContain(
      'g = 5',
    );
    releaseEsbuild();
    expect(await gone()).toBe(true);
  });
});

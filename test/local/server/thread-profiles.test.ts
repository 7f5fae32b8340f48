// `node --cpu-prof bin/appsync-local.js serve` profiles every thread that works on a request (the benchmark's
// BENCH_PROFILE=1 reads them): the worker threads take the host's profiler flags, and at a stop they end by
// themselves, since Node writes a thread's profile only then, not for a thread that is terminated.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profilerFlags } from '../../../local/threads';

const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('profilerFlags', () => {
  it('passes on the CPU and heap profilers with their folder and interval, in either form, and nothing else', () => {
    const profiler = ['--cpu-prof', '--cpu-prof-dir', '/tmp/profiles', '--cpu-prof-interval=100'];
    const heapProfiler = ['--heap-prof', '--heap-prof-dir=/tmp/heap'];
    const others = ['--max-old-space-size=512', '--require', './preload.cjs', '--inspect'];
    expect(profilerFlags([others[0], ...profiler, ...others.slice(1, 3), ...heapProfiler, others[3]])).toEqual([
      ...profiler,
      ...heapProfiler,
    ]);
  });

  it('keeps back --cpu-prof-name, which would make every thread write the same file', () => {
    expect(profilerFlags(['--cpu-prof', '--cpu-prof-name', 'server.cpuprofile', '--cpu-prof-name=x'])).toEqual([
      '--cpu-prof',
    ]);
  });

  it('is empty without a profiler', () => {
    expect(profilerFlags(['--enable-source-maps', '--cpu-prof-dirs', 'x'])).toEqual([]);
  });
});

describe('node --cpu-prof on the local server', () => {
  let dir: string;
  let exitCode: number | null;
  let roles: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'thread-profiles-'));
    const profiles = path.join(dir, 'profiles');
    // Sampled every 100 µs, so that even a thread that only started and stopped has samples in its own script.
    const child = spawn(
      process.execPath,
      [
        '--cpu-prof',
        '--cpu-prof-dir',
        profiles,
        '--cpu-prof-interval',
        '100',
        'bin/appsync-local.js',
        'serve',
        '--config',
        'appsync-local.config.ts',
        '--port',
        '0',
        '--data-dir',
        path.join(dir, 'data'),
      ],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: undefined } },
    );
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('is running locally')) resolve();
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      void exited.then(() => reject(new Error(`the server exited before its banner:\n${output}`)));
    });
    child.kill('SIGTERM');
    exitCode = await exited;
    roles = [];
    for (const file of await readdir(profiles)) {
      const profile = JSON.parse(await readFile(path.join(profiles, file), 'utf8')) as {
        nodes: Array<{ callFrame: { url: string } }>;
      };
      const urls = profile.nodes.map((node) => node.callFrame.url);
      const ran = (part: string) => urls.some((url) => url.includes(part));
      roles.push(
        ran('/evaluation-worker-')
          ? 'resolver worker'
          : ran('dynalite')
            ? 'DynamoDB store'
            : ran('/modules/cli-')
              ? 'main'
              : `other: ${file}`,
      );
    }
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a profile for the main thread, the DynamoDB store thread and each resolver worker', () => {
    expect(exitCode).toBe(0);
    const workers = Math.max(2, availableParallelism());
    expect(roles.sort()).toEqual(['DynamoDB store', 'main', ...Array<string>(workers).fill('resolver worker')].sort());
  });
});

// `node --cpu-prof bin/appsync-local.js serve` profiles every thread that works on a request (the benchmark's
// BENCH_PROFILE=1 reads them): the worker threads take the host's profiler flags, and at a stop they end by
// themselves, since Node writes a thread's profile only then, not for a thread that is terminated.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadRole, type CpuProfile } from '../../../bench/lib/cpu-profile';
import { startLocalServer } from '../../../bench/lib/local-cli';
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
    // The server as the bench profiles it (bench/lib/local-cli.ts), stopped by SIGTERM. Sampled every 100 µs, so that
    // even a thread that only started and stopped has samples in its own script.
    const server = await startLocalServer({
      projectRoot: PROJECT_ROOT,
      dataDir: path.join(dir, 'data'),
      logFile: path.join(dir, 'server.log'),
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '100'],
    });
    exitCode = await server.stop();
    roles = [];
    for (const file of await readdir(profiles)) {
      roles.push(threadRole(JSON.parse(await readFile(path.join(profiles, file), 'utf8')) as CpuProfile));
    }
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a profile for the main thread, the DynamoDB store thread and each resolver worker', () => {
    expect(exitCode).toBe(0);
    const workers = Math.max(2, availableParallelism());
    expect(roles.sort()).toEqual(
      ['DynamoDB store (dynalite)', 'main', ...Array<string>(workers).fill('resolver worker')].sort(),
    );
  });
});

// One server (or one connection to a deployed stack) per test file, started before its tests and closed after them;
// the users are signed in once and shared by the file's tests.
import { afterAll, beforeAll } from 'vitest';
import { PROJECT_ROOT, startLocalTarget, type LocalTarget, type LocalTargetOptions } from './local-target';
import { connectDeployedTarget, DEPLOYED_ENV, deployedSettingsFromEnv } from './deployed-target';
import type { E2ETarget } from './target';

/** The deployed stack when the run asks for it (E2E_TARGET=deployed), otherwise the local server. */
async function connectTarget(): Promise<E2ETarget> {
  if (process.env[DEPLOYED_ENV.target] === 'deployed') {
    return connectDeployedTarget(deployedSettingsFromEnv(process.env, PROJECT_ROOT));
  }
  return startLocalTarget();
}

function useStarted<T extends { close(): Promise<void> }>(start: () => Promise<T>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.close();
  });
  return () => {
    if (!started) throw new Error('The e2e target is not started: use it inside tests or hooks, not at file level');
    return started;
  };
}

/** For test files that hold on any target, local or deployed. */
export function useTarget(): () => E2ETarget {
  return useStarted(connectTarget);
}

/** For test files that need the local server itself (its counters, data folder, clock or signing keys). */
export function useLocalTarget(options: LocalTargetOptions = {}): () => LocalTarget {
  return useStarted(() => startLocalTarget(options));
}

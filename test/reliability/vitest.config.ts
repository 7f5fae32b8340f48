// `npm run test:reliability`: issue 8's proof. Every file starts real servers (`appsync-local serve` processes on
// loopback ports) and some load them for a minute, so files run one at a time, each in its own process, and the run
// stays well under ten minutes on an idle two-core machine. Kept out of `npm test` (see vitest.config.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/reliability/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    globalSetup: ['test/reliability/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests need Debian's Chromium, which a fresh machine lacks: `npm run test:browser` runs them (CI does).
    // test/reliability/ runs the real server under load for minutes: the reliability suite runs it, not npm test.
    exclude: ['**/node_modules/**', 'test/**/*.browser.test.ts', 'test/reliability/**'],
    // Two cores: forks keep each file's servers and stores apart without oversubscribing.
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: a single fork here. Most files wait on servers and child
    // processes rather than compute, so two forks on two cores took the suite from 232 s to 159 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Files share their fork's modules: importing the server, the AWS SDK and graphql again for each of ~150 files was
    // most of the suite's time. A file that changes what a module reads at import (test/helpers/function-env.ts)
    // imports it afresh and gives the environment back when it ends.
    isolate: false,
    testTimeout: 20_000,
    // The AWS SDK's notice that it will need Node 22 from 2027, printed once per test process, is noise here.
    // CDK checks every template it synthesizes with CloudFormation's validation engine (WebAssembly), reporting what
    // it finds as warnings that fail no test. Starting the engine took seconds in each fork, again for every new set
    // of resource types (the infra files spent about 20 s in it); test/infra/notes-stack.test.ts runs it on purpose,
    // its findings as errors.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_VALIDATION: 'false' },
    hookTimeout: 60_000,
    experimental: {
      // Transformed modules kept on disk (node_modules/.experimental-vitest-cache), keyed by their source and the
      // config: a run after the first transforms only what changed (a subset measured 3.4 s -> 1.3 s of transform).
      fsModuleCache: true,
    },
  },
});

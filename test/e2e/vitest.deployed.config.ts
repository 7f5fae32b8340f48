// `npm run test:deployed`: the e2e files that hold on any target, against a deployed stack (scripts/test-deployed.ts
// sets E2E_TARGET and checks the outputs and credentials first). Files under test/e2e/local/ need the local server
// itself (its clock, counters, data folder or signing keys) and stay out.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...base.test,
    // A file per process, as before npm test shared them: these suites run rarely and were never tried shared.
    isolate: true,
    include: ['test/e2e/*.test.ts'],
    // Browser tests drive the local console page, which a deployed API does not serve.
    exclude: ['test/e2e/**/*.browser.test.ts'],
    // Over the internet: slower calls, and one file at a time so the two test users' data stay predictable.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
  },
});

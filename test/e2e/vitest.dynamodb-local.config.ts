// `npm run test:e2e:dynamodb-local`: the e2e suite with AWS's DynamoDB Local as every server's store, the fidelity
// reference for what dynalite stands in for in `npm test`.
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
    include: ['test/e2e/**/*.test.ts'],
    // Browser tests start their own server on dynalite: they exercise the console page, not the store.
    exclude: ['test/e2e/**/*.browser.test.ts'],
    globalSetup: ['test/e2e/global-setup.dynamodb-local.ts'],
  },
});

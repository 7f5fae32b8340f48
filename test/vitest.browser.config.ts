// `npm run test:browser`: tests that drive Debian's Chromium (apt-get install chromium), kept out of `npm test` so
// that a fresh machine with only Node passes it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.js';

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    ...base.test,
    // A file per process, as before npm test shared them: these suites run rarely and were never tried shared.
    isolate: true,
    include: ['test/**/*.browser.test.ts'],
    exclude: ['**/node_modules/**'],
  },
});

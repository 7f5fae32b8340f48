// `npm run test:e2e:cdk`: the notes e2e suite against the API `appsync-local serve --cdk` serves, read from the CDK
// app's synthesized template with no config (issue 9): the template, its inline resolver code and the Lambda bundles
// CDK built must behave as the definition the rest of the suite serves.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...base.test,
    // The suite that runs against any target; test/e2e/local/ starts servers with settings of its own.
    include: ['test/e2e/*.test.ts'],
    exclude: ['test/e2e/**/*.browser.test.ts'],
    globalSetup: ['test/e2e/global-setup.cdk.ts'],
    // cdk synth bundles every function with esbuild first.
    hookTimeout: 180_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: forks keep each file's servers and stores apart without oversubscribing.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

// Flat config: typescript-eslint everywhere; resolvers/ also get the APPSYNC_JS rules (no regex literals, no
// try/catch, no classes...), type-aware against their own tsconfig, so unsupported code fails here, not at deploy.
import js from '@eslint/js';
import appsync from '@aws-appsync/eslint-plugin';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  { ignores: ['node_modules/', 'cdk.out/', '.data/', '**/dist/', 'coverage/', '**/*.generated.*'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['resolvers/**/*.ts'],
    extends: [appsync.configs.recommended],
    languageOptions: {
      parserOptions: { project: './resolvers/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
]);

// The parsers that check and rewrite resolver code, loaded when code is first compiled. A start whose compiled code
// all comes from the disk cache (compile-cache.ts) needs none of them, and bundled they were a tenth of what every
// start of the CLI read and compiled.
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

export const acorn = () => requireHere('acorn') as typeof import('acorn');
export const acornWalk = () => requireHere('acorn-walk') as typeof import('acorn-walk');
export const eslintScope = () => requireHere('eslint-scope') as typeof import('eslint-scope');

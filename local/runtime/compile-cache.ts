// compileCode's results kept on disk: validating and rewriting a resolver bundle (acorn parse, every AppSync rule)
// is most of what loading an API costs, and the result depends only on the bundle's text and the runtime's own
// validator and loader. A server start with unchanged resolvers reads a small file per bundle instead.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR } from '../bundle-cache';
import { compileCode, type CompiledCode, type LoadOptions } from './runtime';

const dir = path.join(CACHE_DIR, 'compiled');
// What a compiled result depends on besides the code: these sources, and V8 (the realm's global names).
const DEPENDENCIES = ['./validate.ts', './loader.ts', './features.ts', './realm.ts', './runtime.ts'];
let runtimeDigest: string | undefined;

function digestOfRuntime(): string {
  if (!runtimeDigest) {
    const hash = createHash('sha256').update(process.version);
    for (const file of DEPENDENCIES) hash.update(readFileSync(fileURLToPath(new URL(file, import.meta.url))));
    runtimeDigest = hash.digest('hex');
  }
  return runtimeDigest;
}

export function compileCodeCached(code: string, options: LoadOptions = {}): CompiledCode {
  if (typeof code !== 'string') return compileCode(code, { ...options, checkSyntax: true });
  const key = createHash('sha256')
    .update(`${digestOfRuntime()}\0${options.name ?? ''}\0${options.validate ?? true}\0${options.strict ?? false}\0`)
    .update(code)
    .digest('hex')
    .slice(0, 32);
  const file = path.join(dir, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CompiledCode;
  } catch {
    // Not cached yet (or unreadable): compile.
  }
  const compiled = compileCode(code, { ...options, checkSyntax: true });
  try {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(compiled));
    renameSync(partial, file);
  } catch {
    // A read-only install only loses the cache.
  }
  return compiled;
}

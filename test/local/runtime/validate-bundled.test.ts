// Deployed code is esbuild output, not hand-written modules: the validator must take esbuild's style (renamed
// imports, `void 0`, enum IIFEs, namespace-export helpers, inline source maps) without false positives.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCode } from '../../../local/runtime/validate';
import { bundleResolverSync } from '../../../local/runtime/bundle';
import { lintError } from '../../helpers/validate-code';

const HELPER_TS = `import { util, type Context } from '@aws-appsync/utils';

export enum NoteStatus {
  Draft = 'DRAFT',
  Published = 'PUBLISHED',
}

export type Page<T> = { items: T[]; nextToken?: string | null };

export function checkErrorsAndRespond(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}

export const pick = <T extends object, K extends keyof T>(source: T, keys: K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((key) => [key, source[key]])) as Pick<T, K>;

export function pageOf<T>(result: { items?: T[]; nextToken?: string }): Page<T> {
  return { items: result.items ?? [], nextToken: result.nextToken ?? null };
}
`;

const RESOLVER_TS = `import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import * as helpers from './helper';
import { NoteStatus, pageOf } from './helper';
export { checkErrorsAndRespond as response } from './helper';

type Args = { owner?: string; status?: NoteStatus; tags?: string[]; limit?: number; nextToken?: string };

export function request(ctx: Context<Args>) {
  const { owner = ctx.identity?.sub, limit = 20, ...rest } = ctx.args;
  const tags = (ctx.args.tags ?? []).filter((tag) => tag.length > 0).map((tag) => tag.toLowerCase());
  for (const [key, value] of Object.entries(rest)) {
    console.log(\`\${key}=\${JSON.stringify(value)}\`);
  }
  const statuses = Object.values(NoteStatus);
  if (ctx.args.status && !statuses.includes(ctx.args.status)) {
    util.error(\`unknown status \${ctx.args.status}\`, 'ValidationError');
  }
  ctx.stash.page = pageOf({ items: tags });
  ctx.stash.summary = helpers.pick({ owner, limit, count: tags.length }, ['owner', 'count']);
  return ddb.query({
    query: { owner: { eq: owner } },
    filter: tags.length > 0 ? { tags: { contains: tags[0] } } : undefined,
    limit: Math.min(limit, 100),
    nextToken: ctx.args.nextToken,
  });
}
`;

// Reading a namespace import as a value makes esbuild emit its `__export` helper, whose getters return functions.
const NAMESPACE_RESOLVER_TS = `import * as helpers from './helper';
export function request(ctx: any) {
  const name = ctx.args.helper as keyof typeof helpers;
  return { kind: typeof helpers[name] };
}
export function response(ctx: any) {
  return ctx.result;
}
`;

const LOOPING_HELPER_TS = `export function countDown(from: number) {
  let left = from;
  while (left > 0) {
    left -= 1;
  }
  return left;
}
`;

const LOOPING_RESOLVER_TS = `import { countDown } from './looping-helper';
export function request(ctx: any) {
  return { left: countDown(ctx.args.from) };
}
export function response(ctx: any) {
  return ctx.result;
}
`;

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'validate-bundled-'));
  writeFileSync(join(workDir, 'helper.ts'), HELPER_TS);
  writeFileSync(join(workDir, 'Query.listNotes.ts'), RESOLVER_TS);
  writeFileSync(join(workDir, 'Query.helperKind.ts'), NAMESPACE_RESOLVER_TS);
  writeFileSync(join(workDir, 'looping-helper.ts'), LOOPING_HELPER_TS);
  writeFileSync(join(workDir, 'Query.countDown.ts'), LOOPING_RESOLVER_TS);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** esbuild with the flags AWS documents for APPSYNC_JS bundles. */
function bundle(entry: string, target?: string): string {
  const result = buildSync({
    entryPoints: [join(workDir, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    external: ['@aws-appsync/*'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'silent',
    ...(target ? { target } : {}),
  });
  return result.outputFiles[0].text;
}

describe('validateCode on esbuild bundles', () => {
  it.each([['esbuild’s default target'], ['es2020']])(
    'accepts a realistic TypeScript resolver bundled for %s',
    (label) => {
      const code = bundle('Query.listNotes.ts', label === 'es2020' ? 'es2020' : undefined);
      // The bundle really has esbuild's own constructs in it: the enum's IIFE, renamed duplicate imports.
      expect(code).toContain('NoteStatus2');
      expect(code).toContain('util as util2');
      expect(code).toContain('//# sourceMappingURL=data:application/json;base64,');
      expect(validateCode(code)).toEqual([]);
    },
  );

  it('reports the function-returning getters of esbuild’s namespace helper, as no-function-return does', () => {
    const code = bundle('Query.helperKind.ts');
    const getters = ['() => checkErrorsAndRespond', '() => pageOf', '() => pick'];
    for (const getter of getters) expect(code).toContain(getter);
    expect(validateCode(code)).toEqual(
      getters.map((getter) => lintError(code, getter, 'returning a function is not allowed')),
    );
  });

  it('reports a violation in a bundled helper at its line in the bundle', () => {
    const code = bundle('Query.countDown.ts');
    const loop = 'while (left > 0) {\n    left -= 1;\n  }';
    expect(code).toContain(loop);
    expect(validateCode(code)).toEqual([lintError(code, loop, 'While statements are not supported.')]);
  });
});

describe('validateCode on this project’s resolvers', () => {
  const resolversDir = fileURLToPath(new URL('../../../resolvers/', import.meta.url));
  const entries = ['', 'functions/']
    .flatMap((folder) =>
      readdirSync(join(resolversDir, folder))
        .filter((name) => name.endsWith('.ts'))
        .map((name) => `${folder}${name}`),
    )
    .sort();

  it('finds resolvers to check', () => {
    expect(entries.length).toBeGreaterThan(0);
  });

  it.each(entries)('accepts the bundle of resolvers/%s', (entry) => {
    expect(validateCode(bundleResolverSync(join(resolversDir, entry)))).toEqual([]);
  });
});

// What one request may cost, on the engine itself. The API is a small one written for the test: its data sources
// are scripted here (they answer with the request's payload, slowly or never when a test needs that), because the
// engine's limits are what is under test, not a data source.
//
// AppSync's figures and errors, and where they come from:
// - Query depth: https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html ("going past its
//   upper bound will result in a QueryDepthLimitReached error"; with a limit of 2 the third level (L3) errors; "If a
//   non-nullable field receives a QueryDepthLimitReached error, that error will be thrown to the first nullable
//   parent field"). Scalar leaves count as a level: a public API on AppSync documents `{ root { child { name } } }`
//   as depth 3 and "fails at execution time with errorType QueryDepthLimitReached and partial data".
// - Resolver count: the same page ("By default, each query can process up to 10000 resolvers"; past the limit "the
//   query [ends] with a ResolverExecutionLimitReached error on additional resolvers", "the third resolver throws an
//   error and doesn't run"). The AppSync quota "Resolvers executed in a single request: 10,000" counts each run, a
//   list's items included (blog.graphbolt.dev/the-aws-appsync-limits-you-need-to-know; users hit it with nested
//   lists: aws-amplify/amplify-category-api#226).
// - Duration: quota "Request execution time for mutations, queries, and subscriptions: 30 seconds"
//   (docs.aws.amazon.com/general/latest/gr/appsync.html); a data source past it answers ctx.error
//   { message: 'Execution timed out.', type: 'Lambda:ExecutionTimeoutException' } (aws-appsync-community#386).
// Only the errorType names are documented for the two limits; their messages here are ours.
// The response-size ceiling is the local server's own (AppSync documents a 5 MB limit per resolver result, none for
// the whole response), in the same shape.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import { GraphQLEngine, type Caller } from '../../../local/server/engine';
import type { DataSource, DataSourceOutcome } from '../../../local/server/datasources';
import type { RequestLimitOptions } from '../../../local/server/request-limits';

const SCHEMA = `
type Node {
  name: String
  label: String
  leaf: String!
  child: Node
}
type Query {
  root: Node
  value(n: Int!): String
  nodes(count: Int!): [Node]
  big(size: Int!): String
  slow: String
  paced(n: Int!): Int
  blob(size: Int!): Blob
}
type Blob {
  text: String
}
`;

const PASS_THROUGH = `
export function request(ctx) { return { payload: ctx.args }; }
export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
`;

/** A tree of `depth` nested nodes, as the root resolver's result. */
function tree(depth: number): unknown {
  let node: unknown = null;
  for (let level = depth; level >= 1; level -= 1) node = { name: `n${level}`, leaf: `l${level}`, child: node };
  return node;
}

const resolvers: Record<string, string> = {
  'Query.root': `export function request() { return { payload: ${JSON.stringify(tree(12))} }; }
export function response(ctx) { return ctx.result; }`,
  'Query.value': `export function request(ctx) { return { payload: 'v' + ctx.args.n }; }
export function response(ctx) { return ctx.result; }`,
  'Query.nodes': `export function request(ctx) {
  return { payload: Array.from({ length: ctx.args.count }).map((_, i) => ({ name: 'item' + i })) };
}
export function response(ctx) { return ctx.result; }`,
  'Node.label': `export function request(ctx) { return { payload: ctx.source.name + '!' }; }
export function response(ctx) { return ctx.result; }`,
  'Query.big': PASS_THROUGH,
  'Query.slow': PASS_THROUGH,
  'Query.paced': PASS_THROUGH,
  'Query.blob': `export function request(ctx) { return { payload: { size: ctx.args.size, object: true } }; }
export function response(ctx) { return ctx.result; }`,
};

const DATA_SOURCE_OF: Record<string, string> = {
  'Query.big': 'big',
  'Query.blob': 'big',
  'Query.slow': 'slow',
  'Query.paced': 'paced',
};

const caller: Caller = { mode: 'API_KEY', identity: null, groups: [], label: 'test' };
const httpRequest = { headers: {}, domainName: null };

let dir: string;
const calls: Record<string, number> = {};
let inFlight = 0;
let mostInFlight = 0;

/** The scripted data sources: NONE-like echo, a large string, one that never answers, one that takes a few ms. */
const dataSources: Record<string, DataSource> = {
  none: source(async (request) => {
    calls.none = (calls.none ?? 0) + 1;
    return { result: (request as { payload?: unknown }).payload ?? null };
  }),
  big: source(async (request) => {
    calls.big = (calls.big ?? 0) + 1;
    const { size, object } = (request as { payload: { size: number; object?: boolean } }).payload;
    const text = 'x'.repeat(size);
    return { result: object ? { text } : text };
  }),
  slow: source(() => {
    calls.slow = (calls.slow ?? 0) + 1;
    return new Promise(() => {});
  }),
  paced: source(async (request) => {
    calls.paced = (calls.paced ?? 0) + 1;
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight -= 1;
    return { result: (request as { payload: { n: number } }).payload.n };
  }),
};

function source(invoke: (request: unknown) => Promise<DataSourceOutcome>): DataSource {
  return { invoke };
}

function definition(limits: Pick<ApiDefinition, 'queryDepthLimit' | 'resolverCountLimit'>): ApiDefinition {
  return {
    name: 'limits',
    schema: 'schema.graphql',
    auth: { default: 'API_KEY' },
    ...limits,
    dataSources: {
      none: { type: 'NONE' },
      big: { type: 'NONE' },
      slow: { type: 'AWS_LAMBDA', handler: 'never-loaded.ts' },
      paced: { type: 'AWS_LAMBDA', handler: 'never-loaded.ts' },
    },
    resolvers: Object.keys(resolvers).map((field) => {
      const [typeName, fieldName] = field.split('.');
      return { kind: 'UNIT', typeName, fieldName, dataSource: DATA_SOURCE_OF[field] ?? 'none', code: `${field}.js` };
    }),
  };
}

function engine(
  limits: Pick<ApiDefinition, 'queryDepthLimit' | 'resolverCountLimit'> = {},
  options: Omit<RequestLimitOptions, 'queryDepthLimit' | 'resolverCountLimit'> = {},
): Promise<GraphQLEngine> {
  return GraphQLEngine.create({ definition: definition(limits), rootDir: dir, dataSources, limits: options });
}

async function run(target: GraphQLEngine, query: string) {
  return (await target.execute({ query }, caller, httpRequest)).body as {
    data: Record<string, unknown> | null;
    errors?: Array<Record<string, unknown>>;
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'request-limits-'));
  await writeFile(path.join(dir, 'schema.graphql'), SCHEMA);
  await mkdir(dir, { recursive: true });
  for (const [field, code] of Object.entries(resolvers)) await writeFile(path.join(dir, `${field}.js`), code);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('query depth limit', () => {
  it('fails the first field past the limit with QueryDepthLimitReached and keeps the data above it', async () => {
    // The documented example: limit 2, L1 { L2 { L3 { L4 } } } errors at L3.
    const body = await run(
      await engine({ queryDepthLimit: 2 }),
      '{ L1: root { L2: child { L3: child { L4: name } } } }',
    );
    expect(body).toEqual({
      data: { L1: { L2: { L3: null } } },
      errors: [
        {
          path: ['L1', 'L2', 'L3'],
          data: null,
          errorType: 'QueryDepthLimitReached',
          errorInfo: null,
          locations: [{ line: 1, column: 26, sourceName: null }],
          message: 'Query depth limit of 2 reached',
        },
      ],
    });
  });

  it('counts a scalar leaf as a level and answers a query exactly at the limit', async () => {
    const target = await engine({ queryDepthLimit: 3 });
    expect(await run(target, '{ root { child { name } } }')).toEqual({ data: { root: { child: { name: 'n2' } } } });
    const over = await run(target, '{ root { child { child { name } } } }');
    expect(over.data).toEqual({ root: { child: { child: { name: null } } } });
    expect(over.errors?.map((e) => [e.errorType, e.path])).toEqual([
      ['QueryDepthLimitReached', ['root', 'child', 'child', 'name']],
    ]);
  });

  it('throws the error of a non-nullable field up to its first nullable parent', async () => {
    const body = await run(await engine({ queryDepthLimit: 3 }), '{ root { child { child { leaf } } } }');
    expect(body.data).toEqual({ root: { child: { child: null } } });
    expect(body.errors?.map((e) => [e.errorType, e.path])).toEqual([
      ['QueryDepthLimitReached', ['root', 'child', 'child', 'leaf']],
    ]);
  });

  it('counts fields reached through fragments by where they land, not by the fragments', async () => {
    const query = `{ root { ...A } }
      fragment A on Node { child { ...B } }
      fragment B on Node { ... on Node { name } }`;
    expect(await run(await engine({ queryDepthLimit: 3 }), query)).toEqual({
      data: { root: { child: { name: 'n2' } } },
    });
  });

  it('answers fragments that each spread the next twice in time linear in the document (issue 8)', async () => {
    // 40 levels: expanding every spread, as the old depth check did, would visit 2^40 selections and never finish
    // within the test's time limit; the document itself is about 2 KB.
    let query = '{ root { ...F0 } }\n';
    for (let i = 0; i < 40; i += 1)
      query += `fragment F${i} on Node { name ${i < 39 ? `...F${i + 1} ...F${i + 1}` : ''} }\n`;
    expect(query.length).toBeLessThan(2500);
    expect(await run(await engine({ queryDepthLimit: 10 }), query)).toEqual({ data: { root: { name: 'n1' } } });
  });
});

describe('resolver count limit', () => {
  it('runs the resolvers up to the limit and fails the rest with ResolverExecutionLimitReached without running them', async () => {
    calls.none = 0;
    const body = await run(
      await engine({ resolverCountLimit: 2 }),
      '{ resolver1: value(n: 1) resolver2: value(n: 2) resolver3: value(n: 3) }',
    );
    expect(body.data).toEqual({ resolver1: 'v1', resolver2: 'v2', resolver3: null });
    expect(body.errors).toEqual([
      {
        path: ['resolver3'],
        data: null,
        errorType: 'ResolverExecutionLimitReached',
        errorInfo: null,
        locations: [{ line: 1, column: 49, sourceName: null }],
        message: 'Resolver execution limit of 2 reached',
      },
    ]);
    expect(calls.none).toBe(2);
  });

  it("counts each list item's resolver run", async () => {
    calls.none = 0;
    const body = await run(await engine({ resolverCountLimit: 4 }), '{ nodes(count: 5) { label } }');
    expect(body.data).toEqual({
      nodes: [{ label: 'item0!' }, { label: 'item1!' }, { label: 'item2!' }, { label: null }, { label: null }],
    });
    expect(body.errors?.map((e) => [e.errorType, e.path])).toEqual([
      ['ResolverExecutionLimitReached', ['nodes', 3, 'label']],
      ['ResolverExecutionLimitReached', ['nodes', 4, 'label']],
    ]);
    expect(calls.none).toBe(4);
  });

  it('defaults to 10,000 resolvers', async () => {
    calls.none = 0;
    const body = await run(await engine(), '{ nodes(count: 10001) { label } }');
    expect(body.errors?.map((e) => [e.errorType, e.path])).toEqual([
      ['ResolverExecutionLimitReached', ['nodes', 9999, 'label']],
      ['ResolverExecutionLimitReached', ['nodes', 10000, 'label']],
    ]);
    expect(calls.none).toBe(10_000);
  });

  it('refuses a limit AppSync would not accept', async () => {
    await expect(engine({ resolverCountLimit: 10_001 })).rejects.toThrow(
      'resolverCountLimit must be a whole number from 1 to 10000',
    );
    await expect(engine({ queryDepthLimit: 76 })).rejects.toThrow(
      'queryDepthLimit must be a whole number from 1 to 75',
    );
  });
});

describe('request duration', () => {
  it("answers a data source still pending at the deadline with the data source's ExecutionTimeoutException", async () => {
    calls.slow = 0;
    const body = await run(await engine({}, { timeoutMs: 50 }), '{ slow }');
    expect(body).toEqual({
      data: { slow: null },
      errors: [
        {
          path: ['slow'],
          data: null,
          errorType: 'Lambda:ExecutionTimeoutException',
          errorInfo: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Execution timed out.',
        },
      ],
    });
    expect(calls.slow).toBe(1);
  });

  it('calls no data source once the deadline has passed', async () => {
    calls.slow = 0;
    calls.paced = 0;
    // Two resolvers may run at once: both `slow` calls take the slots, and `paced` starts only after the deadline.
    // The deadline leaves the `slow` calls time to start even on a busy machine.
    const body = await run(
      await engine({}, { timeoutMs: 1000, concurrentResolvers: 2 }),
      '{ a: slow b: slow c: paced(n: 1) }',
    );
    expect(body.data).toEqual({ a: null, b: null, c: null });
    expect(body.errors?.map((e) => [e.path, e.errorType]).sort()).toEqual([
      [['a'], 'Lambda:ExecutionTimeoutException'],
      [['b'], 'Lambda:ExecutionTimeoutException'],
      [['c'], 'Lambda:ExecutionTimeoutException'],
    ]);
    expect([calls.slow, calls.paced]).toEqual([2, 0]);
  });
});

describe('response size', () => {
  it('fails the resolver whose result takes the response past the ceiling, and runs none after it', async () => {
    calls.big = 0;
    const body = await run(
      // One at a time, so that each resolver starts knowing what the ones before it returned.
      await engine({}, { responseBytesLimit: 1000, concurrentResolvers: 1 }),
      '{ a: big(size: 400) b: big(size: 400) c: big(size: 400) d: big(size: 400) }',
    );
    expect(body.data).toEqual({ a: 'x'.repeat(400), b: 'x'.repeat(400), c: null, d: null });
    expect(body.errors?.map((e) => [e.path, e.errorType, e.message])).toEqual([
      [['c'], 'ResponseSizeLimitReached', 'Response size limit of 1000 bytes reached'],
      [['d'], 'ResponseSizeLimitReached', 'Response size limit of 1000 bytes reached'],
    ]);
    expect(calls.big).toBe(3);
  });

  it('holds for the response as sent when aliases repeat one large value', async () => {
    // Resolvers returned 400 bytes; the response would repeat them ten times over. It may reach twice the ceiling
    // (keys, aliases and errors around the results), not more.
    const target = await engine({}, { responseBytesLimit: 1000 });
    expect(await run(target, '{ blob(size: 400) { a0: text a1: text } }')).toEqual({
      data: { blob: { a0: 'x'.repeat(400), a1: 'x'.repeat(400) } },
    });
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: text`).join(' ');
    expect(await run(target, `{ blob(size: 400) { ${aliases} } }`)).toEqual({
      data: null,
      errors: [
        {
          path: null,
          data: null,
          errorType: 'ResponseSizeLimitReached',
          errorInfo: null,
          locations: null,
          message: 'Response size limit of 1000 bytes reached',
        },
      ],
    });
  });
});

describe('fairness', () => {
  it('runs a few resolvers of one request at a time', async () => {
    mostInFlight = 0;
    calls.paced = 0;
    const fields = Array.from({ length: 40 }, (_, i) => `p${i}: paced(n: ${i})`).join(' ');
    // A caller's share of the data source is set above the request's own limit, which is what this test is about.
    const body = await run(await engine({}, { concurrentResolvers: 4, callsInFlightPerCaller: 10 }), `{ ${fields} }`);
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data ?? {})).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(calls.paced).toBe(40);
    expect(mostInFlight).toBe(4);
  });

  it("keeps one caller's calls in flight at a data source to its share, across its requests", async () => {
    mostInFlight = 0;
    const target = await engine({}, { concurrentResolvers: 4 });
    const fields = Array.from({ length: 12 }, (_, i) => `p${i}: paced(n: ${i})`).join(' ');
    const bodies = await Promise.all([run(target, `{ ${fields} }`), run(target, `{ ${fields} }`)]);
    for (const body of bodies) expect(Object.values(body.data ?? {})).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(mostInFlight).toBe(2);
  });

  it('answers another request while one of many aliased fields is still running', async () => {
    const target = await engine({}, { concurrentResolvers: 4 });
    const fields = Array.from({ length: 400 }, (_, i) => `p${i}: paced(n: ${i})`).join(' ');
    const finished: string[] = [];
    const heavy = run(target, `{ ${fields} }`).then(() => finished.push('heavy'));
    // The light request arrives after the heavy one has started.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const light = run(target, '{ value(n: 7) }').then((body) => {
      finished.push('light');
      return body;
    });
    expect(await light).toEqual({ data: { value: 'v7' } });
    await heavy;
    expect(finished).toEqual(['light', 'heavy']);
  });
});

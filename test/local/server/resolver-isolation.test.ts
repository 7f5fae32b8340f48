// Resolver isolation on the server (issue 8, item 4): a handler that runs out of time or memory fails only its own
// field, with AppSync's error shape, and the server answers everyone else meanwhile and afterwards.
//
// Error types, as AppSync gives them:
// - a timed-out execution: `"errorType": "ExecutionTimeout"`, `"message": "Execution timed out."`, an AppSync response
//   quoted in https://github.com/BerndWessels/flutter_aws_app/blob/d6fee4b5c3581746641452c568db12177c462a42/lib/packages/graphql_api.dart
//   (the same type is what mjfreelancing/AllOverIt's AppSync client tests for: HasExecutionTimeoutError);
// - an error thrown by resolver code at run time: `"errorType": "Code"` with the error's name and message (an AppSync
//   response recorded in the project's conformance notes: "code.js:162:13: ReferenceError: ..."). A handler that
//   exhausts memory is the closest documented case: V8 reports it as a RangeError.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';

const API_KEY = 'da2-isolationtestkey';

const schema = `
type Query {
  ok(n: Int!): Int
  spin: Boolean
  hog: Int
}
`;

const resolvers: Record<string, string> = {
  ok: `
export function request(ctx) { return { payload: ctx.args.n }; }
export function response(ctx) { return ctx.result; }`,
  // util.matches runs natively: the realm's ticks cannot stop its backtracking, the pool's host must.
  spin: `
import { util } from '@aws-appsync/utils';
export function request(ctx) { return { payload: util.matches('(a+)+b', '${'a'.repeat(40)}') }; }
export function response(ctx) { return ctx.result; }`,
  hog: `
export function request(ctx) {
  const chunks = [];
  for (const i of Array.from({ length: 100000 })) chunks.push(Array.from({ length: 100000 }));
  return { payload: chunks.length };
}
export function response(ctx) { return ctx.result; }`,
};

const definition: ApiDefinition = {
  name: 'isolation',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY' },
  dataSources: { none: { type: 'NONE' } },
  resolvers: Object.keys(resolvers).map((field) => ({
    kind: 'UNIT' as const,
    typeName: 'Query',
    fieldName: field,
    dataSource: 'none',
    code: `resolvers/${field}.js`,
  })),
};

let dir: string;
/** Held to a short time limit: every runaway holds a worker for the whole limit, one after another. */
let api: LocalApi;
/** Time to spare: its handler must run out of memory, which takes longer the busier the machine. */
let roomy: LocalApi;

async function graphql(query: string, server = api) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'resolver-isolation-'));
  await mkdir(path.join(dir, 'resolvers'));
  await writeFile(path.join(dir, 'schema.graphql'), schema);
  for (const [field, code] of Object.entries(resolvers)) await writeFile(path.join(dir, `resolvers/${field}.js`), code);
  const serve = (evaluationPool: { timeoutMs: number; memoryMb: number }) =>
    serveLocalApi({
      definition,
      rootDir: dir,
      dataDir: null,
      port: 0,
      apiKeys: [API_KEY],
      // Two workers, as on a two-core machine.
      evaluationPool: { size: 2, ...evaluationPool },
    });
  // One caller gets one of the two workers, so the runaways here are held to the limit one after another: 1.5 s
  // keeps that short. The memory case has a small heap and a limit well beyond what running out of it takes (under
  // 0.5 s on a quiet machine, past 1.5 s at load 9).
  [api, roomy] = await Promise.all([
    serve({ timeoutMs: 1500, memoryMb: 32 }),
    serve({ timeoutMs: 10_000, memoryMb: 16 }),
  ]);
});

afterAll(async () => {
  await Promise.all([api?.close(), roomy?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('resolver isolation on the server', () => {
  it('fails a handler that backtracks for ever with ExecutionTimeout, and answers others meanwhile', async () => {
    const spinning = graphql('{ spin }');
    const others = await Promise.all(Array.from({ length: 5 }, (_, n) => graphql(`{ ok(n: ${n}) }`)));
    expect(others.map(({ body }) => body)).toEqual([0, 1, 2, 3, 4].map((n) => ({ data: { ok: n } })));
    const { status, body } = await spinning;
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { spin: null },
      errors: [
        expect.objectContaining({ path: ['spin'], errorType: 'ExecutionTimeout', message: 'Execution timed out.' }),
      ],
    });
  });

  it('fails a handler that exhausts its memory with a Code error, and keeps serving', async () => {
    const { status, body } = await graphql('{ hog ok(n: 7) }', roomy);
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { hog: null, ok: 7 },
      errors: [
        expect.objectContaining({ path: ['hog'], errorType: 'Code', message: expect.stringMatching(/RangeError/) }),
      ],
    });
    expect((await graphql('{ ok(n: 8) }', roomy)).body).toEqual({ data: { ok: 8 } });
  });

  it(
    'is not starved by a stream of runaway requests: each worker killed is replaced at once',
    { timeout: 60_000 },
    async () => {
      const attacks = Array.from({ length: 4 }, () => graphql('{ spin }'));
      // Submitted behind all four attacks: two workers, each attack holding one for the time limit.
      const later = await Promise.all([graphql('{ ok(n: 1) }'), graphql('{ ok(n: 2) }')]);
      expect(later.map(({ body }) => body)).toEqual([{ data: { ok: 1 } }, { data: { ok: 2 } }]);
      for (const { body } of await Promise.all(attacks)) {
        expect((body.errors as Array<{ errorType: string }>)[0].errorType).toBe('ExecutionTimeout');
      }
      expect((await graphql('{ ok(n: 3) }')).body).toEqual({ data: { ok: 3 } });
    },
  );
});

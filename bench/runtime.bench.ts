// npm run bench:runtime — evaluations per second of a typical request+response pair on the APPSYNC_JS runtime,
// side by side with the same bundled functions called natively (same util library, no sandbox), in one run.
// Rounds alternate between the two so machine noise hits both; figures are medians over rounds.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { AppSyncJsRuntime } from '../local/runtime/runtime';
import { bundleResolver } from '../local/runtime/bundle';
import { beginEvaluation, endEvaluation, newEvaluationState } from '../local/runtime/realm/evaluation';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures/put-item.ts');
const PAIRS_PER_ROUND = 20_000;
const ROUNDS = 7;

type Handler = (ctx: unknown) => unknown;

function contexts(i: number) {
  // A new caller object per pair, as a new request would bring.
  const identity = { sub: `user-${i % 100}`, username: `user-${i % 100}`, claims: { email: 'someone@example.com' } };
  const request = { arguments: { input: { content: `note number ${i}` } }, identity };
  const response = {
    arguments: request.arguments,
    identity,
    result: { userId: identity.sub, noteId: '01J0000000000000000000000', content: `note number ${i}`, version: 1 },
  };
  return { request, response };
}

/** The same bundle, with @aws-appsync/* pointing at our util library, imported as a plain module. */
async function nativeHandlers(): Promise<{ request: Handler; response: Handler; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-native-'));
  const out = path.join(dir, 'put-item.mjs');
  const result = await build({
    entryPoints: [fixture],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    alias: {
      '@aws-appsync/utils/dynamodb': path.join(here, '../local/runtime/realm/dynamodb/index.ts'),
      '@aws-appsync/utils': path.join(here, '../local/runtime/realm/utils/index.ts'),
    },
  });
  await writeFile(out, result.outputFiles[0].text);
  const module = (await import(pathToFileURL(out).href)) as { request: Handler; response: Handler };
  return { ...module, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => void): number {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  const loadStarted = process.hrtime.bigint();
  const runtime = new AppSyncJsRuntime();
  const loaded = runtime.load(await bundleResolver(fixture), { name: 'put-item.js' });
  if (!loaded.ok) throw new Error(`fixture rejected: ${JSON.stringify(loaded.codeErrors)}`);
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
  const native = await nativeHandlers();

  const sandboxPair = (i: number) => {
    const { request, response } = contexts(i);
    const req = runtime.evaluate(loaded.code, 'request', request);
    const res = runtime.evaluate(loaded.code, 'response', response);
    if (req.error || res.error) throw new Error('evaluation failed');
  };
  // Native does what an evaluator without a sandbox must still do: fresh state, a ctx, the JSON result.
  const nativeEvaluate = (handler: Handler, ctx: Record<string, unknown>) => {
    beginEvaluation(newEvaluationState({ identity: ctx.identity }));
    try {
      return JSON.stringify(handler({ ...ctx, args: ctx.arguments, stash: {} }) ?? null);
    } finally {
      endEvaluation();
    }
  };
  const nativePair = (i: number) => {
    const { request, response } = contexts(i);
    nativeEvaluate(native.request, request);
    nativeEvaluate(native.response, response);
  };

  // Warm both paths up before measuring.
  for (let i = 0; i < 5_000; i += 1) {
    sandboxPair(i);
    nativePair(i);
  }
  const sandboxRates: number[] = [];
  const nativeRates: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    sandboxRates.push(
      PAIRS_PER_ROUND /
        time(() => {
          for (let i = 0; i < PAIRS_PER_ROUND; i += 1) sandboxPair(i);
        }),
    );
    nativeRates.push(
      PAIRS_PER_ROUND /
        time(() => {
          for (let i = 0; i < PAIRS_PER_ROUND; i += 1) nativePair(i);
        }),
    );
  }
  await native.cleanup();

  const sandbox = median(sandboxRates);
  const nativeRate = median(nativeRates);
  const overhead = nativeRate / sandbox;
  const lines = [
    `# APPSYNC_JS runtime benchmark`,
    ``,
    `${new Date().toISOString()}, Node ${process.version}, one core (single-threaded), ${ROUNDS} alternating rounds of ${PAIRS_PER_ROUND} pairs, medians.`,
    `Workload: bench/fixtures/put-item.ts — request builds a PutItem with util.dynamodb, util.autoUlid, util.time and a condition; response reads ctx.result.`,
    ``,
    `| path | pairs/s | evaluations/s | µs per pair |`,
    `| --- | ---: | ---: | ---: |`,
    `| sandbox (evaluate request + response) | ${Math.round(sandbox)} | ${Math.round(sandbox * 2)} | ${(1e6 / sandbox).toFixed(1)} |`,
    `| native (same bundle, no sandbox) | ${Math.round(nativeRate)} | ${Math.round(nativeRate * 2)} | ${(1e6 / nativeRate).toFixed(1)} |`,
    ``,
    `Sandbox overhead: ${overhead.toFixed(2)}x native (goal: within 3x). Goal of 50,000 evaluations/s: ${sandbox * 2 >= 50_000 ? 'met' : 'NOT met'}.`,
    `Loading the resolver (validate, rewrite, compile, first realm): ${loadMs.toFixed(0)} ms, once, not per evaluation.`,
    `Rounds (pairs/s) sandbox: ${sandboxRates.map(Math.round).join(', ')}; native: ${nativeRates.map(Math.round).join(', ')}.`,
  ];
  const report = lines.join('\n');
  console.log(report);
  await writeFile(path.join(here, 'reports/runtime.md'), `${report}\n`);
}

await main();

// A helper for users' own vitest tests: takes a resolver's TypeScript source, bundles it as deployment does,
// validates and loads it once, and evaluates `request`/`response` with a context.
//
//   const resolver = await loadResolver('resolvers/Query.getNote.ts');
//   const { result, error } = resolver.request({ arguments: { noteId }, identity });
//
// `loadResolver(path, { strict: true })` also refuses built-ins AppSync's guide does not list; without it they are
// reported in `warnings`.
import path from 'node:path';
import { bundleResolver } from './bundle';
import { AppSyncJsRuntime, type CodeError, type ContextInput, type Evaluation, type EvaluateOptions } from './runtime';

export interface LoadedResolver {
  /** The bundle as it would be deployed. */
  readonly code: string;
  /** Members of documented objects that AppSync's guide does not list (empty under `strict`, which refuses them). */
  readonly warnings: readonly CodeError[];
  request(context?: ContextInput, options?: EvaluateOptions): Evaluation;
  response(context?: ContextInput, options?: EvaluateOptions): Evaluation;
}

let sharedRuntime: AppSyncJsRuntime | undefined;

export interface LoadResolverOptions {
  /** Also refuse members AppSync's "Supported runtime features" does not list (`Number.isInteger`, ...). */
  strict?: boolean;
}

/** Throws when the code would not deploy (the message lists AppSync's code errors with their locations). */
export async function loadResolver(sourcePath: string, options: LoadResolverOptions = {}): Promise<LoadedResolver> {
  const code = await bundleResolver(path.resolve(sourcePath));
  sharedRuntime ??= new AppSyncJsRuntime();
  const runtime = sharedRuntime;
  const loaded = runtime.load(code, { name: sourcePath, strict: options.strict ?? false });
  if (!loaded.ok) {
    const details = loaded.codeErrors
      .map((e) => `  ${e.location.line}:${e.location.column} ${e.errorType} ${e.value}`)
      .join('\n');
    throw new Error(`${sourcePath} would be rejected by AppSync:\n${details}`);
  }
  return {
    code,
    warnings: loaded.warnings,
    request: (context = {}, options) => runtime.evaluate(loaded.code, 'request', context, options),
    response: (context = {}, options) => runtime.evaluate(loaded.code, 'response', context, options),
  };
}

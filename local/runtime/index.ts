// The local APPSYNC_JS runtime: AppSync JavaScript resolvers evaluated offline, as AppSync evaluates them.
export { evaluateCode, type EvaluateCodeInput, type EvaluateCodeOutput } from './evaluate-code';
export {
  AppSyncJsRuntime,
  type CodeError,
  type ContextInput,
  type Evaluation,
  type EvaluationError,
  type LoadedCode,
  type LoadResult,
  type RuntimeOptions,
} from './runtime';
export {
  runResolver,
  type DataSourceCall,
  type DataSourceOutcome,
  type ExecutableResolver,
  type InvokeDataSource,
  type PipelineFunction,
  type ResolverRun,
} from './pipeline';
export { bundleResolver, bundleResolverSync } from './bundle';
export { loadResolver, type LoadedResolver, type LoadResolverOptions } from './testing';

// Runs a whole resolver from infra/api-definition.ts (unit, or pipeline with its functions) on the local APPSYNC_JS
// runtime, with scripted data sources that record every call. The resolvers are the code under test; the data
// sources are the boundary, answered the way AppSync's would.
import path from 'node:path';
import { apiDefinition } from '../../infra/api-definition';
import { sourceFileOf } from '../../local/definition';
import { bundleResolver } from '../../local/runtime/bundle';
import {
  AppSyncJsRuntime,
  runResolver,
  type ContextInput,
  type DataSourceCall,
  type DataSourceOutcome,
  type ExecutableResolver,
  type LoadedCode,
  type ResolverRun,
} from '../../local/runtime';

// Strict: our resolvers use nothing AppSync's "Supported runtime features" does not list.
const runtime = new AppSyncJsRuntime({ strict: true });
const loaded = new Map<string, Promise<LoadedCode>>();

function load(codePath: string): Promise<LoadedCode> {
  let code = loaded.get(codePath);
  if (!code) {
    code = bundleResolver(path.resolve(codePath)).then((bundle) => {
      const result = runtime.load(bundle, { name: codePath });
      if (!result.ok) {
        throw new Error(`${codePath} would be rejected by AppSync: ${JSON.stringify(result.codeErrors)}`);
      }
      return result.code;
    });
    loaded.set(codePath, code);
  }
  return code;
}

async function executable(typeName: string, fieldName: string): Promise<ExecutableResolver> {
  const definition = apiDefinition.resolvers.find((r) => r.typeName === typeName && r.fieldName === fieldName);
  if (!definition) {
    throw new Error(`No resolver for ${typeName}.${fieldName} in the API definition`);
  }
  if (definition.kind === 'UNIT') {
    return {
      kind: 'UNIT',
      code: await load(sourceFileOf(definition.code, typeName)),
      dataSource: definition.dataSource,
    };
  }
  const functions = await Promise.all(
    definition.functions.map(async (name) => {
      const fn = apiDefinition.functions?.[name];
      if (!fn) throw new Error(`Pipeline function ${name} is not defined`);
      return { name, dataSource: fn.dataSource, code: await load(sourceFileOf(fn.code, name)) };
    }),
  );
  return { kind: 'PIPELINE', code: await load(sourceFileOf(definition.code, typeName)), functions };
}

/** Answers one data source call; return `{ result }` or `{ error }` as the data source would. */
export type DataSourceScript = (call: DataSourceCall) => DataSourceOutcome;

export interface RecordedRun extends ResolverRun {
  calls: DataSourceCall[];
}

export async function runField(
  typeName: string,
  fieldName: string,
  context: ContextInput,
  answer: DataSourceScript = () => {
    throw new Error('No data source call was expected');
  },
): Promise<RecordedRun> {
  const calls: DataSourceCall[] = [];
  const run = await runResolver(runtime, await executable(typeName, fieldName), context, async (call) => {
    calls.push(call);
    return answer(call);
  });
  return { ...run, calls };
}

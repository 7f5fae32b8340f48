// AppSync's Lambda data source, with the function run locally (local/lambda): `Invoke` calls it with the request's
// payload; `BatchInvoke` gathers the payloads of one field across a list (up to the resolver's maxBatchSize) and
// calls it once with the array, handing each item its element of the returned array. A function error reaches the
// response handler as ctx.error of type 'Lambda:Unhandled' with the function's errorMessage
// (https://github.com/aws/aws-appsync-community/issues/209 shows AppSync's answer for a thrown error).
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { DEFAULT_LAMBDA_TIMEOUT_SECONDS, type LambdaDataSourceDefinition } from '../../definition';
import {
  bundleHandler,
  createLocalFunction,
  LambdaError,
  locateHandler,
  type HandlerLocation,
} from '../../lambda/local-function';
import { mappingTemplateError } from './request-object';
import type { DataSource, DataSourceCall, DataSourceHost, DataSourceKind, DataSourceOutcome } from './types';

interface Waiting {
  payload: unknown;
  settle(outcome: DataSourceOutcome): void;
}

function functionError(thrown: unknown): DataSourceOutcome {
  const message = thrown instanceof LambdaError ? thrown.errorMessage : String((thrown as Error)?.message ?? thrown);
  return { error: { message, type: 'Lambda:Unhandled' } };
}

/**
 * The Invoke / BatchInvoke contract over any function: `invokeFunction` runs it with one event and returns its
 * result (or throws its error).
 */
export function createLambdaDataSource(invokeFunction: (event: unknown) => Promise<unknown>): DataSource {
  const batches = new Map<unknown, Waiting[]>();

  async function flush(key: unknown): Promise<void> {
    const waiting = batches.get(key);
    batches.delete(key);
    if (!waiting || waiting.length === 0) return;
    try {
      const results = await invokeFunction(waiting.map((w) => w.payload));
      if (!Array.isArray(results) || results.length !== waiting.length) {
        const got = Array.isArray(results) ? `${results.length} results` : typeof results;
        const error = {
          message: `Lambda BatchInvoke returned ${got} for ${waiting.length} payloads.`,
          type: 'Lambda:Unhandled',
        };
        for (const w of waiting) w.settle({ error });
        return;
      }
      waiting.forEach((w, index) => w.settle({ result: results[index] }));
    } catch (thrown) {
      for (const w of waiting) w.settle(functionError(thrown));
    }
  }

  return {
    async invoke(request: unknown, { field, maxBatchSize, batch }: DataSourceCall) {
      if (request === null || typeof request !== 'object') {
        return mappingTemplateError('A Lambda request must be an object with an operation.');
      }
      const { operation, payload } = request as { operation?: unknown; payload?: unknown };
      if (operation === 'Invoke') {
        try {
          return { result: await invokeFunction(payload ?? null) };
        } catch (thrown) {
          return functionError(thrown);
        }
      }
      if (operation === 'BatchInvoke') {
        const key = batch ?? field;
        return new Promise<DataSourceOutcome>((settle) => {
          let waiting = batches.get(key);
          if (!waiting) {
            waiting = [];
            batches.set(key, waiting);
            // Every item of a list starts its field's resolver in the same turn; the batch goes once all of them
            // have asked (or, without a window, after that turn).
            const flushSoon = () => setImmediate(() => void flush(key));
            if (batch) void batch.settled().then(flushSoon);
            else flushSoon();
          }
          waiting.push({ payload: payload ?? null, settle });
          if (maxBatchSize && waiting.length >= maxBatchSize) void flush(key);
        });
      }
      return mappingTemplateError(
        `Unsupported Lambda operation ${JSON.stringify(operation)}: use 'Invoke' or 'BatchInvoke'.`,
      );
    },
  };
}

let bundles = 0;

/** Where a source handler's bundle goes: under node_modules/.cache, so its package imports resolve. */
function bundleFile(rootDir: string, name: string): string {
  return path.join(rootDir, 'node_modules/.cache/appsync-local/lambda', `${process.pid}-${++bundles}-${name}.mjs`);
}

/** The environment a function sees: the server's Lambda environment, its own variables, Lambda's reserved ones. */
function functionEnvironment(
  name: string,
  definition: LambdaDataSourceDefinition,
  host: DataSourceHost,
): Record<string, string> {
  return {
    ...host.lambdaEnvironment,
    ...(definition.environment ?? {}),
    AWS_REGION: host.region,
    AWS_DEFAULT_REGION: host.region,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
  };
}

export const lambdaKind: DataSourceKind<'AWS_LAMBDA'> = {
  check(name, definition, host) {
    try {
      locateHandler(host.rootDir, definition.handler, { prebuilt: definition.prebuilt });
      return [];
    } catch (error) {
      return [`data source '${name}' (AWS_LAMBDA): ${(error as Error).message}`];
    }
  },
  create(name, definition, host) {
    const written: string[] = [];
    const location = async (): Promise<HandlerLocation> => {
      const found = locateHandler(host.rootDir, definition.handler, { prebuilt: definition.prebuilt });
      if (definition.prebuilt) return found;
      // Each start of the function bundles afresh, so an edit reaches the next invocation after a reload.
      const file = bundleFile(host.rootDir, name);
      written.push(file);
      await bundleHandler(found.file, file);
      return { file, exportPath: found.exportPath };
    };
    const fn = createLocalFunction({
      functionName: name,
      location,
      handlerName: definition.handler,
      environment: functionEnvironment(name, definition, host),
      timeoutMs: (definition.timeoutSeconds ?? DEFAULT_LAMBDA_TIMEOUT_SECONDS) * 1000,
      region: host.region,
      accountId: host.accountId,
    });
    const source = createLambdaDataSource(async (event) => {
      host.count('lambda');
      return fn.invoke(event);
    });
    return {
      invoke: source.invoke,
      reload: () => void fn.stop(),
      async close() {
        await fn.stop();
        await Promise.all(written.map((file) => rm(file, { force: true })));
      },
    };
  },
};

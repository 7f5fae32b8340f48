// AppSync's Lambda data source, with the function's handler run in-process: `Invoke` calls it with the request's
// payload; `BatchInvoke` gathers the payloads of one field across a list (up to the resolver's maxBatchSize) and
// calls it once with the array, handing each item its element of the returned array. Payload and result cross a
// JSON boundary, as they would over the wire. A thrown error becomes ctx.error of type 'Lambda:Unhandled'.
import { randomUUID } from 'node:crypto';
import type { DataSourceOutcome } from '../../runtime/pipeline';

export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export interface LambdaCall {
  /** `Type.field` of the resolver: batches never mix fields. */
  field: string;
  maxBatchSize?: number;
}

export interface LambdaDataSource {
  invoke(request: unknown, call: LambdaCall): Promise<DataSourceOutcome>;
}

const TIMEOUT_MS = 30_000;

interface Waiting {
  payload: unknown;
  settle(outcome: DataSourceOutcome): void;
}

function requestError(message: string): DataSourceOutcome {
  return { requestError: { message, type: 'MappingTemplate' } };
}

function errorMessage(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** What crosses the wire: JSON text, so neither side keeps a reference to the other's objects. */
function overTheWire(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function createLambdaDataSource(options: {
  functionName: string;
  loadHandler: () => Promise<LambdaHandler>;
  /** Called once per invocation of the function (the bench and the request log count them). */
  onInvoke?: (functionName: string) => void;
}): LambdaDataSource {
  const { functionName, loadHandler, onInvoke } = options;
  const batches = new Map<string, Waiting[]>();

  async function call(event: unknown): Promise<unknown> {
    const handler = await loadHandler();
    onInvoke?.(functionName);
    const started = Date.now();
    const context: LambdaContext = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
      memoryLimitInMB: '1024',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, TIMEOUT_MS - (Date.now() - started)),
    };
    return overTheWire(await handler(overTheWire(event), context));
  }

  async function flush(field: string): Promise<void> {
    const waiting = batches.get(field);
    batches.delete(field);
    if (!waiting || waiting.length === 0) return;
    try {
      const results = await call(waiting.map((w) => w.payload));
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
      for (const w of waiting) w.settle({ error: { message: errorMessage(thrown), type: 'Lambda:Unhandled' } });
    }
  }

  return {
    async invoke(request, { field, maxBatchSize }) {
      if (request === null || typeof request !== 'object') {
        return requestError('A Lambda request must be an object with an operation.');
      }
      const { operation, payload } = request as { operation?: unknown; payload?: unknown };
      if (operation === 'Invoke') {
        try {
          return { result: await call(payload) };
        } catch (thrown) {
          return { error: { message: errorMessage(thrown), type: 'Lambda:Unhandled' } };
        }
      }
      if (operation === 'BatchInvoke') {
        return new Promise<DataSourceOutcome>((settle) => {
          let waiting = batches.get(field);
          if (!waiting) {
            waiting = [];
            batches.set(field, waiting);
            // Every item of a list resolves its field in the same turn; flushing after it gathers them all.
            setImmediate(() => void flush(field));
          }
          waiting.push({ payload: payload ?? null, settle });
          if (maxBatchSize && waiting.length >= maxBatchSize) void flush(field);
        });
      }
      return requestError(`Unsupported Lambda operation ${JSON.stringify(operation)}: use 'Invoke' or 'BatchInvoke'.`);
    },
  };
}

// One Lambda function's execution environment: a worker thread with the function's own environment variables and
// module cache, as a Lambda container has. It loads the handler the way the Node.js runtime does (module then export
// path, `default` as a fallback, CommonJS and ES modules alike), then runs each invocation it is sent: async
// handlers, handlers returning a promise, and callback handlers. Plain JavaScript: a worker starts without the
// TypeScript loader of its parent.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ file: string; exportPath: string; handlerName: string; functionName: string; memoryMB: number; region: string; accountId: string }} */
const config = workerData;

class RuntimeError extends Error {
  /** @param {string} name @param {string} message */
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

/** The export at `path` (`handler`, or `nested.handler`), looked up as the Node.js runtime does. */
function findExport(module, path) {
  const find = (root) =>
    path.split('.').reduce((value, key) => (value && typeof value === 'object' ? value[key] : undefined), root);
  return (
    find(module) ?? (module && typeof module === 'object' && 'default' in module ? find(module.default) : undefined)
  );
}

async function loadHandler() {
  if (!existsSync(config.file)) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${config.file}'`);
  }
  let module;
  try {
    module = await import(pathToFileURL(config.file).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(error));
    throw new RuntimeError('Runtime.ImportModuleError', String(error));
  }
  const handler = findExport(module, config.exportPath);
  if (handler === undefined || handler === null) {
    throw new RuntimeError('Runtime.HandlerNotFound', `${config.handlerName} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${config.handlerName} is not a function`);
  }
  return handler;
}

let loading;

function context(invocation, deadline) {
  const { requestId } = invocation;
  return {
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${config.region}:${config.accountId}:function:${config.functionName}`,
    memoryLimitInMB: String(config.memoryMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${config.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Runs the handler in whichever style it is written: returning a value or promise, or calling back. */
function run(handler, event, ctx) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error, value) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(value);
    };
    try {
      const returned = handler(event, ctx, settle);
      if (returned && typeof returned.then === 'function') returned.then((value) => settle(null, value), settle);
      else if (handler.length < 3) settle(null, returned);
    } catch (error) {
      settle(error);
    }
  });
}

/** Lambda's error document: the error's name as errorType, its message, its stack as lines. */
function errorDocument(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error === 'string' ? 'string' : 'Error', errorMessage: String(error), trace: [] };
}

parentPort.on('message', async (invocation) => {
  try {
    // A failed initialisation is tried again on the next invocation, as Lambda starts a new environment.
    loading ??= loadHandler().catch((error) => {
      loading = undefined;
      throw error;
    });
    const handler = await loading;
    // The function's timeout runs from here; initialisation has its own limit.
    const deadline = Date.now() + invocation.timeoutMs;
    parentPort.postMessage({ id: invocation.id, started: true });
    const value = await run(handler, JSON.parse(invocation.event), context(invocation, deadline));
    let payload;
    try {
      payload = value === undefined ? 'null' : JSON.stringify(value);
    } catch (error) {
      throw new RuntimeError('Runtime.JSONStringifyError', `Unable to stringify response body: ${error.message}`);
    }
    parentPort.postMessage({ id: invocation.id, payload });
  } catch (error) {
    parentPort.postMessage({ id: invocation.id, error: errorDocument(error) });
  }
});

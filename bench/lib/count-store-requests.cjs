// Preloaded (`node --require`) into the local server the bench counts requests of: every HTTP request any server of
// the process receives, on any thread, is appended as one line to the file REQUEST_COUNT_FILE names. The store runs on
// a worker thread started with no flags and an empty environment, so each new Worker gets this file preloaded and the
// variable passed on. DynamoDB requests carry their X-Amz-Target (`DynamoDB_20120810.GetItem`): the count is taken
// where the store receives them, independently of the server's own counters. Only for counting: the bench never
// measures speed with this hook in place.
const { appendFileSync } = process.getBuiltinModule('node:fs');
const http = process.getBuiltinModule('node:http');
const { syncBuiltinESMExports } = process.getBuiltinModule('node:module');
const workerThreads = process.getBuiltinModule('node:worker_threads');

const file = process.env.REQUEST_COUNT_FILE;
if (file) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function countRequest(event, request, ...rest) {
    if (event === 'request') {
      const target = request.headers['x-amz-target'];
      const kind = target ? String(target) : `${request.method} ${String(request.url).split('?')[0]}`;
      appendFileSync(file, `${kind}\n`);
    }
    return emit.call(this, event, request, ...rest);
  };

  const Worker = workerThreads.Worker;
  workerThreads.Worker = class CountingWorker extends Worker {
    constructor(script, options = {}) {
      const env = options.env;
      super(script, {
        ...options,
        execArgv: [...(options.execArgv ?? process.execArgv), '--require', __filename],
        env: env && typeof env === 'object' ? { ...env, REQUEST_COUNT_FILE: file } : env,
      });
    }
  };
  // `import { Worker } from 'node:worker_threads'` sees the replacement too.
  syncBuiltinESMExports();
}

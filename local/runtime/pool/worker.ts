// One evaluation worker of the pool (evaluation-pool.ts): a realm of its own, the resolver code the host sends it,
// and one evaluation at a time. It never does I/O; a handler evaluation is a pure function of the JSON text it gets.
import { parentPort, workerData } from 'node:worker_threads';
import { createRealm, runtimeFailureOutcome, type RealmFunction } from '../realm';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const realm = createRealm(setup.driverBundle, setup);
const factories = new Map<number, RealmFunction>();

function compile(id: number, name: string, source: string): void {
  try {
    factories.set(id, realm.compile(source, name));
  } catch {
    // The host compiled the same source before sending it; an evaluation of it reports the missing code.
  }
}

for (const code of setup.codes) compile(code.id, code.name, code.source);

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'code':
      compile(message.id, message.name, message.source);
      return;
    case 'forget':
      factories.delete(message.id);
      return;
    case 'evaluate': {
      const factory = factories.get(message.code);
      // The time limit counts from the start of this evaluation, not from when the host queued it.
      const outcome = factory
        ? realm.evaluate(factory, message.handler, message.context, message.shared, message.authType)
        : runtimeFailureOutcome('The code is not loaded in this worker.');
      port.postMessage({ task: message.task, outcome } satisfies FromWorker);
      return;
    }
  }
});

port.postMessage({ ready: true } satisfies FromWorker);

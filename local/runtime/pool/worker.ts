// One evaluation worker of the pool (evaluation-pool.ts): a realm of its own, the resolver code the host sends it,
// and one task at a time: a handler evaluation, or a segment of a resolver run (the handlers up to its next
// data-source call, see pipeline.ts). It never does I/O; a task is a pure function of the JSON text it gets.
import { parentPort, workerData } from 'node:worker_threads';
import { createRealm, runtimeFailureOutcome, type RealmFunction } from '../realm';
import { decodeOutcome } from '../outcome';
import { failedSegment, runSegment, type SegmentInput } from '../pipeline';
import type { ContextInput } from '../realm/context';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const realm = createRealm(setup.driverBundle, setup);
const factories = new Map<number, RealmFunction>();
const clock = new Float64Array(setup.clock);

function compile(id: number, name: string, source: string): void {
  try {
    factories.set(id, realm.compile(source, name));
  } catch {
    // The host compiled the same source before sending it; an evaluation of it reports the missing code.
  }
}

/** One handler; its time limit counts from here, not from when the host queued the task. */
function evaluate(code: number, handler: string, context: string, shared: string, authType?: string): string {
  clock[0] = performance.timeOrigin + performance.now();
  const factory = factories.get(code);
  return factory
    ? realm.evaluate(factory, handler, context, shared, authType)
    : runtimeFailureOutcome('The code is not loaded in this worker.');
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
    case 'end':
      port.close();
      return;
    case 'evaluate': {
      const outcome = evaluate(message.code, message.handler, message.context, message.shared, message.authType);
      port.postMessage({ task: message.task, outcome } satisfies FromWorker);
      return;
    }
    case 'segment': {
      let outcome: string;
      try {
        const base = JSON.parse(message.base) as ContextInput;
        const segment = runSegment(message.resolver, JSON.parse(message.input) as SegmentInput, (code, handler, run) =>
          decodeOutcome(evaluate(code, handler, JSON.stringify({ ...base, ...run }), message.shared, message.authType)),
        );
        outcome = JSON.stringify(segment);
      } catch (thrown) {
        outcome = JSON.stringify(
          failedSegment({ kind: 'runtime', message: `The runtime failed: ${(thrown as Error).message}` }),
        );
      }
      port.postMessage({ task: message.task, outcome } satisfies FromWorker);
      return;
    }
  }
});

port.postMessage({ ready: true } satisfies FromWorker);

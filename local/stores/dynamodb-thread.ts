// dynalite on a thread of its own (startDynalite's `thread` option): the store's work (request parsing, LevelDB,
// JSON) runs beside the server's event loop instead of inside it. The thread ends with the process, so a killed
// server never leaves a store behind holding the LevelDB lock.
import { parentPort, workerData } from 'node:worker_threads';
import { loadDynalite } from './dynalite';
import { closeServer, endpointUrl, listen } from './shared/http';

export interface DynaliteThreadSetup {
  dir?: string;
  port: number;
  host: string;
}

export type FromDynaliteThread = { endpoint: string } | { error: string } | { closed: true };

const setup = workerData as DynaliteThreadSetup;
const port = parentPort!;

try {
  const dynalite = loadDynalite();
  // Tables become ACTIVE at once: the 500 ms default only imitates AWS's provisioning delay.
  const server = dynalite({ path: setup.dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const bound = await listen(server, setup.port, setup.host);
  port.on('message', () => {
    // The only message is "close": dynalite's close waits for pending writes and closes LevelDB (its lock too). Then
    // the thread lets go of its port and ends by itself (so that `node --cpu-prof` writes its profile).
    const answer = (message: FromDynaliteThread) => {
      port.postMessage(message);
      port.close();
    };
    closeServer(server).then(
      () => answer({ closed: true }),
      (error: Error) => answer({ error: error.message }),
    );
  });
  port.postMessage({ endpoint: endpointUrl(setup.host, bound) } satisfies FromDynaliteThread);
} catch (error) {
  port.postMessage({ error: (error as Error).message } satisfies FromDynaliteThread);
}

// The DynamoDB-compatible store both servers under test share, in a process of its own so that neither server
// carries the store's CPU in its own event loop. It counts the requests it receives by operation: an independent
// check of the server's own counter.
import type { AddressInfo } from 'node:net';
import { loadDynalite } from '../../local/stores/dynalite';
import { runAsChild, processAnswers } from './child';

export interface DynaliteReady {
  endpoint: string;
}

await runAsChild<DynaliteReady>(async () => {
  // The same options local/stores/dynamodb.ts startDynalite uses; started here directly to reach the HTTP server.
  const dynalite = loadDynalite();
  const server = dynalite({
    path: process.env.DYNALITE_DIR || undefined,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const received: Record<string, number> = {};
  server.on('request', (req) => {
    const target = String(req.headers['x-amz-target'] ?? 'unknown');
    received[target] = (received[target] ?? 0) + 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    ready: { endpoint: `http://127.0.0.1:${port}` },
    answers: { ...(await processAnswers()), received: () => ({ ...received }) },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});

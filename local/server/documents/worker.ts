// The thread that prepares long documents (index.ts): it builds the API's schema once and answers each query text
// with its document, or its errors, as the engine would have prepared it on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { buildAppSyncSchema } from '../appsync-schema';
import {
  detachLocations,
  prepareDocument,
  type DocumentWorkerSetup,
  type FromDocumentWorker,
  type ToDocumentWorker,
} from './prepare';

const { schemaText } = workerData as DocumentWorkerSetup;
const schema = buildAppSyncSchema(schemaText);
const port = parentPort!;

port.on('message', ({ id, query }: ToDocumentWorker) => {
  const preparation = prepareDocument(schema, query);
  if ('document' in preparation) preparation.document = detachLocations(preparation.document, query);
  port.postMessage({ id, preparation } satisfies FromDocumentWorker);
});

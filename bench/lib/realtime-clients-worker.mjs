// Entry of the subscribers' worker thread: Node 20 does not apply tsx's hooks to a worker's own entry file, so this
// plain module registers them and loads the TypeScript one.
import { register } from 'tsx/esm/api';

register();
await import('./realtime-clients.ts');

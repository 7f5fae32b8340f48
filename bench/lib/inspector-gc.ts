// A full garbage collection in every thread of another Node.js process, through the inspector that process was
// started with (`--inspect=127.0.0.1:0`): its main thread and each worker thread (evaluation workers, the store's
// thread, Lambda workers), workers started later included. The leak check measures memory after it, so that garbage
// V8 has not collected yet is not mistaken for memory the server keeps; nothing in the server changes for it.
import WebSocket from 'ws';

interface ProtocolMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message: string };
}

const REPLY_TIMEOUT_MS = 30_000;

/** The inspector's WebSocket address, from what `node --inspect` prints on stderr; undefined until it has. */
export function inspectorUrl(stderr: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
}

export class InspectorGc {
  private nextId = 0;
  private readonly replies = new Map<string, { resolve(result: unknown): void; reject(error: Error): void }>();
  /** Session ids of the worker threads alive now. */
  private readonly workers = new Set<string>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(JSON.parse(String(data)) as ProtocolMessage));
  }

  static async connect(url: string): Promise<InspectorGc> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const session = new InspectorGc(socket);
    // Attaches to every worker alive (announced before this call answers) and to each one started later.
    await session.call('', 'NodeWorker.enable', { waitForDebuggerOnStart: false });
    return session;
  }

  /** Collects garbage in the main thread, then in each worker thread. */
  async collectEverywhere(): Promise<void> {
    await this.call('', 'HeapProfiler.collectGarbage');
    for (const worker of [...this.workers]) {
      try {
        await this.call(worker, 'HeapProfiler.collectGarbage');
      } catch (error) {
        // A worker that ended meanwhile has nothing left to collect.
        if (this.workers.has(worker)) throw error;
      }
    }
  }

  close(): void {
    this.socket.close();
  }

  /** Sends a command to the main thread (worker '') or, through it, to a worker's session. */
  private call(worker: string, method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    this.nextId += 1;
    const id = this.nextId;
    const key = `${worker}:${id}`;
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(key);
        reject(new Error(`no answer to ${method} within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.replies.set(key, {
        resolve: (result) => (clearTimeout(timer), resolve(result)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
    const command = JSON.stringify({ id, method, params });
    if (worker) {
      this.nextId += 1;
      this.socket.send(
        JSON.stringify({
          id: this.nextId,
          method: 'NodeWorker.sendMessageToWorker',
          params: { sessionId: worker, message: command },
        }),
      );
    } else {
      this.socket.send(command);
    }
    return reply;
  }

  private receive(message: ProtocolMessage): void {
    if (message.method === 'NodeWorker.attachedToWorker') {
      this.workers.add(String(message.params?.sessionId));
    } else if (message.method === 'NodeWorker.detachedFromWorker') {
      const worker = String(message.params?.sessionId);
      this.workers.delete(worker);
      for (const [key, waiting] of this.replies) {
        if (key.startsWith(`${worker}:`)) waiting.reject(new Error('the worker ended'));
      }
    } else if (message.method === 'NodeWorker.receivedMessageFromWorker') {
      const inner = JSON.parse(String(message.params?.message)) as ProtocolMessage;
      if (inner.id !== undefined) this.settle(`${String(message.params?.sessionId)}:${inner.id}`, inner);
    } else if (message.id !== undefined) {
      this.settle(`:${message.id}`, message);
    }
  }

  private settle(key: string, message: ProtocolMessage): void {
    const waiting = this.replies.get(key);
    if (!waiting) return;
    this.replies.delete(key);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  }
}

// The baseline of npm run bench:realtime: the least a server can do to fan a mutation out over WebSockets. A plain
// `ws` server accepts the same subscribers; POST /graphql parses the body, answers, then sends every socket the same
// data frame (the frame AppSync sends, with each subscriber's id), as the local server publishes after answering. No GraphQL, no auth, no filters: what is left is the cost of JSON and of writing to 500 sockets.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface BroadcastBaseline {
  url: string;
  close(): Promise<void>;
}

export async function startBroadcastBaseline(): Promise<BroadcastBaseline> {
  const subscribers = new Map<WebSocket, string>();
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: string };
      if (message.type === 'connection_init') {
        socket.send(JSON.stringify({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } }));
      } else if (message.type === 'start' && message.id) {
        subscribers.set(socket, message.id);
        socket.send(JSON.stringify({ type: 'start_ack', id: message.id }));
      }
    });
    socket.on('close', () => subscribers.delete(socket));
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as {
        variables: { id: string; body: string };
      };
      const event = { id: variables.id, body: variables.body, at: new Date().toISOString() };
      const body = JSON.stringify({ data: { emit: event } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      // After the answer, as the local server (and AppSync) publish.
      setImmediate(() => {
        const payload = JSON.stringify({ data: { onEvent: event } });
        for (const [socket, id] of subscribers) {
          socket.send(`{"type":"data","id":${JSON.stringify(id)},"payload":${payload}}`);
        }
      });
    });
  };
  const server = http.createServer(handle);
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

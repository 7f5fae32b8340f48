// The stores' shared HTTP helpers: listening, closing with keep-alive clients, the advertised URL, bounded bodies.
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BodyTooLargeError,
  closeServer,
  endpointUrl,
  IncompleteBodyError,
  listen,
  readBodyWithin,
} from '../../../../local/stores/shared';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});

function track(server: Server): Server {
  servers.push(server);
  return server;
}

describe('endpointUrl', () => {
  it('uses a specific IPv4 host as it is', () => {
    expect(endpointUrl('192.168.1.20', 4002)).toBe('http://192.168.1.20:4002');
  });

  it('puts an IPv6 host in brackets', () => {
    expect(endpointUrl('::1', 4002)).toBe('http://[::1]:4002');
  });

  it('advertises loopback for a wildcard bind unless told otherwise', () => {
    expect(endpointUrl('0.0.0.0', 4002)).toBe('http://127.0.0.1:4002');
    expect(endpointUrl('::', 4002)).toBe('http://127.0.0.1:4002');
    expect(endpointUrl('0.0.0.0', 4002, '10.0.2.2')).toBe('http://10.0.2.2:4002');
    expect(endpointUrl('::', 4002, 'fe80::1')).toBe('http://[fe80::1]:4002');
  });
});

describe('listen and closeServer', () => {
  it('resolves with the ephemeral port taken', async () => {
    const server = track(createServer((_req, res) => res.end('ok')));
    const port = await listen(server, 0, '127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
  });

  it('rejects when the port is taken', async () => {
    const first = track(createServer());
    const port = await listen(first, 0, '127.0.0.1');
    const second = createServer();
    await expect(listen(second, port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('closes while a client waits on an unanswered request, and closing twice is fine', async () => {
    // Node's close() alone ends idle connections but waits for busy ones; a store must stop at once.
    const server = createServer(() => undefined);
    const port = await listen(server, 0, '127.0.0.1');
    const received = new Promise<void>((resolve) => server.once('request', () => resolve()));
    const outcome = new Promise<string>((resolve) => {
      request({ host: '127.0.0.1', port }, () => resolve('answered'))
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
        .end();
    });
    await received;
    const closed = await Promise.race([
      closeServer(server).then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 2000)),
    ]);
    expect(closed).toBe('closed');
    expect(await outcome).toBe('ECONNRESET');
    await expect(closeServer(server)).resolves.toBeUndefined();
  });
});

describe('readBodyWithin', () => {
  async function serverReading(limit: number) {
    const outcomes: Array<Buffer | Error> = [];
    const server = track(
      createServer((req, res) => {
        readBodyWithin(req, limit).then(
          (body) => {
            outcomes.push(body);
            res.end(`read ${body.length}`);
          },
          (error: Error) => {
            outcomes.push(error);
            res.statusCode = 413;
            res.end(error.name);
          },
        );
      }),
    );
    const port = await listen(server, 0, '127.0.0.1');
    return { port, outcomes };
  }

  it('returns a body up to the limit', async () => {
    const { port } = await serverReading(5);
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '12345' });
    expect(await response.text()).toBe('read 5');
  });

  it('refuses one byte over the limit and still answers the client', async () => {
    const { port, outcomes } = await serverReading(5);
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '123456' });
    expect(response.status).toBe(413);
    expect(outcomes[0]).toBeInstanceOf(BodyTooLargeError);
    expect(outcomes[0]).toMatchObject({ received: 6, limit: 5 });
  });

  it('reports a connection that ends before the declared length', async () => {
    const { port, outcomes } = await serverReading(1000);
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect.poll(() => outcomes.length).toBe(1);
    expect(outcomes[0]).toBeInstanceOf(IncompleteBodyError);
  });
});

// Starting and stopping the stores' HTTP servers, the URL each one is reached at, and reading request targets.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on host:port (0: a free port) and resolves with the port taken; rejects if the address is in use. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops accepting connections and ends the open ones: keep-alive sockets of SDK clients would otherwise hold the
 * server open until they time out. Closing a server that is already closed is not an error.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
      else resolve();
    });
    server.closeAllConnections();
  });
}

/** True for the addresses that mean "every interface" rather than one address a client could dial. */
export function isWildcardHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

/** A host as it appears in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The base URL clients use for a server listening on host:port. A wildcard bind is reached through `advertisedHost`
 * (by default loopback, which every local client can dial).
 */
export function endpointUrl(host: string, port: number, advertisedHost = '127.0.0.1'): string {
  return `http://${urlHost(isWildcardHost(host) ? advertisedHost : host)}:${port}`;
}

export class BodyTooLargeError extends Error {
  constructor(
    /** Bytes received when the limit was passed (at least limit + 1). */
    readonly received: number,
    readonly limit: number,
  ) {
    super(`Request body is over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export class IncompleteBodyError extends Error {
  constructor() {
    super('The connection ended before the whole request body arrived');
    this.name = 'IncompleteBodyError';
  }
}

/**
 * Reads a request body of at most `limit` bytes. Past the limit it rejects at once with BodyTooLargeError and keeps
 * draining the rest, so the response can still be read by the client; a connection that ends early rejects with
 * IncompleteBodyError.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        fail(new BodyTooLargeError(received, limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, received));
    });
    req.on('error', () => fail(new IncompleteBodyError()));
    req.on('close', () => {
      if (!req.complete) fail(new IncompleteBodyError());
    });
  });
}

// The URL of an incoming request, from its request-target. `new URL(target, base)` reads a target starting with `//`
// as a host (`//graphql` is host "graphql", path "/") and throws on `//` itself; any client can send such a request
// line, and one thrown in an upgrade handler ended the whole process. So a target is always read as a path (or as
// the absolute URL it is), and one no URL can be made of is undefined: the caller answers 400.
export function requestUrl(target: string | undefined): URL | undefined {
  const value = target ?? '/';
  try {
    return value.startsWith('/') ? new URL(`http://localhost${value}`) : new URL(value);
  } catch {
    return undefined;
  }
}

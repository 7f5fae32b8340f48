// AppSync's HTTP data source: the request object's method, resourcePath and params ({ query, headers, body }) become
// one HTTP request to the data source's endpoint (or the endpoint the server was given for it), signed with SigV4
// when the data source has an authorizationConfig, as AppSync signs with its service role; the answer comes back as
// ctx.result { statusCode, headers, body } whatever its status, the body as text. A data source naming the API itself
// (`self`) is answered by the server in-process: the same request, checks and answer, without a loopback socket.
// https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-http-js.html (request and response shapes);
// @aws-appsync/utils 2.1.1 lib/resolver-return-types.d.ts (HTTPRequest: body a string or an object; HTTPResult).
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpDataSourceDefinition } from '../../definition';
import { NodeSha256 } from '../auth/sigv4';
import { NoAnswerError, send } from './outbound';
import { isObject, mappingTemplateError, RequestShapeError } from './request-object';
import type { DataSourceKind, DataSourceOutcome } from './types';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
// Headers the caller cannot set: the connection's own (AppSync's HTTP resolver reference lists these).
const RESERVED_HEADERS = new Set(['host', 'connection', 'user-agent', 'expect', 'transfer-encoding', 'content-length']);
/** The endpoint naming this API itself. */
const SELF = 'self';
/** How long AppSync waits for an HTTP endpoint. */
const TIMEOUT_MS = 30_000;

function jsonType(value: unknown): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'object') return 'OBJECT';
  return typeof value === 'string' ? 'STRING' : (typeof value).toUpperCase();
}

interface PreparedRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: string;
}

/** Reads the request object as AppSync does, refusing what it would refuse. */
function prepare(request: unknown): PreparedRequest {
  if (!isObject(request)) {
    throw new RequestShapeError(`Expected the request to be a JSON object but got '${jsonType(request)}'.`);
  }
  const { method, resourcePath, params } = request;
  if (method === undefined || method === null) throw new RequestShapeError("Value for field '$[method]' not found.");
  if (typeof method !== 'string' || !METHODS.has(method)) {
    throw new RequestShapeError(`Unsupported method '${String(method)}': use GET, POST, PUT, DELETE or PATCH.`);
  }
  if (resourcePath === undefined || resourcePath === null) {
    throw new RequestShapeError("Value for field '$[resourcePath]' not found.");
  }
  if (typeof resourcePath !== 'string' || !resourcePath.startsWith('/')) {
    throw new RequestShapeError("'$[resourcePath]' must be a string starting with '/'.");
  }
  if (params !== undefined && params !== null && !isObject(params)) {
    throw new RequestShapeError(`Expected JSON object at '$[params]' but got '${jsonType(params)}' instead.`);
  }
  const { query, headers, body } = (params ?? {}) as Record<string, unknown>;

  const prepared: PreparedRequest = { method, path: resourcePath, query: [], headers: {} };
  if (query !== undefined && query !== null) {
    if (!isObject(query)) {
      throw new RequestShapeError(`Expected JSON object at '$[params][query]' but got '${jsonType(query)}' instead.`);
    }
    for (const [name, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null || typeof item === 'object') {
          throw new RequestShapeError(`'$[params][query][${name}]' must be a string, a number or a boolean.`);
        }
        prepared.query.push([name, String(item)]);
      }
    }
  }
  if (headers !== undefined && headers !== null) {
    if (!isObject(headers)) {
      throw new RequestShapeError(
        `Expected JSON object at '$[params][headers]' but got '${jsonType(headers)}' instead.`,
      );
    }
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') {
        throw new RequestShapeError(`Expected a string at '$[params][headers][${name}]' but got '${jsonType(value)}'.`);
      }
      if (RESERVED_HEADERS.has(name.toLowerCase())) {
        throw new RequestShapeError(`The header '${name}' cannot be set on an HTTP data source request.`);
      }
      prepared.headers[name.toLowerCase()] = value;
    }
  }
  if (body !== undefined && body !== null) {
    prepared.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return prepared;
}

/** SigV4-signs the request as AppSync does with its service role (here: this data folder's credentials). */
async function sign(url: URL, prepared: PreparedRequest, signer: SignatureV4): Promise<Record<string, string>> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of prepared.query) {
    const known = query[name];
    query[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  const signed = await signer.sign({
    method: prepared.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query,
    headers: { ...prepared.headers, host: url.host },
    body: prepared.body,
  });
  // fetch-like clients set Host from the URL themselves.
  return Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
}

/** The answer, or the error an HTTP request that outlived its timeout gets. */
function withTimeout<T>(answer: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswerError(timeoutMs)), timeoutMs);
  });
  return Promise.race([answer, expired]).finally(() => clearTimeout(timer));
}

function join(endpoint: string, resourcePath: string): string {
  return `${endpoint.replace(/\/+$/, '')}${resourcePath}`;
}

export const httpKind: DataSourceKind<'HTTP'> = {
  check(name, definition, host) {
    const endpoint = host.endpoints[name] ?? definition.endpoint;
    if (endpoint === SELF) return [];
    try {
      const url = new URL(endpoint);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      return [];
    } catch {
      return [`data source '${name}' (HTTP) has the endpoint '${endpoint}', which is not an http(s) URL`];
    }
  },
  create(name, definition: HttpDataSourceDefinition, host) {
    const configured = host.endpoints[name] ?? definition.endpoint;
    // The server's own address is known only once it listens, after the data sources are made.
    const endpointOf = () => (configured === SELF ? host.selfEndpoint() : configured);
    // One signer for the data source: it keeps the day's signing key instead of deriving it for every request.
    const signer =
      definition.authorizationConfig &&
      new SignatureV4({
        service: definition.authorizationConfig.signingServiceName,
        region: definition.authorizationConfig.signingRegion ?? host.region,
        credentials: host.credentials,
        sha256: NodeSha256,
      });
    return {
      async invoke(request): Promise<DataSourceOutcome> {
        let prepared: PreparedRequest;
        try {
          prepared = prepare(request);
        } catch (error) {
          if (error instanceof RequestShapeError) return mappingTemplateError(error.message);
          throw error;
        }
        const url = new URL(join(endpointOf(), prepared.path));
        for (const [key, value] of prepared.query) url.searchParams.append(key, value);
        const headers = signer ? await sign(url, prepared, signer) : prepared.headers;
        try {
          // The API calling itself is answered without a socket; everything else goes over HTTP.
          const own =
            configured === SELF
              ? host.answerOwnRequest({
                  method: prepared.method,
                  target: `${url.pathname}${url.search}`,
                  headers,
                  body: prepared.body,
                })
              : undefined;
          const response = await (own
            ? withTimeout(own, TIMEOUT_MS)
            : send({ url, method: prepared.method, headers, body: prepared.body, timeoutMs: TIMEOUT_MS }));
          return { result: { statusCode: response.status, headers: response.headers, body: response.body } };
        } catch (thrown) {
          const message = `An error occurred while calling ${url.origin}: ${(thrown as Error).message}`;
          return { error: { type: 'HTTP', message } };
        }
      },
    };
  },
};

// AppSync's OpenSearch Service data source, forwarded: there is no OpenSearch in this process, so requests go to the
// endpoint the server is given for the data source (`--endpoint <name>=http://localhost:9200`), and without one the
// server does not start, naming the data source. The request object is { operation, path, params: { headers,
// queryString, body } }; ctx.result is OpenSearch's JSON answer (`ctx.result.hits.hits`, `ctx.result._source`).
// https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-elasticsearch-js.html
import { send, type OutboundResponse } from './outbound';
import { isObject, mappingTemplateError } from './request-object';
import type { DataSourceKind } from './types';

const OPERATIONS = new Set(['GET', 'POST', 'PUT', 'HEAD', 'DELETE']);
const TIMEOUT_MS = 30_000;

export const openSearchKind: DataSourceKind<'AMAZON_OPENSEARCH_SERVICE'> = {
  check(name, _definition, host) {
    if (!host.endpoints[name]) {
      return [
        `data source '${name}' (AMAZON_OPENSEARCH_SERVICE) needs an endpoint: there is no local OpenSearch, so ` +
          `start one and pass --endpoint ${name}=http://localhost:9200`,
      ];
    }
    return [];
  },
  create(name, _definition, host) {
    const endpoint = host.endpoints[name].replace(/\/+$/, '');
    return {
      async invoke(request) {
        if (!isObject(request)) return mappingTemplateError('An OpenSearch request must be a JSON object.');
        const { operation, path, params } = request;
        if (typeof operation !== 'string' || !OPERATIONS.has(operation)) {
          return mappingTemplateError(
            `Unsupported operation '${String(operation)}': use GET, POST, PUT, HEAD or DELETE.`,
          );
        }
        if (typeof path !== 'string' || !path.startsWith('/')) {
          return mappingTemplateError("'$[path]' must be a string starting with '/'.");
        }
        if (params !== undefined && params !== null && !isObject(params)) {
          return mappingTemplateError("'$[params]' must be a JSON object.");
        }
        const { headers = {}, queryString = {}, body } = (params ?? {}) as Record<string, unknown>;
        if (!isObject(headers) || !isObject(queryString)) {
          return mappingTemplateError("'$[params][headers]' and '$[params][queryString]' must be JSON objects.");
        }
        const url = new URL(`${endpoint}${path}`);
        for (const [key, value] of Object.entries(queryString)) url.searchParams.append(key, String(value));
        let response: OutboundResponse;
        try {
          response = await send({
            url,
            method: operation,
            headers: {
              'content-type': 'application/json',
              ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
            },
            body:
              body === undefined || body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
            timeoutMs: TIMEOUT_MS,
          });
        } catch (thrown) {
          const message = `An error occurred while calling ${url.origin}: ${(thrown as Error).message}`;
          return { error: { type: 'OpenSearch', message } };
        }
        let result: unknown = null;
        try {
          result = response.body === '' ? null : JSON.parse(response.body);
        } catch {
          result = response.body;
        }
        if (response.status < 200 || response.status > 299) {
          return {
            result,
            error: { type: 'OpenSearch', message: `OpenSearch answered ${response.status} ${response.statusText}` },
          };
        }
        return { result };
      },
    };
  },
};

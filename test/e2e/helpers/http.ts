// Raw HTTP to the GraphQL endpoint, for what the SDK cannot send: no Authorization header, bodies that are not JSON,
// other methods, oversized documents.
import { expect } from 'vitest';

export interface RawResponse {
  status: number;
  contentType: string | null;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** From sending the request to the end of the body. */
  ms: number;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Abort the request after this long; no limit when absent. */
  timeoutMs?: number;
}

export async function rawRequest(url: string, init: RawRequest = {}): Promise<RawResponse> {
  const started = performance.now();
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers,
    body: init.body,
    signal: init.timeoutMs === undefined ? undefined : AbortSignal.timeout(init.timeoutMs),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, json, ms };
}

/** A POST with a JSON body, as a GraphQL client sends it. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(url, {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** AppSync's answer to a request it refuses before running it: a 4xx and `{ errors: [{ errorType, message }] }`. */
export function expectRequestRefused(response: RawResponse, status: number, errorType: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.json).toEqual({ errors: [expect.objectContaining({ errorType, message: expect.any(String) })] });
}

/** A GraphQL error answer that ran nothing: HTTP 200, `data: null`, and errors with a message each. */
export function expectGraphQLErrors(response: RawResponse): Array<Record<string, unknown>> {
  expect(response.status, response.text).toBe(200);
  const body = response.json as { data?: unknown; errors?: Array<Record<string, unknown>> };
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.length).toBeGreaterThan(0);
  for (const error of body.errors ?? []) expect(error.message).toEqual(expect.any(String));
  return body.errors ?? [];
}

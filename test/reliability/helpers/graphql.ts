// GraphQL over plain HTTP, as any client sends it, with the answer's status, parsed body and time: the suite judges
// what the server answered, so nothing in between may retry, reshape or throw.
import { expect } from 'vitest';
import { rawRequest, type RawRequest, type RawResponse } from '../../e2e/helpers/http';

/** The raw answer (status, text, parsed JSON, time), as the e2e suite's raw requests record it. */
export type Answer = Omit<RawResponse, 'contentType'>;

export interface AppSyncErrorShape {
  errorType?: string | null;
  message: string;
  path?: Array<string | number> | null;
  data?: unknown;
  errorInfo?: unknown;
  locations?: unknown;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: AppSyncErrorShape[];
}

/** A request with a deadline (60 s unless told), so a hung server fails the test instead of stalling it. */
export function send(url: string, init: RawRequest = {}): Promise<Answer> {
  return rawRequest(url, { ...init, timeoutMs: init.timeoutMs ?? 60_000 });
}

/** A GraphQL POST with the given credential headers (none, a raw JWT, an API key, SigV4...). */
export function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  headers: Record<string, string>,
  timeoutMs?: number,
): Promise<Answer> {
  return send(url, {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    timeoutMs,
  });
}

/** The raw user-pool JWT, as AppSync takes it. */
export const bearer = (token: string) => ({ authorization: token });

export function body(answer: Answer): GraphQLBody {
  if (answer.json === undefined || answer.json === null || typeof answer.json !== 'object') {
    throw new Error(`not a JSON object (HTTP ${answer.status}): ${answer.text.slice(0, 300)}`);
  }
  return answer.json as GraphQLBody;
}

/** A field's value from a successful answer; fails with the errors otherwise. */
export function dataOf<T = Record<string, unknown>>(answer: Answer, field: string): T {
  const { data, errors } = body(answer);
  if (answer.status !== 200 || errors?.length) {
    throw new Error(`${field} failed (HTTP ${answer.status}): ${answer.text.slice(0, 500)}`);
  }
  return data?.[field] as T;
}

/**
 * AppSync's error shapes: a request refused before it runs is `{ errors: [{ errorType, message }] }` with a 4xx; a
 * GraphQL error is HTTP 200 with `data` and errors carrying `message` (and `errorType`, `path`, `locations` ...).
 */
export function expectAppSyncShape(answer: Answer): void {
  expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
  const parsed = body(answer);
  if (answer.status !== 200) {
    expect(parsed.errors, answer.text.slice(0, 300)).toEqual([
      { errorType: expect.any(String), message: expect.any(String) },
    ]);
    return;
  }
  expect('data' in parsed || 'errors' in parsed, answer.text.slice(0, 300)).toBe(true);
  for (const error of parsed.errors ?? []) {
    expect(typeof error.message, JSON.stringify(error)).toBe('string');
    if ('errorType' in error) expect(['string', 'object'], JSON.stringify(error)).toContain(typeof error.errorType);
  }
}

/** A request refused before it ran: this status, `{ errors: [{ errorType, message }] }`. */
export function expectRefused(answer: Answer, status: number, errorType: string): void {
  expect(answer.status, answer.text.slice(0, 300)).toBe(status);
  expect(answer.json, answer.text.slice(0, 300)).toEqual({ errors: [{ errorType, message: expect.any(String) }] });
}

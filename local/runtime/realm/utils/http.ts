// util.http: copyHeaders, addResponseHeader, addResponseHeaders.
// A header AppSync refuses (empty or restricted name, null value, over the size limit) is ignored and reported as a
// ResponseHeaderError in the operation's errors, without stopping the resolver.
import { currentEvaluation, type EvaluationState } from '../evaluation';
import { describeValue, isPlainObject, requireObject } from './internal/args';
import { utf8Length } from './internal/utf8';

/** Hop-by-hop and framing headers that copyHeaders drops. */
const RESTRICTED_REQUEST_HEADERS = [
  'transfer-encoding',
  'connection',
  'host',
  'expect',
  'keep-alive',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'content-length',
];

/** Headers AppSync sets itself, which a resolver may not add to the response. */
const RESTRICTED_RESPONSE_HEADERS = [
  ...RESTRICTED_REQUEST_HEADERS,
  'access-control-allow-credentials',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
  'content-type',
];

const RESTRICTED_PREFIXES = ['x-amzn-', 'x-amz-'];
const MAX_CUSTOM_HEADER_BYTES = 4096;
// RFC 9110 token characters: anything else cannot be sent as a header name.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// Every header added counts towards the size limit, even one that a later definition replaces.
const bytesUsed = new WeakMap<EvaluationState, number>();

function copyHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  requireObject('util.http.copyHeaders', 'headers', headers);
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!RESTRICTED_REQUEST_HEADERS.includes(name.toLowerCase())) copy[name] = value;
  }
  return copy;
}

/** Control characters other than horizontal tab cannot be sent in a header value. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

function headerText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Why AppSync would refuse this header, or undefined when it is acceptable. */
function refusal(name: unknown, value: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'a header name must be a non-empty string';
  const lower = name.toLowerCase();
  if (RESTRICTED_RESPONSE_HEADERS.includes(lower)) return 'the name is restricted';
  if (RESTRICTED_PREFIXES.some((prefix) => lower.startsWith(prefix))) return 'the name has a restricted prefix';
  if (!HEADER_NAME.test(name)) return 'the name has characters not allowed in an HTTP header name';
  if (value === null || value === undefined) return `the value is ${describeValue(value)}`;
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    return `the value is ${typeof value}`;
  }
  if (hasControlCharacters(headerText(value))) return 'the value has control characters';
  return undefined;
}

function addResponseHeader(name: string, value: unknown): void {
  const state = currentEvaluation();
  let reason = refusal(name, value);
  const text = reason === undefined ? headerText(value) : '';
  const size = (bytesUsed.get(state) ?? 0) + utf8Length(String(name)) + utf8Length(text);
  if (reason === undefined && size > MAX_CUSTOM_HEADER_BYTES) {
    reason = `custom response headers would exceed ${MAX_CUSTOM_HEADER_BYTES} bytes`;
  }
  if (reason !== undefined) {
    state.outErrors.push({
      message: `Response header '${String(name)}' was ignored: ${reason}`,
      errorType: 'ResponseHeaderError',
    });
    return;
  }
  bytesUsed.set(state, size);
  const headers = (state.responseHeaders ??= {});
  // Header names are case-insensitive: the latest definition wins whatever its case.
  for (const existing of Object.keys(headers)) {
    if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  }
  headers[name] = text;
}

function addResponseHeaders(headers: Record<string, unknown>): void {
  if (!isPlainObject(headers)) {
    throw new TypeError(`util.http.addResponseHeaders: headers must be an object, got ${describeValue(headers)}`);
  }
  for (const [name, value] of Object.entries(headers)) addResponseHeader(name, value);
}

export const http = { copyHeaders, addResponseHeader, addResponseHeaders };

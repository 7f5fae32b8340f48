// Reading the request target. S3's canonical URI is each path segment decoded and then encoded once with the RFC 3986
// unreserved set, so `%c3%a9` and `%C3%A9`, or `(` and `%28`, name the same key under the same signature.
import { invalidUri } from './errors';

export interface Target {
  /** The first path segment, decoded. */
  bucket?: string;
  /** The rest of the path, decoded; undefined when the request is about the bucket itself. */
  key?: string;
  canonicalUri: string;
  query: Record<string, string[]>;
}

export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(raw: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, ' ') : raw);
  } catch {
    throw invalidUri();
  }
}

export function parseTarget(url: string | undefined): Target {
  if (!url || !url.startsWith('/')) throw invalidUri();
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const segments = rawPath
    .slice(1)
    .split('/')
    .map((segment) => decodeComponent(segment, false));
  const canonicalUri = '/' + segments.map(uriEncode).join('/');

  const query: Record<string, string[]> = Object.create(null);
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    // Query strings are form-encoded: '+' is a space, as S3 reads them.
    const name = decodeComponent(equals === -1 ? pair : pair.slice(0, equals), true);
    const value = equals === -1 ? '' : decodeComponent(pair.slice(equals + 1), true);
    (query[name] ??= []).push(value);
  }

  const bucket = segments[0] === '' ? undefined : segments[0];
  if (bucket === undefined && segments.length > 1) throw invalidUri();
  const key = segments.length > 1 ? segments.slice(1).join('/') : undefined;
  return { bucket, key: key === '' ? undefined : key, canonicalUri, query };
}

export function single(query: Record<string, string[]>, name: string): string | undefined {
  return query[name]?.[0];
}

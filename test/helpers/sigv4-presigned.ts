// Checks a request against a SigV4 presigned URL the way S3 does, written from the SigV4 specification with
// node:crypto alone, so it shares no code with the presigner it checks.
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface PresignedRequest {
  method: string;
  url: string;
  /** The headers the client sends; `host` is taken from the URL. */
  headers: Record<string, string>;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20260102T030405Z` as a Date. */
function parseAmzDate(value: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) {
    throw new Error(`bad X-Amz-Date ${value}`);
  }
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

export function verifyPresignedRequest(request: PresignedRequest, credentials: Credentials, now: Date): Verdict {
  const url = new URL(request.url);
  const params = url.searchParams;
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders'];
  for (const name of [...required, 'X-Amz-Signature']) {
    if (!params.get(name)) {
      return { ok: false, reason: `missing ${name}` };
    }
  }
  if (params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    return { ok: false, reason: 'unsupported algorithm' };
  }
  const [accessKeyId, ...scopeParts] = params.get('X-Amz-Credential')!.split('/');
  if (accessKeyId !== credentials.accessKeyId) {
    return { ok: false, reason: 'unknown access key' };
  }
  const scope = scopeParts.join('/');
  const [scopeDate, region, service, terminator] = scopeParts;
  const amzDate = params.get('X-Amz-Date')!;
  if (terminator !== 'aws4_request' || !amzDate.startsWith(scopeDate)) {
    return { ok: false, reason: 'malformed credential scope' };
  }
  const expiresAt = parseAmzDate(amzDate).getTime() + Number(params.get('X-Amz-Expires')) * 1000;
  if (now.getTime() > expiresAt) {
    return { ok: false, reason: 'request has expired' };
  }

  const sentHeaders = new Map<string, string>([['host', url.host]]);
  for (const [name, value] of Object.entries(request.headers)) {
    sentHeaders.set(name.toLowerCase(), value);
  }
  const signedHeaderNames = params.get('X-Amz-SignedHeaders')!.split(';');
  const canonicalHeaders: string[] = [];
  for (const name of signedHeaderNames) {
    const value = sentHeaders.get(name);
    if (value === undefined) {
      return { ok: false, reason: `signed header ${name} was not sent` };
    }
    canonicalHeaders.push(`${name}:${value.trim().replace(/\s+/g, ' ')}\n`);
  }

  const canonicalQuery = [...params.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const payloadHash = params.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  const canonicalRequest = [
    request.method.toUpperCase(),
    url.pathname,
    canonicalQuery,
    canonicalHeaders.join(''),
    signedHeaderNames.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [scopeDate, region, service, 'aws4_request'].reduce<Buffer | string>(
    (key, part) => hmac(key, part),
    `AWS4${credentials.secretAccessKey}`,
  );
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return expected === params.get('X-Amz-Signature') ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

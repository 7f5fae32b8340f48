// Authentication: presigned query parameters or the Authorization header, never both, never neither.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ALGORITHM_IDENTIFIER, MAX_PRESIGNED_TTL, UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
import {
  canonicalValue,
  parseAmzDate,
  parseCredential,
  type Credential,
  type SigV4Signer,
} from '../../server/auth/sigv4';
import { S3Error, accessDenied, headerAuthError, queryAuthError } from './errors';
import { single, type Target } from './target';

const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const STREAMING_MODES = [
  STREAMING_UNSIGNED_TRAILER,
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
];
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface Authenticated {
  /** The payload hash that was signed: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* mode. */
  payloadHash: string;
}

/** What a request says about its own signature, from the query string or the Authorization header. */
interface SignatureClaim {
  credential: Credential;
  longDate: string;
  signedAt: Date;
  signedHeaders: string[];
  payloadHash: string;
  signature: string;
}

export interface AuthSettings {
  accessKeyId: string;
  region: string;
  verifier: SigV4Signer;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The scope must name our region, S3, aws4_request and the same day as the request date. */
function checkScope(
  credential: Credential,
  longDate: string,
  settings: AuthSettings,
  fail: (message: string, details?: Array<[string, string]>) => S3Error,
): void {
  if (credential.region !== settings.region) {
    throw fail(`the region '${credential.region}' is wrong; expecting '${settings.region}'`, [
      ['Region', settings.region],
    ]);
  }
  if (credential.service !== 's3') {
    throw fail(`incorrect service "${credential.service}". This endpoint belongs to "s3".`);
  }
  if (credential.terminal !== 'aws4_request') {
    throw fail(`incorrect terminal "${credential.terminal}". This endpoint uses "aws4_request".`);
  }
  if (credential.date !== longDate.slice(0, 8)) {
    throw fail(
      `Invalid credential date "${credential.date}". This date is not the same as X-Amz-Date: "${longDate.slice(0, 8)}".`,
    );
  }
  if (credential.accessKeyId !== settings.accessKeyId) {
    throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [
      ['AWSAccessKeyId', credential.accessKeyId],
    ]);
  }
}

/** S3 requires host and every x-amz-* header the request carries to be signed. */
function checkSignedHeaderSet(req: IncomingMessage, signedHeaders: string[]): void {
  const signed = new Set(signedHeaders);
  const unsigned = Object.keys(req.headers).filter((name) => name.startsWith('x-amz-') && !signed.has(name));
  if (!signed.has('host')) unsigned.unshift('host');
  if (unsigned.length > 0) {
    throw accessDenied('There were headers present in the request which were not signed', [
      ['HeadersNotSigned', unsigned.join(', ')],
    ]);
  }
}

async function verifySignature(
  req: IncomingMessage,
  target: Target,
  settings: AuthSettings,
  claim: SignatureClaim,
): Promise<void> {
  const { credential, longDate, signedAt, signedHeaders, payloadHash, signature: providedSignature } = claim;
  const canonicalHeaders: Record<string, string> = Object.create(null);
  for (const name of signedHeaders) {
    canonicalHeaders[name] = (req.headersDistinct[name] ?? []).map(canonicalValue).join(',');
  }
  const canonicalRequest = settings.verifier.canonicalRequestFor(
    req.method ?? '',
    target.canonicalUri,
    target.query,
    canonicalHeaders,
    payloadHash,
  );
  const scope = `${credential.date}/${credential.region}/${credential.service}/${credential.terminal}`;
  const { stringToSign, signature } = await settings.verifier.expectedSignature(
    canonicalRequest,
    longDate,
    scope,
    signedAt,
  );
  const expected = Buffer.from(signature, 'utf8');
  const provided = Buffer.from(providedSignature, 'utf8');
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) {
    const bytes = (text: string) =>
      Array.from(Buffer.from(text, 'utf8'), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      [
        ['AWSAccessKeyId', credential.accessKeyId],
        ['StringToSign', stringToSign],
        ['SignatureProvided', providedSignature],
        ['StringToSignBytes', bytes(stringToSign)],
        ['CanonicalRequest', canonicalRequest],
        ['CanonicalRequestBytes', bytes(canonicalRequest)],
      ],
    );
  }
}

function parseSignedHeaders(value: string): string[] | undefined {
  const names = value.split(';');
  return names.every((name) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) ? names : undefined;
}

const PRESIGN_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
];

async function authenticatePresigned(
  req: IncomingMessage,
  target: Target,
  settings: AuthSettings,
  now: Date,
): Promise<Authenticated> {
  const { query } = target;
  if (PRESIGN_PARAMS.some((name) => query[name] === undefined || query[name].length !== 1)) {
    throw queryAuthError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const algorithm = single(query, 'X-Amz-Algorithm') ?? '';
  if (algorithm !== ALGORITHM_IDENTIFIER) throw queryAuthError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const longDate = single(query, 'X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(longDate);
  if (!signedAt) throw queryAuthError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const expiresText = single(query, 'X-Amz-Expires') ?? '';
  if (!/^-?\d+$/.test(expiresText)) throw queryAuthError('X-Amz-Expires should be a number');
  const expiresIn = Number(expiresText);
  if (expiresIn < 0) throw queryAuthError('X-Amz-Expires must be non-negative');
  if (expiresIn > MAX_PRESIGNED_TTL) {
    throw queryAuthError(
      `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_TTL} seconds`,
    );
  }
  const credential = parseCredential(single(query, 'X-Amz-Credential') ?? '');
  const credentialError = (message: string, details: Array<[string, string]> = []) =>
    queryAuthError(`Error parsing the X-Amz-Credential parameter; ${message}`, details);
  if (!credential) {
    throw credentialError(
      'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  checkScope(credential, longDate, settings, credentialError);
  if (query['X-Amz-Security-Token'] !== undefined || req.headers['x-amz-security-token'] !== undefined) {
    throw new S3Error(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }

  if (signedAt.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
    throw accessDenied('Request is not yet valid', [
      ['X-Amz-Date', longDate],
      ['Expires', isoSeconds(new Date(signedAt.getTime() + expiresIn * 1000))],
      ['ServerTime', isoSeconds(now)],
    ]);
  }
  const expiresAt = new Date(signedAt.getTime() + expiresIn * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    throw accessDenied('Request has expired', [
      ['X-Amz-Expires', expiresText],
      ['Expires', isoSeconds(expiresAt)],
      ['ServerTime', isoSeconds(now)],
    ]);
  }

  const signedHeaders = parseSignedHeaders(single(query, 'X-Amz-SignedHeaders') ?? '');
  if (!signedHeaders) throw queryAuthError('X-Amz-SignedHeaders is malformed');
  checkSignedHeaderSet(req, signedHeaders);
  const payloadHash = single(query, 'X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  const signature = single(query, 'X-Amz-Signature') ?? '';
  await verifySignature(req, target, settings, {
    credential,
    longDate,
    signedAt,
    signedHeaders,
    payloadHash,
    signature,
  });
  return { payloadHash };
}

async function authenticateHeader(
  req: IncomingMessage,
  target: Target,
  settings: AuthSettings,
  now: Date,
): Promise<Authenticated> {
  const header = String(req.headers.authorization);
  const space = header.indexOf(' ');
  const algorithm = space === -1 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const trimmed = part.trim();
    const equals = trimmed.indexOf('=');
    if (equals > 0) fields.set(trimmed.slice(0, equals), trimmed.slice(equals + 1));
  }
  const credentialText = fields.get('Credential');
  const signedHeadersText = fields.get('SignedHeaders');
  const providedSignature = fields.get('Signature');
  if (credentialText === undefined || signedHeadersText === undefined || providedSignature === undefined) {
    throw headerAuthError(
      'The authorization header is malformed; it must contain Credential, SignedHeaders and Signature.',
    );
  }
  const credential = parseCredential(credentialText);
  if (!credential) {
    throw headerAuthError(
      'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  const longDate = req.headers['x-amz-date'];
  const signedAt = typeof longDate === 'string' ? parseAmzDate(longDate) : undefined;
  if (typeof longDate !== 'string' || !signedAt) {
    throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  }
  checkScope(credential, longDate, settings, (message, details) =>
    headerAuthError(`The authorization header is malformed; ${message}`, details),
  );
  if (req.headers['x-amz-security-token'] !== undefined) {
    throw new S3Error(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }
  if (Math.abs(signedAt.getTime() - now.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new S3Error(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      [
        ['RequestTime', longDate],
        ['ServerTime', isoSeconds(now)],
        ['MaxAllowedSkewMilliseconds', String(MAX_CLOCK_SKEW_MS)],
      ],
    );
  }
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (typeof payloadHash !== 'string') {
    throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  if (payloadHash !== UNSIGNED_PAYLOAD && !SHA256_HEX.test(payloadHash) && !STREAMING_MODES.includes(payloadHash)) {
    throw new S3Error(
      400,
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      [
        ['ArgumentName', 'x-amz-content-sha256'],
        ['ArgumentValue', payloadHash],
      ],
    );
  }
  const signedHeaders = parseSignedHeaders(signedHeadersText);
  if (!signedHeaders) throw headerAuthError('The authorization header is malformed; SignedHeaders is malformed.');
  checkSignedHeaderSet(req, signedHeaders);
  const claim = { credential, longDate, signedAt, signedHeaders, payloadHash, signature: providedSignature };
  await verifySignature(req, target, settings, claim);
  return { payloadHash };
}

export async function authenticate(
  req: IncomingMessage,
  target: Target,
  settings: AuthSettings,
): Promise<Authenticated> {
  const { query } = target;
  const hasHeader = req.headers.authorization !== undefined;
  const hasQuery =
    query['X-Amz-Algorithm'] !== undefined ||
    query['X-Amz-Signature'] !== undefined ||
    query['X-Amz-Credential'] !== undefined;
  if (hasHeader && hasQuery) {
    throw new S3Error(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  }
  if (query.Signature !== undefined || query.AWSAccessKeyId !== undefined) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  }
  const now = new Date();
  if (hasQuery) return authenticatePresigned(req, target, settings, now);
  if (hasHeader) return authenticateHeader(req, target, settings, now);
  throw accessDenied();
}

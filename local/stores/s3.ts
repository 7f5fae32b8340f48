// A small S3-compatible endpoint for the local uploads bucket, strict about authentication the way S3 is.
//
// Why our own and not a package: clients upload through presigned PUT URLs whose signature covers Content-Type and
// Content-Length, and running locally is only useful if a wrong type, a wrong size, another key, a tampered or an
// expired URL fails here as it fails on S3. Measured on our machines: `s3rver` checks no signature at all, and
// `@20minutes/s3rver@4` checks presigned signatures but ignores the signed content type and length. MinIO and
// LocalStack would need a binary or Docker. The signature arithmetic is not ours: the canonical request, the string to
// sign and the HMAC chain come from `@smithy/signature-v4`, the signer the AWS SDK itself uses, so both ends agree on
// SigV4 by construction. What this file adds is how S3 reads an incoming request (path decoding, which headers must
// be signed, scope, expiry, payload hashes, checksums) and S3's XML errors.
//
// Supported: path-style object PUT/GET/HEAD/DELETE, bucket HEAD, ListObjects (v1 and v2), ListBuckets; presigned
// query auth and Authorization-header auth (SigV4 only), including the SDK's aws-chunked uploads with a trailing
// checksum; Content-MD5 and x-amz-checksum-* verification; single byte ranges and conditional GETs; CORS.
// Not supported (answered 501 NotImplemented): multipart uploads, copy, ACLs, tagging, versioning, POST policy
// uploads, chunk-signed streaming (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), virtual-hosted-style addressing.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ALGORITHM_IDENTIFIER, MAX_PRESIGNED_TTL, SignatureV4, UNSIGNED_PAYLOAD } from '@smithy/signature-v4';

export interface S3ServerOptions {
  /** Objects are persisted here and survive a restart; in memory when absent. */
  dir?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'us-east-1'. */
  region?: string;
  /** The only key pair accepted. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  buckets: string[];
  /** Browser origins the CORS rule allows; '*' only if given. An entry may hold one '*' wildcard, as in S3. */
  corsOrigins?: string[];
  /** The rest of the bucket's CORS rule; by default the deployed bucket's (infra/constructs/storage.ts). */
  corsRule?: CorsRule;
  /** Largest object accepted, in bytes. Default 100 MiB (objects are buffered in memory). */
  maxObjectSize?: number;
}

export interface CorsRule {
  allowedMethods: Array<'GET' | 'PUT' | 'HEAD' | 'POST' | 'DELETE'>;
  /** Request headers a preflight may ask for, matched case-insensitively; an entry may hold one '*' wildcard. */
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAgeSeconds?: number;
}

export const DEFAULT_CORS_RULE: CorsRule = {
  allowedMethods: ['PUT', 'GET'],
  allowedHeaders: ['Content-Type'],
  exposedHeaders: ['ETag'],
  maxAgeSeconds: 3000,
};

export interface S3Server {
  endpoint: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_OBJECT_SIZE = 100 * 1024 * 1024;
const MAX_KEY_BYTES = 1024;
const MAX_USER_METADATA_BYTES = 2048;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
// A refused upload's body is read and dropped up to this size so the connection stays usable; beyond it we close.
const DRAIN_LIMIT = 1024 * 1024;
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const STREAMING_MODES = [
  STREAMING_UNSIGNED_TRAILER,
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
];
const SHA256_HEX = /^[0-9a-f]{64}$/;
// Characters Node (and HTTP) can carry in a response header value.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// Sub-resources of S3 operations this endpoint does not implement; a request naming one gets 501, never a wrong answer.
const UNSUPPORTED_SUBRESOURCES = [
  'acl',
  'tagging',
  'uploads',
  'uploadId',
  'partNumber',
  'versionId',
  'versions',
  'retention',
  'legal-hold',
  'torrent',
  'restore',
  'select',
  'attributes',
  'cors',
  'policy',
  'lifecycle',
  'website',
  'versioning',
  'notification',
  'replication',
  'encryption',
  'logging',
  'object-lock',
  'ownershipControls',
  'publicAccessBlock',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'delete',
  'session',
];
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

// ---------------------------------------------------------------------------------------------------------------
// Errors, as S3 writes them: XML with Code, Message, error-specific elements, RequestId and HostId.

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<[string, string]> = [],
  ) {
    super(message);
    this.name = code;
  }
}

const accessDenied = (message = 'Access Denied', details: Array<[string, string]> = []): S3Error =>
  new S3Error(403, 'AccessDenied', message, details);
const invalidUri = (): S3Error => new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
const queryAuthError = (message: string, details: Array<[string, string]> = []): S3Error =>
  new S3Error(400, 'AuthorizationQueryParametersError', message, details);
const headerAuthError = (message: string, details: Array<[string, string]> = []): S3Error =>
  new S3Error(400, 'AuthorizationHeaderMalformed', message, details);
const notImplemented = (what: string): S3Error =>
  new S3Error(
    501,
    'NotImplemented',
    `A header or query you provided implies functionality that is not implemented: ${what}`,
  );

// XML 1.0 cannot carry these control characters at all, not even as character references.
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(XML_FORBIDDEN, '');
}

function element(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function errorXml(error: S3Error, requestId: string, hostId: string): string {
  const details = error.details.map(([name, value]) => element(name, value)).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    element('Code', error.code) +
    element('Message', error.message) +
    details +
    element('RequestId', requestId) +
    element('HostId', hostId) +
    '</Error>'
  );
}

// ---------------------------------------------------------------------------------------------------------------
// SigV4 through the SDK's signer. Its canonical-request and string-to-sign builders are protected, so a subclass
// exposes them; `sign(stringToSign)` derives the signing key and HMAC exactly as the SDK does when it signs.

type SourceData = string | ArrayBuffer | ArrayBufferView;
type SmithyRequest = Parameters<SignatureV4['presign']>[0];

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 when given a secret) in the shape the smithy signer expects, on node:crypto. */
class NodeSha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

class SignatureVerifier extends SignatureV4 {
  constructor(
    credentials: { accessKeyId: string; secretAccessKey: string },
    private readonly signingRegion: string,
  ) {
    // S3 signs the path as sent (no second encoding) and the SDK must not add headers of its own here.
    super({
      service: 's3',
      region: signingRegion,
      credentials,
      sha256: NodeSha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  canonicalRequestFor(
    method: string,
    canonicalUri: string,
    query: Record<string, string[]>,
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
  ): string {
    const request: SmithyRequest = { method, protocol: 'http:', hostname: '', path: canonicalUri, query, headers: {} };
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }

  async expectedSignature(canonicalRequest: string, longDate: string, scope: string, signingDate: Date) {
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    const signature = await this.sign(stringToSign, {
      signingDate,
      signingRegion: this.signingRegion,
      signingService: 's3',
    });
    return { stringToSign, signature };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the request target. S3's canonical URI is each path segment decoded and then encoded once with the RFC 3986
// unreserved set, so `%c3%a9` and `%C3%A9`, or `(` and `%28`, name the same key under the same signature.

interface Target {
  /** The first path segment, decoded. */
  bucket?: string;
  /** The rest of the path, decoded; undefined when the request is about the bucket itself. */
  key?: string;
  canonicalUri: string;
  query: Record<string, string[]>;
}

function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(raw: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, ' ') : raw);
  } catch {
    throw invalidUri();
  }
}

function parseTarget(url: string | undefined): Target {
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

function single(query: Record<string, string[]>, name: string): string | undefined {
  return query[name]?.[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Authentication: presigned query parameters or the Authorization header, never both, never neither.

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminal: string;
}

interface Authenticated {
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

interface AuthSettings {
  accessKeyId: string;
  region: string;
  verifier: SignatureVerifier;
}

const ISO_BASIC_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(value: string): Date | undefined {
  const match = ISO_BASIC_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Reject dates that Date.UTC silently rolls over (month 13, hour 25, ...).
  return formatAmzDate(date) === value ? date : undefined;
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseCredential(value: string): Credential | undefined {
  const parts = value.split('/');
  if (parts.length !== 5 || parts.some((part) => part === '')) return undefined;
  const [accessKeyId, date, region, service, terminal] = parts;
  return { accessKeyId, date, region, service, terminal };
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

function canonicalHeaderValue(req: IncomingMessage, name: string): string {
  const values = req.headersDistinct[name] ?? [];
  return values.map((value) => value.trim().replace(/\s+/g, ' ')).join(',');
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
  for (const name of signedHeaders) canonicalHeaders[name] = canonicalHeaderValue(req, name);
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

async function authenticate(req: IncomingMessage, target: Target, settings: AuthSettings): Promise<Authenticated> {
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

// ---------------------------------------------------------------------------------------------------------------
// Request bodies: exactly the declared bytes, no more than the size limit, and the SDK's aws-chunked framing.

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const fail = (error: S3Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        fail(entityTooLarge(received, limit));
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
    const incomplete = () =>
      fail(
        new S3Error(
          400,
          'IncompleteBody',
          'You did not provide the number of bytes specified by the Content-Length HTTP header.',
        ),
      );
    req.on('error', incomplete);
    req.on('close', () => {
      if (!req.complete) incomplete();
    });
  });
}

function entityTooLarge(proposed: number, limit: number): S3Error {
  return new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', [
    ['ProposedSize', String(proposed)],
    ['MaxSizeAllowed', String(limit)],
  ]);
}

interface DecodedChunks {
  data: Buffer;
  trailers: Map<string, string>;
}

/** aws-chunked: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailer>:<value>\r\n\r\n`. */
function decodeAwsChunked(raw: Buffer): DecodedChunks {
  const malformed = () => new S3Error(400, 'IncompleteBody', 'The aws-chunked request body is malformed or truncated.');
  const parts: Buffer[] = [];
  let position = 0;
  const readLine = (): string => {
    const end = raw.indexOf('\r\n', position);
    if (end === -1) throw malformed();
    const line = raw.subarray(position, end).toString('latin1');
    position = end + 2;
    return line;
  };
  for (;;) {
    const header = readLine();
    const sizeText = header.split(';')[0];
    if (header.includes(';')) throw notImplemented('chunk-signed aws-chunked bodies');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed();
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    if (
      position + size + 2 > raw.length ||
      raw.subarray(position + size, position + size + 2).toString('latin1') !== '\r\n'
    ) {
      throw malformed();
    }
    parts.push(raw.subarray(position, position + size));
    position += size + 2;
  }
  const trailers = new Map<string, string>();
  for (;;) {
    if (position >= raw.length) break;
    const line = readLine();
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed();
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (position !== raw.length) throw malformed();
  return { data: Buffer.concat(parts), trailers };
}

// ---------------------------------------------------------------------------------------------------------------
// Integrity: Content-MD5, x-amz-content-sha256 and the x-amz-checksum-* family, all checked before anything is stored.

type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256';

const CHECKSUM_SIZES: Record<ChecksumAlgorithm, number> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 };

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(data: Buffer): Buffer {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}

// CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5) in two 32-bit halves, avoiding BigInt per byte.
const CRC64_TABLE = (() => {
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let hi = 0;
    let lo = n;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        hi = (hi ^ 0x9a6c9329) >>> 0;
        lo = (lo ^ 0xac4bc9b5) >>> 0;
      }
    }
    high[n] = hi;
    low[n] = lo;
  }
  return { high, low };
})();

function crc64nvme(data: Buffer): Buffer {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (const byte of data) {
    const index = (lo ^ byte) & 0xff;
    lo = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ CRC64_TABLE.low[index]) >>> 0;
    hi = ((hi >>> 8) ^ CRC64_TABLE.high[index]) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  switch (algorithm) {
    case 'crc32': {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc32(data) >>> 0);
      return out.toString('base64');
    }
    case 'crc32c':
      return crc32c(data).toString('base64');
    case 'crc64nvme':
      return crc64nvme(data).toString('base64');
    case 'sha1':
      return createHash('sha1').update(data).digest('base64');
    case 'sha256':
      return createHash('sha256').update(data).digest('base64');
  }
}

function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return Object.hasOwn(CHECKSUM_SIZES, name);
}

function isBase64Of(value: string, size: number): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0 && Buffer.from(value, 'base64').length === size;
}

/** The one checksum the client sent (header or trailer), verified against the bytes; undefined when none was sent. */
function verifyChecksums(
  req: IncomingMessage,
  body: Buffer,
  trailers: Map<string, string>,
): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  const provided: Array<{ algorithm: ChecksumAlgorithm; value: string; source: string }> = [];
  const collect = (name: string, value: string, source: string) => {
    if (!name.startsWith('x-amz-checksum-') || name === 'x-amz-checksum-mode' || name === 'x-amz-checksum-type') return;
    const algorithm = name.slice('x-amz-checksum-'.length);
    if (!isChecksumAlgorithm(algorithm)) {
      throw new S3Error(400, 'InvalidRequest', `The checksum algorithm in ${name} is not supported.`);
    }
    provided.push({ algorithm, value, source });
  };
  for (const [name, value] of Object.entries(req.headers)) collect(name, String(value), 'header');
  for (const [name, value] of trailers) collect(name, value, 'trailer');

  const announced = req.headers['x-amz-sdk-checksum-algorithm'];
  if (provided.length === 0) {
    if (announced !== undefined) {
      throw new S3Error(
        400,
        'InvalidRequest',
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
    return undefined;
  }
  if (provided.length > 1) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const [{ algorithm, value, source }] = provided;
  if (!isBase64Of(value, CHECKSUM_SIZES[algorithm])) {
    throw new S3Error(400, 'InvalidRequest', `Value for x-amz-checksum-${algorithm} ${source} is invalid.`);
  }
  if (computeChecksum(algorithm, body) !== value) {
    throw new S3Error(
      400,
      'BadDigest',
      // S3 names CRCs in capitals and SHAs in lower case here ("The CRC32 …", "The sha256 …").
      `The ${algorithm.startsWith('crc') ? algorithm.toUpperCase() : algorithm} you specified did not match the calculated checksum.`,
    );
  }
  return { algorithm, value };
}

function verifyContentMd5(req: IncomingMessage, md5: Buffer): void {
  const header = req.headers['content-md5'];
  if (header === undefined) return;
  if (typeof header !== 'string' || !isBase64Of(header, 16))
    throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
  if (!md5.equals(Buffer.from(header, 'base64'))) {
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', [
      ['ExpectedDigest', header],
      ['CalculatedDigest', md5.toString('base64')],
    ]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Storage. One file per object: a small header with the metadata, then the bytes; written to a temp file and renamed,
// so a refused or interrupted upload never leaves anything behind and a reader sees the old object or the new one.

interface ObjectMeta {
  key: string;
  size: number;
  /** Quoted MD5 hex, as S3 sends it. */
  etag: string;
  lastModified: string;
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

interface StoredObject {
  meta: ObjectMeta;
  body: Buffer;
}

const FILE_MAGIC = Buffer.from('S3LOCAL1', 'latin1');

function encodeObjectFile(meta: ObjectMeta, body: Buffer): Buffer {
  const header = Buffer.from(JSON.stringify(meta), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([FILE_MAGIC, length, header, body]);
}

function decodeObjectFile(file: Buffer): StoredObject | undefined {
  if (file.length < 12 || !file.subarray(0, 8).equals(FILE_MAGIC)) return undefined;
  const headerEnd = 12 + file.readUInt32BE(8);
  if (headerEnd > file.length) return undefined;
  try {
    const meta = JSON.parse(file.subarray(12, headerEnd).toString('utf8')) as ObjectMeta;
    const body = file.subarray(headerEnd);
    return typeof meta.key === 'string' && meta.size === body.length ? { meta, body } : undefined;
  } catch {
    return undefined;
  }
}

function compareKeys(a: string, b: string): number {
  // S3 lists keys in UTF-8 binary order, which differs from JavaScript's UTF-16 order for astral characters.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

class ObjectStore {
  private readonly index = new Map<string, Map<string, ObjectMeta>>();
  private readonly bodies = new Map<string, Map<string, Buffer>>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string | undefined,
    buckets: string[],
  ) {
    for (const bucket of buckets) {
      this.index.set(bucket, new Map());
      this.bodies.set(bucket, new Map());
    }
  }

  hasBucket(bucket: string): boolean {
    return this.index.has(bucket);
  }

  bucketNames(): string[] {
    return [...this.index.keys()];
  }

  async load(): Promise<void> {
    if (!this.dir) return;
    for (const [bucket, objects] of this.index) {
      const folder = join(this.dir, bucket);
      await mkdir(folder, { recursive: true });
      for (const name of await readdir(folder)) {
        if (name.startsWith('.tmp-')) {
          await rm(join(folder, name), { force: true });
          continue;
        }
        if (!name.endsWith('.obj')) continue;
        const stored = decodeObjectFile(await readFile(join(folder, name)));
        if (stored && this.fileName(stored.meta.key) === name) objects.set(stored.meta.key, stored.meta);
      }
    }
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    return this.index.get(bucket)?.get(key);
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    if (!this.dir) {
      const meta = this.head(bucket, key);
      const body = this.bodies.get(bucket)?.get(key);
      return meta && body ? { meta, body } : undefined;
    }
    try {
      const stored = decodeObjectFile(await readFile(join(this.dir, bucket, this.fileName(key))));
      return stored && stored.meta.key === key ? stored : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  list(bucket: string): ObjectMeta[] {
    return [...(this.index.get(bucket)?.values() ?? [])].sort((a, b) => compareKeys(a.key, b.key));
  }

  put(bucket: string, meta: ObjectMeta, body: Buffer): Promise<void> {
    return this.serialized(async () => {
      if (this.dir) {
        const folder = join(this.dir, bucket);
        const temp = join(folder, `.tmp-${randomUUID()}`);
        try {
          await writeFile(temp, encodeObjectFile(meta, body));
          await rename(temp, join(folder, this.fileName(meta.key)));
        } catch (error) {
          await rm(temp, { force: true });
          throw error;
        }
      } else {
        this.bodies.get(bucket)?.set(meta.key, body);
      }
      this.index.get(bucket)?.set(meta.key, meta);
    });
  }

  delete(bucket: string, key: string): Promise<void> {
    return this.serialized(async () => {
      if (this.dir) {
        try {
          await unlink(join(this.dir, bucket, this.fileName(key)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      } else {
        this.bodies.get(bucket)?.delete(key);
      }
      this.index.get(bucket)?.delete(key);
    });
  }

  async settle(): Promise<void> {
    await this.writes.catch(() => undefined);
  }

  private fileName(key: string): string {
    // Keys may hold any character, '..' included; a hash keeps every key inside its bucket folder.
    return `${createHash('sha256').update(key, 'utf8').digest('hex')}.obj`;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.catch(() => undefined).then(work);
    this.writes = result;
    return result;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CORS, as a bucket rule allowing GET/PUT/HEAD from the configured origins with any request header and ETag exposed.

/** S3's CORS patterns: exact, or with one '*' standing for any run of characters. */
function patternMatcher(patterns: string[], what: string, ignoreCase: boolean): (value: string) => boolean {
  const fold = (text: string) => (ignoreCase ? text.toLowerCase() : text);
  const matchers = patterns.map((pattern) => {
    const parts = fold(pattern).split('*');
    if (parts.length > 2) throw new Error(`CORS ${what} "${pattern}" may contain at most one '*'`);
    if (parts.length === 1) return (value: string) => value === parts[0];
    const [head, tail] = parts;
    return (value: string) =>
      value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
  });
  return (value) => matchers.some((matches) => matches(fold(value)));
}

// ---------------------------------------------------------------------------------------------------------------
// The server.

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  hostId: string;
  /** CORS headers for an allowed origin, added to every response including errors. */
  corsHeaders: Record<string, string>;
}

const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function validateOptions(opts: S3ServerOptions): void {
  if (!opts || typeof opts !== 'object') throw new Error('startS3Server needs options');
  const { credentials } = opts;
  if (
    !credentials ||
    typeof credentials.accessKeyId !== 'string' ||
    typeof credentials.secretAccessKey !== 'string' ||
    credentials.accessKeyId === '' ||
    credentials.secretAccessKey === ''
  ) {
    throw new Error('startS3Server needs credentials with a non-empty accessKeyId and secretAccessKey');
  }
  if (credentials.accessKeyId.includes('/')) throw new Error('An access key id cannot contain "/"');
  if (!Array.isArray(opts.buckets) || opts.buckets.length === 0)
    throw new Error('startS3Server needs at least one bucket');
  for (const bucket of opts.buckets) {
    if (typeof bucket !== 'string' || !BUCKET_NAME.test(bucket) || bucket.includes('..')) {
      throw new Error(`Invalid bucket name "${String(bucket)}": 3-63 lowercase letters, digits, dots and hyphens`);
    }
  }
  if (opts.region !== undefined && !/^[a-z0-9-]+$/.test(opts.region))
    throw new Error(`Invalid region "${opts.region}"`);
  if (opts.corsRule !== undefined) {
    const { allowedMethods, allowedHeaders, exposedHeaders, maxAgeSeconds } = opts.corsRule;
    const methods = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];
    if (!Array.isArray(allowedMethods) || !allowedMethods.every((method) => methods.includes(method))) {
      throw new Error(`corsRule.allowedMethods must be among ${methods.join(', ')}`);
    }
    if (!Array.isArray(allowedHeaders) || !Array.isArray(exposedHeaders)) {
      throw new Error('corsRule.allowedHeaders and corsRule.exposedHeaders must be arrays');
    }
    if (maxAgeSeconds !== undefined && !(Number.isSafeInteger(maxAgeSeconds) && maxAgeSeconds >= 0)) {
      throw new Error('corsRule.maxAgeSeconds must be a non-negative integer');
    }
  }
  if (opts.maxObjectSize !== undefined && !(Number.isSafeInteger(opts.maxObjectSize) && opts.maxObjectSize >= 0)) {
    throw new Error('maxObjectSize must be a non-negative integer');
  }
}

export async function startS3Server(opts: S3ServerOptions): Promise<S3Server> {
  validateOptions(opts);
  const region = opts.region ?? 'us-east-1';
  const host = opts.host ?? '127.0.0.1';
  const maxObjectSize = opts.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE;
  const corsOrigins = opts.corsOrigins ?? [];
  const corsRule = opts.corsRule ?? DEFAULT_CORS_RULE;
  const originAllowed = patternMatcher(corsOrigins, 'origin', false);
  const headerAllowed = patternMatcher(corsRule.allowedHeaders, 'header', true);
  const methodAllowed = (method: string) => (corsRule.allowedMethods as string[]).includes(method);
  const settings: AuthSettings = {
    accessKeyId: opts.credentials.accessKeyId,
    region,
    verifier: new SignatureVerifier({ ...opts.credentials }, region),
  };
  const store = new ObjectStore(opts.dir, [...new Set(opts.buckets)]);
  await store.load();
  const startedAt = new Date().toISOString();
  // Sockets with a request in progress: a protocol error there must not get a second response written into it.
  const busySockets = new Set<Socket>();

  function corsHeadersFor(origin: string): Record<string, string> {
    const anyOrigin = corsOrigins.includes('*') && !corsOrigins.includes(origin);
    return {
      'access-control-allow-origin': anyOrigin ? '*' : origin,
      ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
      'access-control-allow-methods': corsRule.allowedMethods.join(', '),
      ...(corsRule.exposedHeaders.length > 0
        ? { 'access-control-expose-headers': corsRule.exposedHeaders.join(', ') }
        : {}),
      ...(corsRule.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(corsRule.maxAgeSeconds) } : {}),
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    };
  }

  function send(exchange: Exchange, status: number, headers: Record<string, string>, body?: Buffer | string): void {
    const { res } = exchange;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, {
      'x-amz-request-id': exchange.requestId,
      'x-amz-id-2': exchange.hostId,
      server: 'AmazonS3',
      ...exchange.corsHeaders,
      ...headers,
      ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
    });
    res.end(exchange.req.method === 'HEAD' ? undefined : body);
  }

  function sendXml(exchange: Exchange, status: number, xml: string): void {
    send(exchange, status, { 'content-type': 'application/xml' }, '<?xml version="1.0" encoding="UTF-8"?>\n' + xml);
  }

  function sendError(exchange: Exchange, error: S3Error): void {
    const body = errorXml(error, exchange.requestId, exchange.hostId);
    // HEAD errors carry no body, as on S3; the status says it all.
    send(exchange, error.status, { 'content-type': 'application/xml' }, body);
  }

  /** Leaves the connection reusable after a refusal: reads and drops a small unread body, or closes the socket. */
  async function discardBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.complete || req.readableEnded) return;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared <= DRAIN_LIMIT) {
      await new Promise<void>((resolve) => {
        req.on('end', resolve);
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.resume();
      });
      return;
    }
    res.setHeader('connection', 'close');
    req.resume();
  }

  function preflight(exchange: Exchange, target: Target): void {
    const { req } = exchange;
    const origin = req.headers.origin;
    const method = req.headers['access-control-request-method'];
    if (target.bucket === undefined || !store.hasBucket(target.bucket)) {
      throw noSuchBucket(target.bucket ?? '');
    }
    if (typeof origin !== 'string')
      throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
    if (typeof method !== 'string') {
      throw new S3Error(
        400,
        'BadRequest',
        'Insufficient information. Access-Control-Request-Method request header needed.',
      );
    }
    const objectDetails: Array<[string, string]> = [
      ['Method', method],
      ['ResourceType', target.key === undefined ? 'BUCKET' : 'OBJECT'],
    ];
    if (corsOrigins.length === 0) {
      throw new S3Error(403, 'AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', objectDetails);
    }
    const requestedHeaders = req.headers['access-control-request-headers'];
    const headerNames = typeof requestedHeaders === 'string' ? requestedHeaders.split(',').map((h) => h.trim()) : [];
    if (!originAllowed(origin) || !methodAllowed(method) || !headerNames.every((h) => h === '' || headerAllowed(h))) {
      throw new S3Error(
        403,
        'AccessForbidden',
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        objectDetails,
      );
    }
    exchange.corsHeaders = {
      ...corsHeadersFor(origin),
      ...(typeof requestedHeaders === 'string' ? { 'access-control-allow-headers': requestedHeaders } : {}),
    };
    send(exchange, 200, {}, '');
  }

  function noSuchBucket(bucket: string): S3Error {
    return new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);
  }

  function noSuchKey(key: string): S3Error {
    return new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
  }

  function objectHeaders(meta: ObjectMeta, withChecksum: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': meta.contentType,
      etag: meta.etag,
      'last-modified': new Date(meta.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
      'x-amz-server-side-encryption': 'AES256',
      ...meta.headers,
    };
    for (const [name, value] of Object.entries(meta.metadata)) headers[`x-amz-meta-${name}`] = value;
    if (withChecksum && meta.checksum) {
      headers[`x-amz-checksum-${meta.checksum.algorithm}`] = meta.checksum.value;
      headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    return headers;
  }

  /** 304/412 per the conditional headers, or undefined to go on. If-Match and If-None-Match win over the dates. */
  function conditionalOutcome(req: IncomingMessage, meta: ObjectMeta): 304 | 412 | undefined {
    const etagMatches = (header: string) =>
      header
        .split(',')
        .map((tag) => tag.trim())
        .some((tag) => tag === '*' || tag.replace(/^W\//, '') === meta.etag || `"${tag}"` === meta.etag);
    const modified = Math.floor(new Date(meta.lastModified).getTime() / 1000) * 1000;
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
    const ifUnmodifiedSince = Date.parse(req.headers['if-unmodified-since'] ?? '');
    if (ifMatch !== undefined) {
      if (!etagMatches(ifMatch)) return 412;
    } else if (!Number.isNaN(ifUnmodifiedSince) && modified > ifUnmodifiedSince) {
      return 412;
    }
    if (ifNoneMatch !== undefined) {
      if (etagMatches(ifNoneMatch)) return 304;
    } else if (!Number.isNaN(ifModifiedSince) && modified <= ifModifiedSince) {
      return 304;
    }
    return undefined;
  }

  /** A single `bytes=` range as S3 honours it; multiple or malformed ranges mean the whole object. */
  function parseRange(
    header: string | undefined,
    size: number,
  ): { start: number; end: number } | 'unsatisfiable' | undefined {
    if (header === undefined) return undefined;
    const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
    if (!match || (match[1] === '' && match[2] === '')) return undefined;
    if (match[1] === '') {
      const suffix = Number(match[2]);
      if (suffix === 0 || size === 0) return 'unsatisfiable';
      return { start: Math.max(0, size - suffix), end: size - 1 };
    }
    const start = Number(match[1]);
    const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined;
    if (start >= size) return 'unsatisfiable';
    return { start, end };
  }

  async function getObject(exchange: Exchange, target: Target, bucket: string, key: string): Promise<void> {
    const { req } = exchange;
    // HEAD needs only the metadata; GET reads metadata and bytes together so they always belong to one version.
    const stored = req.method === 'HEAD' ? headOnly(bucket, key) : await store.get(bucket, key);
    if (!stored) throw noSuchKey(key);
    const { meta, body } = stored;
    const condition = conditionalOutcome(req, meta);
    if (condition === 412) {
      throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [
        ['Condition', req.headers['if-match'] !== undefined ? 'If-Match' : 'If-Unmodified-Since'],
      ]);
    }
    if (condition === 304) {
      send(exchange, 304, { etag: meta.etag, 'last-modified': new Date(meta.lastModified).toUTCString() });
      return;
    }
    const checksumMode = req.headers['x-amz-checksum-mode'] ?? single(target.query, 'x-amz-checksum-mode');
    const headers = objectHeaders(meta, checksumMode === 'ENABLED');
    if (req.method === 'GET') {
      for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
        const value = single(target.query, parameter);
        if (value === undefined) continue;
        if (!HEADER_VALUE.test(value)) {
          throw new S3Error(400, 'InvalidArgument', 'Header value cannot be represented using ISO-8859-1.', [
            ['ArgumentName', parameter],
            ['ArgumentValue', value],
          ]);
        }
        headers[header] = value;
      }
    }
    const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, meta.size);
    if (range === 'unsatisfiable') {
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', [
        ['RangeRequested', String(req.headers.range)],
        ['ActualObjectSize', String(meta.size)],
      ]);
    }
    let status = 200;
    let start = 0;
    let end = meta.size - 1;
    if (range) {
      // A part of the object has no full-object checksum to offer.
      for (const name of Object.keys(headers)) if (name.startsWith('x-amz-checksum-')) delete headers[name];
      headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
      ({ start, end } = range);
      status = 206;
    }
    if (req.method === 'HEAD') {
      send(exchange, status, { ...headers, 'content-length': String(end - start + 1) });
    } else {
      send(exchange, status, headers, body.subarray(start, end + 1));
    }
  }

  function headOnly(bucket: string, key: string): StoredObject | undefined {
    const meta = store.head(bucket, key);
    return meta && { meta, body: Buffer.alloc(0) };
  }

  async function putObject(exchange: Exchange, bucket: string, key: string, auth: Authenticated): Promise<void> {
    const { req } = exchange;
    if (req.headers['x-amz-copy-source'] !== undefined) throw notImplemented('CopyObject (x-amz-copy-source)');
    const contentEncodings = String(req.headers['content-encoding'] ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const chunked = auth.payloadHash.startsWith('STREAMING-');
    if (chunked && auth.payloadHash !== STREAMING_UNSIGNED_TRAILER)
      throw notImplemented(`x-amz-content-sha256: ${auth.payloadHash}`);
    if (!chunked && auth.payloadHash !== UNSIGNED_PAYLOAD && !SHA256_HEX.test(auth.payloadHash)) {
      throw new S3Error(
        400,
        'InvalidArgument',
        'X-Amz-Content-Sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.',
        [
          ['ArgumentName', 'X-Amz-Content-Sha256'],
          ['ArgumentValue', auth.payloadHash],
        ],
      );
    }

    const lengthHeader = req.headers['content-length'];
    const declaredLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
    const decodedHeader = req.headers['x-amz-decoded-content-length'];
    let expectedObjectSize: number;
    if (chunked) {
      if (typeof decodedHeader !== 'string' || !/^\d+$/.test(decodedHeader)) {
        throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
      }
      expectedObjectSize = Number(decodedHeader);
    } else {
      if (declaredLength === undefined || !Number.isSafeInteger(declaredLength)) {
        throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
      }
      expectedObjectSize = declaredLength;
    }
    if (expectedObjectSize > maxObjectSize) throw entityTooLarge(expectedObjectSize, maxObjectSize);

    const metadata: Record<string, string> = {};
    let metadataBytes = 0;
    for (const [name, value] of Object.entries(req.headers)) {
      if (!name.startsWith('x-amz-meta-')) continue;
      const metaName = name.slice('x-amz-meta-'.length);
      metadata[metaName] = String(value);
      metadataBytes += Buffer.byteLength(metaName) + Buffer.byteLength(String(value));
    }
    if (metadataBytes > MAX_USER_METADATA_BYTES) {
      throw new S3Error(400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', [
        ['Size', String(metadataBytes)],
        ['MaxSizeAllowed', String(MAX_USER_METADATA_BYTES)],
      ]);
    }

    // The raw body limit leaves room for aws-chunked framing (a few bytes per chunk, plus the trailer).
    const raw = await readBody(
      req,
      chunked ? expectedObjectSize + 64 * 1024 + expectedObjectSize / 64 : expectedObjectSize,
    );
    if (!chunked && raw.length !== declaredLength) {
      throw new S3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      );
    }
    if (SHA256_HEX.test(auth.payloadHash)) {
      const computed = createHash('sha256').update(raw).digest('hex');
      if (computed !== auth.payloadHash) {
        throw new S3Error(
          400,
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
          [
            ['ClientComputedContentSHA256', auth.payloadHash],
            ['S3ComputedContentSHA256', computed],
          ],
        );
      }
    }
    let body = raw;
    let trailers = new Map<string, string>();
    if (chunked) {
      ({ data: body, trailers } = decodeAwsChunked(raw));
      if (body.length !== expectedObjectSize) {
        throw new S3Error(
          400,
          'IncompleteBody',
          'You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header.',
        );
      }
      const announcedTrailer = req.headers['x-amz-trailer'];
      if (typeof announcedTrailer === 'string' && !trailers.has(announcedTrailer.toLowerCase())) {
        throw new S3Error(
          400,
          'MalformedTrailerError',
          'The request contained trailing data that was not well-formed or did not conform to our published schema.',
        );
      }
    }
    const md5 = createHash('md5').update(body).digest();
    verifyContentMd5(req, md5);
    const checksum = verifyChecksums(req, body, trailers);

    const storedHeaders: Record<string, string> = {};
    for (const name of STORED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string' && value !== '') storedHeaders[name] = value;
    }
    const remainingEncodings = contentEncodings.filter((encoding) => encoding !== 'aws-chunked');
    if (remainingEncodings.length > 0) storedHeaders['content-encoding'] = remainingEncodings.join(', ');
    else delete storedHeaders['content-encoding'];

    const meta: ObjectMeta = {
      key,
      size: body.length,
      etag: `"${md5.toString('hex')}"`,
      lastModified: new Date().toISOString(),
      contentType:
        typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : 'binary/octet-stream',
      headers: storedHeaders,
      metadata,
      ...(checksum ? { checksum } : {}),
    };
    // Bytes past the declared length arrive as a malformed next request, which gets the connection dropped; an upload
    // whose sender can no longer learn the outcome is not committed.
    if (req.socket.destroyed) {
      throw new S3Error(400, 'IncompleteBody', 'The connection failed before the upload could be acknowledged.');
    }
    await store.put(bucket, meta, body);
    const headers: Record<string, string> = { etag: meta.etag, 'x-amz-server-side-encryption': 'AES256' };
    if (checksum) {
      headers[`x-amz-checksum-${checksum.algorithm}`] = checksum.value;
      headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    send(exchange, 200, headers, '');
  }

  function listObjects(exchange: Exchange, target: Target, bucket: string): void {
    const { query } = target;
    const v2 = single(query, 'list-type') === '2';
    if (query['list-type'] !== undefined && !v2) {
      throw new S3Error(400, 'InvalidArgument', 'Invalid List Type specified', [['ArgumentName', 'list-type']]);
    }
    const prefix = single(query, 'prefix') ?? '';
    const delimiter = single(query, 'delimiter') ?? '';
    const encodingType = single(query, 'encoding-type');
    if (encodingType !== undefined && encodingType !== 'url') {
      throw new S3Error(400, 'InvalidArgument', 'Invalid Encoding Method specified in Request', [
        ['ArgumentName', 'encoding-type'],
      ]);
    }
    const maxKeysText = single(query, 'max-keys') ?? '1000';
    if (!/^\d{1,10}$/.test(maxKeysText) || Number(maxKeysText) > 2147483647) {
      throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', [
        ['ArgumentName', 'max-keys'],
      ]);
    }
    const maxKeys = Math.min(Number(maxKeysText), 1000);
    const token = single(query, 'continuation-token');
    let after = v2 ? (single(query, 'start-after') ?? '') : (single(query, 'marker') ?? '');
    if (v2 && token !== undefined) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (token === '' || !decoded.startsWith('k:')) {
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', [
          ['ArgumentName', 'continuation-token'],
        ]);
      }
      after = decoded.slice(2);
    }

    const encode = (value: string) => (encodingType === 'url' ? value.split('/').map(uriEncode).join('/') : value);
    const contents: ObjectMeta[] = [];
    const commonPrefixes: string[] = [];
    let truncated = false;
    let last = '';
    for (const meta of store.list(bucket)) {
      if (!meta.key.startsWith(prefix) || (after !== '' && compareKeys(meta.key, after) <= 0)) continue;
      let rolledUp: string | undefined;
      if (delimiter !== '') {
        const at = meta.key.indexOf(delimiter, prefix.length);
        if (at !== -1) rolledUp = meta.key.slice(0, at + delimiter.length);
      }
      // A common prefix already returned (on this page or, as the marker, on an earlier one) is not returned again.
      if (
        rolledUp !== undefined &&
        (commonPrefixes.at(-1) === rolledUp || (after !== '' && compareKeys(rolledUp, after) <= 0))
      ) {
        continue;
      }
      if (contents.length + commonPrefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (rolledUp !== undefined) {
        commonPrefixes.push(rolledUp);
        last = rolledUp;
      } else {
        contents.push(meta);
        last = meta.key;
      }
    }

    const parts = [element('Name', bucket), element('Prefix', encode(prefix))];
    if (v2) {
      if (token !== undefined) parts.push(element('ContinuationToken', token));
      if (single(query, 'start-after') !== undefined)
        parts.push(element('StartAfter', encode(single(query, 'start-after') ?? '')));
      parts.push(element('KeyCount', contents.length + commonPrefixes.length));
    } else {
      parts.push(element('Marker', encode(single(query, 'marker') ?? '')));
    }
    parts.push(element('MaxKeys', maxKeys));
    if (delimiter !== '') parts.push(element('Delimiter', encode(delimiter)));
    if (encodingType) parts.push(element('EncodingType', encodingType));
    parts.push(element('IsTruncated', truncated));
    if (truncated && v2)
      parts.push(element('NextContinuationToken', Buffer.from(`k:${last}`, 'utf8').toString('base64url')));
    if (truncated && !v2 && delimiter !== '') parts.push(element('NextMarker', encode(last)));
    for (const meta of contents) {
      parts.push(
        '<Contents>' +
          element('Key', encode(meta.key)) +
          element('LastModified', meta.lastModified) +
          element('ETag', meta.etag) +
          (meta.checksum
            ? element('ChecksumAlgorithm', meta.checksum.algorithm.toUpperCase()) +
              element('ChecksumType', 'FULL_OBJECT')
            : '') +
          element('Size', meta.size) +
          element('StorageClass', 'STANDARD') +
          '</Contents>',
      );
    }
    for (const commonPrefix of commonPrefixes)
      parts.push(`<CommonPrefixes>${element('Prefix', encode(commonPrefix))}</CommonPrefixes>`);
    sendXml(exchange, 200, `<ListBucketResult xmlns="${S3_NAMESPACE}">${parts.join('')}</ListBucketResult>`);
  }

  function listBuckets(exchange: Exchange): void {
    const buckets = store
      .bucketNames()
      .sort()
      .map(
        (name) =>
          `<Bucket>${element('Name', name)}${element('CreationDate', startedAt)}${element('BucketRegion', region)}</Bucket>`,
      )
      .join('');
    sendXml(
      exchange,
      200,
      `<ListAllMyBucketsResult xmlns="${S3_NAMESPACE}"><Owner>${element('ID', 'local')}${element('DisplayName', 'local')}</Owner>` +
        `<Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
    );
  }

  function methodNotAllowed(method: string, resourceType: string): S3Error {
    return new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [
      ['Method', method],
      ['ResourceType', resourceType],
    ]);
  }

  async function route(exchange: Exchange): Promise<void> {
    const { req } = exchange;
    const method = req.method ?? '';
    const target = parseTarget(req.url);
    const origin = req.headers.origin;
    if (method === 'OPTIONS') {
      preflight(exchange, target);
      return;
    }
    if (typeof origin === 'string' && originAllowed(origin) && methodAllowed(method)) {
      exchange.corsHeaders = corsHeadersFor(origin);
    }

    if (target.bucket === undefined) {
      if (method !== 'GET') throw methodNotAllowed(method, 'SERVICE');
      await authenticate(req, target, settings);
      listBuckets(exchange);
      return;
    }
    const { bucket, key } = target;
    if (!['GET', 'HEAD', 'PUT', 'DELETE', 'POST'].includes(method)) {
      throw methodNotAllowed(method, key === undefined ? 'BUCKET' : 'OBJECT');
    }
    if (!store.hasBucket(bucket)) throw noSuchBucket(bucket);
    if (key !== undefined && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
      throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', [
        ['Size', String(Buffer.byteLength(key, 'utf8'))],
        ['MaxSizeAllowed', String(MAX_KEY_BYTES)],
      ]);
    }
    const auth = await authenticate(req, target, settings);
    const subresource = UNSUPPORTED_SUBRESOURCES.find((name) => target.query[name] !== undefined);
    if (subresource !== undefined) throw notImplemented(`?${subresource}`);
    if (method === 'POST') throw notImplemented(`POST on ${key === undefined ? 'a bucket' : 'an object'}`);

    if (key === undefined) {
      if (method === 'HEAD') {
        send(exchange, 200, { 'x-amz-bucket-region': region }, '');
      } else if (method === 'GET') {
        if (target.query.location !== undefined) {
          sendXml(
            exchange,
            200,
            `<LocationConstraint xmlns="${S3_NAMESPACE}">${region === 'us-east-1' ? '' : escapeXml(region)}</LocationConstraint>`,
          );
        } else {
          listObjects(exchange, target, bucket);
        }
      } else {
        throw notImplemented(`${method} on a bucket`);
      }
      return;
    }
    switch (method) {
      case 'PUT':
        await putObject(exchange, bucket, key, auth);
        return;
      case 'GET':
      case 'HEAD':
        await getObject(exchange, target, bucket, key);
        return;
      case 'DELETE':
        await store.delete(bucket, key);
        send(exchange, 204, {});
        return;
    }
  }

  const server = createServer(async (req, res) => {
    const exchange: Exchange = {
      req,
      res,
      requestId: randomBytes(8).toString('hex').toUpperCase(),
      hostId: randomBytes(24).toString('base64'),
      corsHeaders: {},
    };
    busySockets.add(req.socket);
    res.on('close', () => busySockets.delete(req.socket));
    res.on('error', () => res.destroy());
    req.on('error', () => undefined);
    try {
      await route(exchange);
    } catch (error) {
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(error instanceof S3Error)) console.error('[s3] internal error:', error);
      try {
        await discardBody(req, res);
        sendError(exchange, s3Error);
      } catch {
        res.destroy();
      }
    }
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (busySockets.has(socket) || !socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const s3Error = tooLarge
      ? new S3Error(
          400,
          'RequestHeaderSectionTooLarge',
          'Your request header section exceeds the maximum allowed size.',
        )
      : new S3Error(400, 'BadRequest', 'An error occurred when parsing the HTTP request.');
    const body = errorXml(s3Error, randomBytes(8).toString('hex').toUpperCase(), randomBytes(24).toString('base64'));
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    endpoint: `http://${publicHost}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.settle();
    },
  };
}

// SigV4 header authentication as AWS's JSON-protocol services check it (cognito-idp here; any service name works):
// the Authorization header's credential scope, the request date within 15 minutes, and the signature recomputed from
// the request as it arrived. The arithmetic (canonical request, string to sign, HMAC chain) is the AWS SDK's own
// signer, `@smithy/signature-v4`, so both ends agree on SigV4 by construction; what this file adds is reading an
// incoming request and answering as AWS does when something is wrong:
//   no Authorization header           400 MissingAuthenticationTokenException "Missing Authentication Token"
//   an unknown key id or any session token  400 UnrecognizedClientException "The security token included in the
//                                     request is invalid."
//   a wrong signature or scope, a stale date  400 InvalidSignatureException
//   a malformed header                400 IncompleteSignatureException
// (Messages as AWS SDK users report them, e.g. aws/aws-sdk-js#1985 for the signature mismatch and the Cognito
// AdminConfirmSignUp report in anomalyco/guide#336 for the unknown key.)
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ALGORITHM_IDENTIFIER, SignatureV4 } from '@smithy/signature-v4';
import type { LocalCredentials } from '../credentials';
import { requestUrl } from '../../stores/shared';

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array | string;
}

export interface SigV4Settings {
  /** The signing name, e.g. `cognito-idp`, `appsync`. */
  service: string;
  region: string;
  credentials: LocalCredentials;
  /** Milliseconds since the epoch; the request date must be within 15 minutes of it. */
  now?: () => number;
}

/** A refused signature, in the shape AWS JSON services answer with (`__type` and `message`). */
export class SigV4Error extends Error {
  readonly status = 400;

  constructor(
    readonly code:
      | 'MissingAuthenticationTokenException'
      | 'UnrecognizedClientException'
      | 'InvalidSignatureException'
      | 'IncompleteSignatureException',
    message: string,
  ) {
    super(message);
    this.name = 'SigV4Error';
  }
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

type SourceData = string | ArrayBuffer | ArrayBufferView;
type SmithyRequest = Parameters<SignatureV4['presign']>[0];

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 and HMAC-SHA-256 in the shape the smithy signer takes, on node:crypto. */
export class NodeSha256 {
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

/**
 * The SDK's signer with its canonical-request and string-to-sign builders reachable (they are protected), for the
 * local endpoints that check signatures: this file's JSON services, and the local S3 (which signs the path as sent,
 * `uriEscapePath: false`).
 */
export class SigV4Signer extends SignatureV4 {
  constructor(
    credentials: LocalCredentials,
    private readonly signingRegion: string,
    private readonly signingService: string,
    { uriEscapePath = true }: { uriEscapePath?: boolean } = {},
  ) {
    super({
      service: signingService,
      region: signingRegion,
      credentials,
      sha256: NodeSha256,
      uriEscapePath,
      applyChecksum: false,
    });
  }

  canonicalRequestFor(
    method: string,
    path: string,
    query: Record<string, string[]>,
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
  ): string {
    const request: SmithyRequest = { method, protocol: 'http:', hostname: '', path, query, headers: {} };
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }

  async expectedSignature(
    canonicalRequest: string,
    longDate: string,
    scope: string,
    signingDate: Date,
  ): Promise<{ stringToSign: string; signature: string }> {
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    const signature = await this.sign(stringToSign, {
      signingDate,
      signingRegion: this.signingRegion,
      signingService: this.signingService,
    });
    return { stringToSign, signature };
  }
}

/** Checks the request's SigV4 Authorization header; resolves with the caller's key id or throws a SigV4Error. */
export async function verifySigV4(request: SignedRequest, settings: SigV4Settings): Promise<{ accessKeyId: string }> {
  const authorization = single(request.headers.authorization);
  if (!authorization) throw new SigV4Error('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const { credential, signedHeaders, signature } = parseAuthorization(authorization);

  // Local credentials are long-term keys: a session token can only come from somewhere else.
  if (
    request.headers['x-amz-security-token'] !== undefined ||
    credential.accessKeyId !== settings.credentials.accessKeyId
  ) {
    throw new SigV4Error('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }

  const amzDate = single(request.headers['x-amz-date']);
  if (!amzDate) {
    throw new SigV4Error(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) {
    throw new SigV4Error(
      'IncompleteSignatureException',
      `X-Amz-Date must be in ISO 8601 basic format, got '${amzDate}'.`,
    );
  }
  checkScope(credential, settings, amzDate);
  checkSkew(signedAt, amzDate, settings.now?.() ?? Date.now());
  if (!signedHeaders.includes('host')) {
    throw new SigV4Error(
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }

  const canonicalHeaders: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) {
      throw new SigV4Error('InvalidSignatureException', `The signed header '${name}' is missing from the request.`);
    }
    canonicalHeaders[name] = (Array.isArray(value) ? value : [value]).map(canonicalValue).join(',');
  }
  const url = requestUrl(request.url);
  if (!url) throw new SigV4Error('InvalidSignatureException', 'The request target is not a path.');
  const query: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
  const payloadHash = createHash('sha256').update(toBuffer(request.body)).digest('hex');
  const signer = new SigV4Signer(settings.credentials, settings.region, settings.service);
  const canonicalRequest = signer.canonicalRequestFor(
    request.method.toUpperCase(),
    decodeURIComponent(url.pathname),
    query,
    canonicalHeaders,
    payloadHash,
  );
  const scope = `${credential.date}/${credential.region}/${credential.service}/${credential.terminal}`;
  const { signature: expected } = await signer.expectedSignature(canonicalRequest, amzDate, scope, signedAt);
  const matches =
    expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!matches) {
    throw new SigV4Error(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { accessKeyId: credential.accessKeyId };
}

/** A SigV4 credential: the key id and the scope it signs for. */
export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminal: string;
}

/** `keyid/date/region/service/terminal`, or undefined unless there are exactly five non-empty parts. */
export function parseCredential(value: string): Credential | undefined {
  const parts = value.split('/');
  if (parts.length !== 5 || parts.some((part) => part === '')) return undefined;
  const [accessKeyId, date, region, service, terminal] = parts;
  return { accessKeyId, date, region, service, terminal };
}

function parseAuthorization(header: string): { credential: Credential; signedHeaders: string[]; signature: string } {
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    throw new SigV4Error('IncompleteSignatureException', `Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  const fields = new Map<string, string>();
  for (const part of rest.join('').split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals), part.slice(equals + 1));
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    const requirements = missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ');
    throw new SigV4Error('IncompleteSignatureException', `${requirements} Authorization=${header}`);
  }
  const credential = parseCredential(fields.get('Credential')!);
  if (!credential) {
    throw new SigV4Error(
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${fields.get('Credential')}'`,
    );
  }
  const signedHeaders = fields.get('SignedHeaders')!.split(';');
  return {
    credential,
    signedHeaders: signedHeaders.map((name) => name.toLowerCase()),
    signature: fields.get('Signature')!,
  };
}

function checkScope(credential: Credential, settings: SigV4Settings, amzDate: string): void {
  if (credential.date !== amzDate.slice(0, 8)) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${credential.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (credential.region !== settings.region) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${credential.region}'. `,
    );
  }
  if (credential.service !== settings.service) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${settings.service}'. `,
    );
  }
  if (credential.terminal !== 'aws4_request') {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${credential.terminal}'. `,
    );
  }
}

function checkSkew(signedAt: Date, amzDate: string, now: number): void {
  if (signedAt.getTime() < now - MAX_SKEW_MS) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (signedAt.getTime() > now + MAX_SKEW_MS) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
}

/** An X-Amz-Date (`20240102T030405Z`) as a Date; undefined when malformed or not a real date and time. */
export function parseAmzDate(value: string): Date | undefined {
  const match = AMZ_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls month 13 or hour 25 over silently: such a date is not the one that was signed.
  return formatAmzDate(date.getTime()) === value ? date : undefined;
}

/** Milliseconds since the epoch as an X-Amz-Date. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** SigV4's canonical header value: trimmed, runs of spaces collapsed to one. */
export function canonicalValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

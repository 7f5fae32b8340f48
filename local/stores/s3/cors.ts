// CORS, as a bucket rule allowing GET/PUT/HEAD from the configured origins with any request header and ETag exposed.
import { S3Error, noSuchBucket } from './errors';
import { send, type Exchange } from './exchange';
import type { Target } from './target';

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

/** One bucket's CORS configuration: the allowed origins and one rule. */
export class BucketCors {
  private readonly originAllowed: (origin: string) => boolean;
  private readonly headerAllowed: (header: string) => boolean;

  constructor(
    private readonly origins: string[],
    private readonly rule: CorsRule,
  ) {
    this.originAllowed = patternMatcher(origins, 'origin', false);
    this.headerAllowed = patternMatcher(rule.allowedHeaders, 'header', true);
  }

  /** Whether a request (not a preflight) from this origin with this method gets CORS headers. */
  allows(origin: string, method: string): boolean {
    return this.originAllowed(origin) && this.methodAllowed(method);
  }

  /** The headers an allowed origin gets on every response, errors included. */
  headersFor(origin: string): Record<string, string> {
    const anyOrigin = this.origins.includes('*') && !this.origins.includes(origin);
    return {
      'access-control-allow-origin': anyOrigin ? '*' : origin,
      ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
      'access-control-allow-methods': this.rule.allowedMethods.join(', '),
      ...(this.rule.exposedHeaders.length > 0
        ? { 'access-control-expose-headers': this.rule.exposedHeaders.join(', ') }
        : {}),
      ...(this.rule.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(this.rule.maxAgeSeconds) } : {}),
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    };
  }

  /** Answers an OPTIONS preflight as S3 does: 200 with the rule's headers, or 403 AccessForbidden. */
  preflight(exchange: Exchange, target: Target, hasBucket: (bucket: string) => boolean): void {
    const { req } = exchange;
    const origin = req.headers.origin;
    const method = req.headers['access-control-request-method'];
    if (target.bucket === undefined || !hasBucket(target.bucket)) {
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
    if (this.origins.length === 0) {
      throw new S3Error(403, 'AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', objectDetails);
    }
    const requestedHeaders = req.headers['access-control-request-headers'];
    const headerNames = typeof requestedHeaders === 'string' ? requestedHeaders.split(',').map((h) => h.trim()) : [];
    if (
      !this.originAllowed(origin) ||
      !this.methodAllowed(method) ||
      !headerNames.every((h) => h === '' || this.headerAllowed(h))
    ) {
      throw new S3Error(
        403,
        'AccessForbidden',
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        objectDetails,
      );
    }
    exchange.corsHeaders = {
      ...this.headersFor(origin),
      ...(typeof requestedHeaders === 'string' ? { 'access-control-allow-headers': requestedHeaders } : {}),
    };
    send(exchange, 200, {}, '');
  }

  private methodAllowed(method: string): boolean {
    return (this.rule.allowedMethods as string[]).includes(method);
  }
}

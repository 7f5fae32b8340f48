// S3's errors: XML with Code, Message, error-specific elements, RequestId and HostId.

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export class S3Error extends Error {
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

export const accessDenied = (message = 'Access Denied', details: Array<[string, string]> = []): S3Error =>
  new S3Error(403, 'AccessDenied', message, details);
export const invalidUri = (): S3Error => new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
export const queryAuthError = (message: string, details: Array<[string, string]> = []): S3Error =>
  new S3Error(400, 'AuthorizationQueryParametersError', message, details);
export const headerAuthError = (message: string, details: Array<[string, string]> = []): S3Error =>
  new S3Error(400, 'AuthorizationHeaderMalformed', message, details);
export const notImplemented = (what: string): S3Error =>
  new S3Error(
    501,
    'NotImplemented',
    `A header or query you provided implies functionality that is not implemented: ${what}`,
  );

// XML 1.0 cannot carry these control characters at all, not even as character references.
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(XML_FORBIDDEN, '');
}

export function element(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function errorXml(error: S3Error, requestId: string, hostId: string): string {
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

export function noSuchBucket(bucket: string): S3Error {
  return new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', bucket]]);
}

export function noSuchKey(key: string): S3Error {
  return new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
}

export function entityTooLarge(proposed: number, limit: number): S3Error {
  return new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', [
    ['ProposedSize', String(proposed)],
    ['MaxSizeAllowed', String(limit)],
  ]);
}

export function methodNotAllowed(method: string, resourceType: string): S3Error {
  return new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [
    ['Method', method],
    ['ResourceType', resourceType],
  ]);
}

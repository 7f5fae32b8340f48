// A small S3-compatible endpoint for the local uploads bucket, strict about authentication the way S3 is.
//
// Why our own and not a package: clients upload through presigned PUT URLs whose signature covers Content-Type and
// Content-Length, and running locally is only useful if a wrong type, a wrong size, another key, a tampered or an
// expired URL fails here as it fails on S3. Measured on our machines: `s3rver` checks no signature at all, and
// `@20minutes/s3rver@4` checks presigned signatures but ignores the signed content type and length. MinIO and
// LocalStack would need a binary or Docker. The signature arithmetic is not ours: the canonical request, the string to
// sign and the HMAC chain come from `@smithy/signature-v4`, the signer the AWS SDK itself uses, so both ends agree on
// SigV4 by construction. What this folder adds is how S3 reads an incoming request (path decoding, which headers must
// be signed, scope, expiry, payload hashes, checksums) and S3's XML errors.
//
// Supported: path-style object PUT/GET/HEAD/DELETE, CopyObject, bucket HEAD, ListObjects (v1 and v2), ListBuckets;
// presigned query auth and Authorization-header auth (SigV4 only), including the SDK's aws-chunked uploads with a
// trailing checksum; Content-MD5 and x-amz-checksum-* verification; single byte ranges and conditional GETs; CORS;
// lifecycle expiration rules given at start (applied at start and hourly).
// Not supported (answered 501 NotImplemented): multipart uploads, ACLs, tagging, versioning, POST policy uploads,
// the lifecycle API itself, chunk-signed streaming (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), virtual-hosted-style
// addressing.
//
// The folder, by concern: server.ts (HTTP lifecycle, error answers), routing.ts (which operation a request names),
// authentication.ts + signature.ts (SigV4), target.ts (path and query decoding), body.ts (bodies, aws-chunked),
// checksums.ts (Content-MD5, x-amz-checksum-*), object-store.ts (objects on disk), cors.ts, errors.ts (S3's XML
// errors), exchange.ts (one request and its response), lifecycle.ts (expiration rules), operations/ (GetObject,
// PutObject, CopyObject, List*).
export { startS3Server } from './server';
export type { S3Server, S3ServerOptions } from './options';
export { DEFAULT_CORS_RULE, type CorsRule } from './cors';
export { expiryOf, type LifecycleRule } from './lifecycle';

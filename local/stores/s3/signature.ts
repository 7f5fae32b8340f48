// SigV4 through the SDK's signer. Its canonical-request and string-to-sign builders are protected, so a subclass
// exposes them; `sign(stringToSign)` derives the signing key and HMAC exactly as the SDK does when it signs.
import { createHash, createHmac } from 'node:crypto';
import { ALGORITHM_IDENTIFIER, SignatureV4 } from '@smithy/signature-v4';

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

export class SignatureVerifier extends SignatureV4 {
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

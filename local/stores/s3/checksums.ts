// Integrity: Content-MD5, x-amz-content-sha256 and the x-amz-checksum-* family, all checked before anything is stored.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';
import { S3Error } from './errors';

export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256';

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
export function verifyChecksums(
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

export function verifyContentMd5(req: IncomingMessage, md5: Buffer): void {
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

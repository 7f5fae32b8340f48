// ListObjects (v1 and v2, with delimiters, markers and continuation tokens) and ListBuckets.
import { S3Error, S3_NAMESPACE, element } from '../errors';
import { sendXml, type Exchange } from '../exchange';
import { compareKeys, type ObjectMeta } from '../object-store';
import type { S3Context } from './context';
import { single, uriEncode, type Target } from '../target';

export function listObjects({ store }: S3Context, exchange: Exchange, target: Target, bucket: string): void {
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
          ? element('ChecksumAlgorithm', meta.checksum.algorithm.toUpperCase()) + element('ChecksumType', 'FULL_OBJECT')
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

export function listBuckets({ store, startedAt, region }: S3Context, exchange: Exchange): void {
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

import { describe, expect, it } from 'vitest';
import { idUtils } from '../../../../local/runtime/realm/utils/ids';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function ulidTime(ulid: string): number {
  return [...ulid.slice(0, 10)].reduce((time, char) => time * 32 + CROCKFORD.indexOf(char), 0);
}

function ksuidSeconds(ksuid: string): number {
  const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const value = [...ksuid].reduce((total, char) => total * 62n + BigInt(BASE62.indexOf(char)), 0n);
  return Number(value >> 128n) + 1_400_000_000;
}

describe('util.autoId', () => {
  it('returns a lower-case version 4 UUID', () => {
    expect(idUtils.autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('returns a different id each time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => idUtils.autoId()));
    expect(ids.size).toBe(200);
  });
});

describe('util.autoUlid', () => {
  it('returns 26 Crockford base32 characters', () => {
    expect(idUtils.autoUlid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('starts with the current time in milliseconds', () => {
    const before = Date.now();
    const ulid = idUtils.autoUlid();
    const after = Date.now();
    expect(ulidTime(ulid)).toBeGreaterThanOrEqual(before);
    expect(ulidTime(ulid)).toBeLessThanOrEqual(after + 1);
  });

  it('sorts in the order the ids were made, even within one millisecond', () => {
    const ulids = Array.from({ length: 500 }, () => idUtils.autoUlid());
    expect([...ulids].sort()).toEqual(ulids);
    expect(new Set(ulids).size).toBe(500);
  });
});

describe('util.autoKsuid', () => {
  it('returns 27 base62 characters', () => {
    expect(idUtils.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('encodes the current time in seconds since the KSUID epoch', () => {
    const before = Math.floor(Date.now() / 1000);
    const seconds = ksuidSeconds(idUtils.autoKsuid());
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(before + 1);
  });

  it('returns a different id each time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => idUtils.autoKsuid()));
    expect(ids.size).toBe(200);
  });
});

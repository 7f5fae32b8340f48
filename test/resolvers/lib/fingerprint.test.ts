// The createNote request fingerprint, computed in APPSYNC_JS with documented built-ins only, checked against an
// independent implementation here (Node's Buffer for base64, BigInt arithmetic for the polynomial hashes).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const LANES = [
  { modulus: 1099511627689n, multiplier: 8191n },
  { modulus: 1099511627609n, multiplier: 8179n },
];

function expectedFingerprint(content: string, key: string | null): string {
  const symbols = Buffer.from(content, 'utf8').toString('base64');
  const hashes = LANES.map(({ modulus, multiplier }) => {
    let hash = 0n;
    for (const symbol of symbols) hash = (hash * multiplier + BigInt(ALPHABET.indexOf(symbol) + 1)) % modulus;
    return hash.toString();
  });
  return `v1:${content.length}:${hashes.join('.')}:${key ?? '-'}`;
}

let dir: string;
let probe: LoadedResolver;

beforeAll(async () => {
  // A resolver that only returns the fingerprint of its arguments, bundled and loaded strictly as deployed code.
  dir = await mkdtemp(path.join(tmpdir(), 'fingerprint-'));
  const entry = path.join(dir, 'probe.ts');
  await writeFile(
    entry,
    [
      `import { createRequestFingerprint } from ${JSON.stringify(path.resolve('resolvers/lib/fingerprint'))};`,
      'export function request(ctx: { args: { content: string; key: string | null } }) {',
      '  return createRequestFingerprint(ctx.args.content, ctx.args.key);',
      '}',
      'export function response() {',
      '  return null;',
      '}',
    ].join('\n'),
  );
  probe = await loadResolver(entry, { strict: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fingerprint = (content: string, key: string | null = null) => {
  const out = probe.request({ arguments: { content, key } });
  if (out.error) throw new Error(out.error.message);
  return out.result as string;
};

describe('createRequestFingerprint', () => {
  it.each([
    ['a short note', 'Buy oat milk'],
    ['one character', 'x'],
    ['accents, CJK and an emoji (multi-byte UTF-8, surrogate pairs)', 'Crème brûlée 漢字 📝 done'],
    ['control characters and newlines', 'line 1\nline 2\t\u0000end'],
    ['ten thousand characters', 'The quick brown fox jumps over the lazy dog. '.repeat(230)],
  ])('matches an independent implementation for %s', (_, content) => {
    expect(fingerprint(content)).toBe(expectedFingerprint(content, null));
  });

  it('includes the attachment key as given', () => {
    const key = 'uploads/sub/6f1c9a2e-4b7d-4e8f-9a0b-1c2d3e4f5a6b/a.png';
    expect(fingerprint('x', key)).toBe(expectedFingerprint('x', key));
  });

  it('is the same for the same request', () => {
    expect(fingerprint('Same text', 'k')).toBe(fingerprint('Same text', 'k'));
  });

  it('differs when one character of the content differs, wherever it is', () => {
    const base = 'a'.repeat(5000);
    const fingerprints = new Set(
      [0, 1, 2500, 4999].map((at) => fingerprint(`${base.slice(0, at)}b${base.slice(at + 1)}`)),
    );
    fingerprints.add(fingerprint(base));
    expect(fingerprints.size).toBe(5);
  });

  it('differs when the content is the same but the attachment is not', () => {
    expect(fingerprint('x', 'key-1')).not.toBe(fingerprint('x', 'key-2'));
    expect(fingerprint('x', 'key-1')).not.toBe(fingerprint('x', null));
  });

  it('differs for swapped halves, which a character count would not see', () => {
    expect(fingerprint('first half|second half')).not.toBe(fingerprint('second half|first half'));
  });
});

// Crafted user-pool tokens for the auth tests: real tokens with one part changed, unsigned ones, and ones signed with
// a given key (ours, or the local pool's own, to show that the claims themselves are checked).
import { Buffer } from 'node:buffer';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';

const base64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');

export function claimsOf(token: string): JWTPayload {
  return decodeJwt(token);
}

export function keyIdOf(token: string): string {
  const { kid } = decodeProtectedHeader(token);
  if (typeof kid !== 'string') throw new Error('the token names no key id');
  return kid;
}

/** The same header and signature over other claims: what an attacker editing a token in transit produces. */
export function withClaimsUnderOriginalSignature(token: string, claims: JWTPayload): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
}

/** One bit of the signature flipped. */
export function withAlteredSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[bytes.length >> 1] ^= 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** `alg: none`, no signature: accepted by any verifier that trusts the header. */
export function unsignedToken(claims: JWTPayload): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`;
}

/** HS256 keyed with the given text: the "algorithm confusion" forgery, using the pool's public key as the secret. */
export async function hmacSignedToken(claims: JWTPayload, secret: string, kid: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode(secret));
}

/** RS256 over `claims` with a private JWK, naming `kid` in the header. */
export async function rsaSignedToken(claims: JWTPayload, privateJwk: JWK, kid: string): Promise<string> {
  const key = await importJWK(privateJwk, 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
}

/** A fresh RSA key nobody else knows: a valid signature, just not by the pool. */
export async function foreignRsaKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return exportJWK(privateKey);
}

export const nowInSeconds = () => Math.floor(Date.now() / 1000);

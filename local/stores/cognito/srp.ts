// The server half of Cognito's SRP-6a variant (USER_SRP_AUTH and its PASSWORD_VERIFIER challenge), written from what
// the clients compute (aws-amplify/amplify-js packages/auth/src/providers/cognito/utils/srp/ and the former
// amazon-cognito-identity-js src/AuthenticationHelper.js), so that both sign in unchanged:
// - the 3072-bit group of RFC 5054 (= RFC 3526 group 15) with g = 2; k = H(PAD(N) | PAD(g));
// - PAD(n) is the shortest even-length hex of n with a 00 byte in front when the top bit is set (Java's
//   BigInteger.toByteArray for a positive number); every hash input below is PAD-ed that way, not padded to N's size;
// - x = H(PAD(salt) | H(poolName | userId | ":" | password)), where poolName is the part of the pool id after "_"
//   and userId is USER_ID_FOR_SRP (the internal username);
// - u = H(PAD(A) | PAD(B)); the client's S = (B - k·g^x)^(a + u·x) equals the server's (A·v^u)^b;
// - the key is HKDF-SHA256 with PAD(u) as salt and PAD(S) as input, info "Caldera Derived Key" + 0x01, 16 bytes;
// - the claim is base64(HMAC-SHA256(key, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP)).
// Exponentiation goes through OpenSSL (node:crypto's Diffie-Hellman object computes base^exponent mod N): a sign-in
// costs about 3 ms of the one server thread instead of about 30 ms in BigInt arithmetic.
import { createDiffieHellman, createHash, createHmac, randomBytes } from 'node:crypto';

/** RFC 5054's 3072-bit prime. */
const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
const N = BigInt(`0x${N_HEX}`);
const g = 2n;
const N_BYTES = N_HEX.length / 2;
const PRIME = Buffer.from(N_HEX, 'hex');
const GENERATOR = Buffer.from([2]);

/** The longest SRP_A a client can honestly send: A < N, so at most N's digits (plus a sign byte's). */
export const MAX_SRP_A_HEX_LENGTH = N_HEX.length + 2;

export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hashOfHex(hex: string): bigint {
  return BigInt(`0x${sha256Hex(Buffer.from(hex, 'hex'))}`);
}

const k = hashOfHex(padHex(N) + padHex(g));

function bytesOf(value: bigint, length = N_BYTES): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/** base^exponent mod N through OpenSSL; `base` undefined means g. Throws for a base OpenSSL refuses (0, 1, N-1). */
function modPow(exponent: bigint, base?: bigint): bigint {
  const dh = createDiffieHellman(PRIME, GENERATOR);
  dh.setPrivateKey(bytesOf(exponent, Math.max(1, Math.ceil(exponent.toString(16).length / 2))));
  if (base === undefined) return toBigInt(dh.generateKeys());
  return toBigInt(dh.computeSecret(bytesOf(base)));
}

/** x = H(PAD(salt) | H(poolName | userId | ":" | password)). */
function privateKey(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const inner = sha256Hex(`${poolName}${userId}:${password}`);
  return hashOfHex(padHex(BigInt(`0x${saltHex}`)) + inner);
}

export interface PasswordVerifier {
  /** Hex, as sent in the challenge's SALT. */
  salt: string;
  /** v = g^x mod N, hex. */
  verifier: string;
}

/** What the pool keeps instead of a password: a random salt and g^x. */
export function createPasswordVerifier(poolName: string, userId: string, password: string): PasswordVerifier {
  const salt = randomBytes(16).toString('hex');
  return { salt, verifier: passwordVerifierFor(poolName, userId, password, salt) };
}

/** The verifier `password` would have under `salt`: how USER_PASSWORD_AUTH checks a password. */
export function passwordVerifierFor(poolName: string, userId: string, password: string, salt: string): string {
  return modPow(privateKey(poolName, userId, password, salt)).toString(16);
}

export interface ServerEphemeral {
  /** The secret b, hex; sealed into the challenge's SECRET_BLOCK. */
  b: string;
  /** B = k·v + g^b mod N, hex: the challenge's SRP_B. */
  B: string;
}

export function serverEphemeral(verifierHex: string): ServerEphemeral {
  const v = BigInt(`0x${verifierHex}`);
  for (;;) {
    const b = toBigInt(randomBytes(32));
    const B = (k * v + modPow(b)) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/** A (hex) is usable when it parses and A mod N is not 0 (RFC 5054 §2.5.4's check, also the clients'). */
export function isValidClientEphemeral(aHex: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(aHex) || aHex.length > MAX_SRP_A_HEX_LENGTH) return false;
  return BigInt(`0x${aHex}`) % N !== 0n;
}

/** The 16-byte key both sides derive; undefined when the exchange is degenerate (u = 0 or a refused A·v^u). */
export function sessionKey(input: { A: string; B: string; b: string; verifier: string }): Buffer | undefined {
  const A = BigInt(`0x${input.A}`) % N;
  const B = BigInt(`0x${input.B}`);
  const u = hashOfHex(padHex(BigInt(`0x${input.A}`)) + padHex(B));
  if (u === 0n) return undefined;
  const base = (A * modPow(u, BigInt(`0x${input.verifier}`))) % N;
  let S: bigint;
  try {
    S = modPow(BigInt(`0x${input.b}`), base);
  } catch {
    return undefined;
  }
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  const info = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);
  return createHmac('sha256', prk).update(info).digest().subarray(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE as the client computes it. */
export function passwordClaimSignature(
  key: Buffer,
  parts: { poolName: string; userId: string; secretBlock: Buffer; timestamp: string },
): string {
  return createHmac('sha256', key)
    .update(Buffer.from(parts.poolName, 'utf8'))
    .update(Buffer.from(parts.userId, 'utf8'))
    .update(parts.secretBlock)
    .update(Buffer.from(parts.timestamp, 'utf8'))
    .digest('base64');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** Java's `EEE MMM d HH:mm:ss z yyyy` in English and UTC, the form both clients send: `Tue Mar 4 09:05:01 UTC 2025`. */
export function formatSrpTimestamp(ms: number): string {
  const date = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/**
 * The instant a TIMESTAMP names, or undefined when it is not in the pattern at all. Parsing is lenient about the
 * weekday and a zero-padded day, as Java's parser is; the signature is then checked over the canonical form, so
 * such a timestamp fails as a wrong signature would.
 */
export function parseSrpTimestamp(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [, weekday, month, day, hours, minutes, seconds, year] = match;
  const monthIndex = MONTHS.indexOf(month);
  if (!WEEKDAYS.includes(weekday) || monthIndex < 0) return undefined;
  const ms = Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(day) || back.getUTCHours() !== Number(hours)) return undefined;
  if (back.getUTCMinutes() !== Number(minutes) || back.getUTCSeconds() !== Number(seconds)) return undefined;
  return ms;
}

// The client half of Cognito's SRP-6a variant (USER_SRP_AUTH, PASSWORD_VERIFIER), on BigInt and WebCrypto only, so it
// runs unchanged in browsers and in Node 20+. The arithmetic is what Cognito expects from every client (see
// aws-amplify/amplify-js packages/auth/src/providers/cognito/utils/srp/):
//   N, g      RFC 5054's 3072-bit group, g = 2; k = H(PAD(N) | PAD(g))
//   PAD(n)    n's hex, made even-length, with a 00 byte in front when its top bit is set
//   A = g^a   a: random; sent as SRP_A in plain hex
//   u         H(PAD(A) | PAD(B));  x = H(PAD(salt) | H(poolName | userId | ":" | password))
//   S         (B - k·g^x)^(a + u·x) mod N
//   key       HKDF-SHA256(salt PAD(u), input PAD(S), info "Caldera Derived Key"), 16 bytes
//   claim     base64(HMAC-SHA256(key, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP))
// where poolName is the user pool id after its "_" and userId is the challenge's USER_ID_FOR_SRP.

const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

const encoder = new TextEncoder();

function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function base64ToBytes(base64: string): Uint8Array {
  // Tolerates base64url and missing padding, as Amplify does.
  const standard = base64.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function bytesToBase64(bytes: Uint8Array): string {
  return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
}

/** WebCrypto wants an ArrayBuffer-backed view; a copy guarantees one whatever the input's backing store. */
function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buffer(bytes)));
}

async function hashToBigInt(bytes: Uint8Array): Promise<bigint> {
  return BigInt(`0x${bytesToHex(await sha256(bytes))}`);
}

async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const hmacKey = await crypto.subtle.importKey('raw', buffer(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, buffer(data)));
}

function mod(value: bigint, modulus: bigint): bigint {
  const rest = value % modulus;
  return rest < 0n ? rest + modulus : rest;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = mod(base, modulus);
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** g^exponent mod N for g = 2: left to right, where multiplying by g is a shift (half the work of modPow). */
function powerOfG(exponent: bigint): bigint {
  let result = 1n;
  for (let bit = BigInt(exponent.toString(2).length - 1); bit >= 0n; bit -= 1n) {
    result = (result * result) % N;
    if ((exponent >> bit) & 1n) result = (result << 1n) % N;
  }
  return result;
}

let multiplier: Promise<bigint> | undefined;
/** k = H(PAD(N) | PAD(g)), computed once. */
function k(): Promise<bigint> {
  multiplier ??= hashToBigInt(hexToBytes(padHex(N) + padHex(g)));
  return multiplier;
}

/** The challenge parameters of PASSWORD_VERIFIER this client reads. */
export interface PasswordVerifierChallenge {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
  USER_ID_FOR_SRP: string;
}

/** The ChallengeResponses of RespondToAuthChallenge for PASSWORD_VERIFIER. */
export interface PasswordClaim {
  USERNAME: string;
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  PASSWORD_CLAIM_SIGNATURE: string;
  TIMESTAMP: string;
}

/** One sign-in attempt's ephemeral secret a and public A. */
export interface SrpSession {
  /** SRP_A for InitiateAuth, in plain hex. */
  readonly A: string;
  /**
   * The answer to the PASSWORD_VERIFIER challenge, signed at `at` (default now); a string is sent and signed as it
   * is, in place of the formatted instant.
   */
  passwordClaim(password: string, challenge: PasswordVerifierChallenge, at?: Date | string): Promise<PasswordClaim>;
}

/** `pool` is the user pool id (`us-east-1_AbC…`); the hashes use the part after "_". */
export function startSrp(userPoolId: string): SrpSession {
  const poolName = userPoolId.split('_')[1] ?? '';
  if (poolName === '') throw new TypeError(`Not a user pool id: ${userPoolId}`);
  // 256 random bits, twice the 128-bit strength of the 3072-bit group (RFC 3526 §8); Cognito takes any A with
  // A mod N ≠ 0 (Amplify draws 1,024 bits, which only makes each sign-in slower).
  let a = 0n;
  let A = 0n;
  while (A === 0n) {
    a = BigInt(`0x${bytesToHex(crypto.getRandomValues(new Uint8Array(32)))}`);
    A = powerOfG(a);
  }
  return {
    A: A.toString(16),
    async passwordClaim(password, challenge, at = new Date()) {
      const B = BigInt(`0x${challenge.SRP_B}`);
      if (mod(B, N) === 0n) throw new Error('The server sent SRP_B = 0 mod N');
      const salt = BigInt(`0x${challenge.SALT}`);
      const userId = challenge.USER_ID_FOR_SRP;
      const u = await hashToBigInt(hexToBytes(padHex(A) + padHex(B)));
      if (u === 0n) throw new Error('SRP scrambler u is 0');
      const inner = bytesToHex(await sha256(encoder.encode(`${poolName}${userId}:${password}`)));
      const x = await hashToBigInt(hexToBytes(padHex(salt) + inner));
      const S = modPow(mod(B - (await k()) * powerOfG(x), N), a + u * x, N);
      const ikm = await crypto.subtle.importKey('raw', buffer(hexToBytes(padHex(S))), 'HKDF', false, ['deriveBits']);
      const key = new Uint8Array(
        await crypto.subtle.deriveBits(
          {
            name: 'HKDF',
            hash: 'SHA-256',
            salt: buffer(hexToBytes(padHex(u))),
            info: buffer(encoder.encode('Caldera Derived Key')),
          },
          ikm,
          128,
        ),
      );
      const timestamp = typeof at === 'string' ? at : srpTimestamp(at);
      const message = concat(
        encoder.encode(poolName),
        encoder.encode(userId),
        base64ToBytes(challenge.SECRET_BLOCK),
        encoder.encode(timestamp),
      );
      return {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: bytesToBase64(await hmacSha256(key, message)),
        TIMESTAMP: timestamp,
      };
    },
  };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `EEE MMM d HH:mm:ss UTC yyyy`, English, UTC, the day not zero-padded: `Tue Mar 4 09:05:01 UTC 2025`. */
export function srpTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

// TLS for the local server's second listener (the GraphQL port + 3): Amplify JS opens wss:// for real time even
// when the API's URL is http://, so the server also speaks TLS, with a certificate from a certificate authority made
// for each data folder. You trust that CA once (NODE_EXTRA_CA_CERTS for Node, Chromium's policy or flag; see the
// README) and every later certificate from the folder is trusted too.
//
// The CA can only vouch for this machine: its name constraints permit localhost and loopback addresses (and the
// host the server binds, when that is another), so trusting it cannot make a browser trust a certificate for any
// other site, even if the key in the data folder leaked. Keys are P-256 (made in a millisecond, where an RSA key took
// a tenth of a second and three of them were a fifth of a cold start); node-forge encodes the certificates' fields
// (a maintained X.509 library that needs no global polyfills) and Node signs them. A CA from a folder made before
// keys were EC is kept and signs with its RSA key. node-forge is loaded only when a certificate is made or a CA from
// an older folder is checked: a warm start reads what it needs with Node's X509Certificate.
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import type Forge from 'node-forge';
import { writeFileAtomic } from '../stores/shared';

export interface LocalTls {
  /** PEM of the server's key, and of its certificate followed by the CA's (the chain it serves). */
  key: string;
  cert: string;
  /** PEM of the CA that signed it: what clients trust. */
  caCert: string;
  caCertPath: string;
}

const CA_YEARS = 10;
// Browsers refuse server certificates valid for more than 398 days; renewed when a month is left.
const SERVER_DAYS = 397;
const RENEW_WITHIN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

// Set by loadForge() before any function below that builds or reads certificates with it runs.
let forge: typeof Forge;
async function loadForge(): Promise<void> {
  forge ??= ((await import('node-forge')) as { default: typeof Forge }).default;
}

/** A new P-256 key pair: its PKCS#8 PEM, and its SubjectPublicKeyInfo as DER (what a certificate carries). */
function ecKeys(): { pem: string; spki: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
  };
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  nameConstraints: '2.5.29.30',
};

const der = (node: Forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
// BIT STRINGs kept as bytes: forge would otherwise parse one that holds DER (an RSA key) into its parts. (forge takes
// these options; its types know only the older `strict` flag.)
type FromDer = (bytes: string, options: { decodeBitStrings: boolean }) => Forge.asn1.Asn1;
const fromDer = (bytes: Buffer) =>
  (forge.asn1.fromDer as unknown as FromDer)(bytes.toString('binary'), { decodeBitStrings: false });
const octets = (bytes: Buffer) =>
  forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, bytes.toString('binary'));

/** RFC 5280's key identifier (method 1): SHA-1 of the subjectPublicKey bits of a SubjectPublicKeyInfo. */
function keyIdentifier(spki: Buffer): Buffer {
  const bits = fromDer(spki).value[1] as Forge.asn1.Asn1;
  // A BIT STRING's contents start with its count of unused bits (0 here).
  return createHash('sha1')
    .update(Buffer.from((bits.value as string).slice(1), 'binary'))
    .digest();
}

/** The AlgorithmIdentifier of a SHA-256 signature by this key: ECDSA without parameters (RFC 5758), RSA with NULL. */
function signatureAlgorithm(key: KeyObject): Forge.asn1.Asn1 {
  const { asn1 } = forge;
  const ec = key.asymmetricKeyType === 'ec';
  const oid = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.OID,
    false,
    asn1.oidToDer(ec ? OID.ecdsaWithSha256 : OID.sha256WithRsa).getBytes(),
  );
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    ec ? [oid] : [oid, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')],
  );
}

/** A certificate's TBSCertificate fields (version present): 2 signature, 3 issuer, 5 subject, 6 key, 7 extensions. */
function tbsOf(certPem: string): Forge.asn1.Asn1[] {
  const certificate = fromDer(new X509Certificate(certPem).raw);
  return (certificate.value[0] as Forge.asn1.Asn1).value as Forge.asn1.Asn1[];
}

/** The value (DER) of a certificate's extension, whatever its key type (forge reads RSA certificates only). */
function extensionValue(certPem: string, oid: string): Buffer | undefined {
  const { asn1 } = forge;
  const extensions = tbsOf(certPem).find((field) => field.tagClass === asn1.Class.CONTEXT_SPECIFIC && field.type === 3);
  for (const extension of ((extensions?.value[0] as Forge.asn1.Asn1 | undefined)?.value ?? []) as Forge.asn1.Asn1[]) {
    const fields = extension.value as Forge.asn1.Asn1[];
    if (asn1.derToOid(fields[0].value as string) === oid) {
      return Buffer.from(fields[fields.length - 1].value as string, 'binary');
    }
  }
  return undefined;
}

interface CertificateSpec {
  subject: Array<{ name: string; value: string }>;
  /** The issuer's certificate; none for a self-signed one. */
  issuerCert?: string;
  issuerKey: KeyObject;
  subjectKey: Buffer;
  days: number;
  /** In node-forge's form; key identifiers are added here. */
  extensions: object[];
}

/**
 * A certificate signed with Node's crypto. node-forge encodes its fields but signs and encodes RSA keys only, so the
 * subject's key, the issuer's name and the signature algorithm are set in its TBSCertificate afterwards.
 */
function issueCertificate(spec: CertificateSpec): string {
  const { asn1, pki } = forge;
  const cert = pki.createCertificate();
  // Placeholders that forge needs to encode the fields; each is replaced below.
  cert.publicKey = pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('65537'));
  cert.siginfo.algorithmOid = OID.sha256WithRsa;
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + spec.days * DAY_MS);
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.subject);
  const issuerSpki = spec.issuerCert
    ? new X509Certificate(spec.issuerCert).publicKey.export({ type: 'spki', format: 'der' })
    : spec.subjectKey;
  const authorityKey = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyIdentifier(issuerSpki).toString('binary')),
  ]);
  cert.setExtensions([
    ...spec.extensions,
    { id: OID.subjectKeyIdentifier, value: der(octets(keyIdentifier(spec.subjectKey))).toString('binary') },
    { id: OID.authorityKeyIdentifier, value: der(authorityKey).toString('binary') },
  ]);
  // Exported by forge, missing from its types.
  const tbs = (pki as unknown as { getTBSCertificate(c: Forge.pki.Certificate): Forge.asn1.Asn1 }).getTBSCertificate(
    cert,
  );
  const fields = tbs.value as Forge.asn1.Asn1[];
  fields[2] = signatureAlgorithm(spec.issuerKey);
  if (spec.issuerCert) fields[3] = tbsOf(spec.issuerCert)[5];
  fields[6] = fromDer(spec.subjectKey);
  const signature = sign('sha256', der(tbs), spec.issuerKey);
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    signatureAlgorithm(spec.issuerKey),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`),
  ]);
  return new X509Certificate(der(certificate)).toString();
}

/** A positive serial number (the high bit clear), 16 random bytes. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

/** Loopback names and addresses, plus the bound host when it is something else. */
function coveredHosts(hosts: string[]): { dns: string[]; ips: string[] } {
  const dns = ['localhost'];
  const ips = ['127.0.0.1', '::1'];
  for (const host of hosts) {
    if (host !== '0.0.0.0' && host !== '::' && !dns.includes(host) && !ips.includes(host)) {
      (isIP(host) ? ips : dns).push(host);
    }
  }
  return { dns, ips };
}

/** DER of an IP address (and mask, for a name constraint). */
function ipBytes(ip: string, withMask: boolean): string {
  let bytes: number[];
  if (isIP(ip) === 4) {
    bytes = ip.split('.').map(Number);
  } else {
    const halves = ip.split('::');
    const head = halves[0] ? halves[0].split(':') : [];
    const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
    const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
    bytes = groups.flatMap((group) => {
      const n = parseInt(group, 16);
      return [n >> 8, n & 0xff];
    });
  }
  // 127.0.0.0/8 covers the whole IPv4 loopback range; other addresses are constrained exactly.
  const mask = ip === '127.0.0.1' ? [255, 0, 0, 0] : bytes.map(() => 255);
  const base = ip === '127.0.0.1' ? [127, 0, 0, 0] : bytes;
  return String.fromCharCode(...(withMask ? [...base, ...mask] : bytes));
}

/** RFC 5280 NameConstraints with permitted subtrees only (forge has no encoder for it). */
function nameConstraints(hosts: { dns: string[]; ips: string[] }): Forge.asn1.Asn1 {
  const { asn1 } = forge;
  const subtree = (name: Forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [name]);
  const permitted = [
    ...hosts.dns.map((name) => subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, name))),
    ...hosts.ips.map((ip) => subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, ipBytes(ip, true)))),
  ];
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, permitted),
  ]);
}

function createCa(hosts: { dns: string[]; ips: string[] }, label: string): { cert: string; key: string } {
  const keys = ecKeys();
  const cert = issueCertificate({
    subject: [
      { name: 'commonName', value: `appsync-local development CA (${label})` },
      { name: 'organizationName', value: 'appsync-local' },
    ],
    issuerKey: createPrivateKey(keys.pem),
    subjectKey: keys.spki,
    days: CA_YEARS * 365,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { id: OID.nameConstraints, critical: true, value: der(nameConstraints(hosts)).toString('binary') },
    ],
  });
  return { cert, key: keys.pem };
}

/** A server certificate from the CA (an EC one, or the RSA one of a folder made before CAs were EC). */
function createServerCert(
  ca: { cert: string; key: string },
  hosts: { dns: string[]; ips: string[] },
): { cert: string; key: string } {
  const keys = ecKeys();
  const cert = issueCertificate({
    subject: [{ name: 'commonName', value: 'localhost' }],
    issuerCert: ca.cert,
    issuerKey: createPrivateKey(ca.key),
    subjectKey: keys.spki,
    days: SERVER_DAYS,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      // An ECDSA key signs the handshake; it enciphers nothing.
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...hosts.dns.map((value) => ({ type: 2, value })), ...hosts.ips.map((ip) => ({ type: 7, ip }))],
      },
    ],
  });
  return { cert, key: keys.pem };
}

/** A server certificate for `hosts` from the CA given (PEMs), as a start makes one: for tests of what clients trust. */
export async function issueServerCertificate(
  ca: { cert: string; key: string },
  hosts: string[],
): Promise<{ cert: string; key: string }> {
  await loadForge();
  const dns = hosts.filter((host) => !isIP(host));
  return createServerCert(ca, { dns, ips: hosts.filter((host) => isIP(host)) });
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether the key is the certificate's. A start stopped between writing a key and its certificate leaves a pair that
 * is not one; it is made again rather than served (or used to sign) as it is.
 */
function isPair(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** Whether a server certificate is the CA's, covers every host and has more than a month left. */
function serverCertUsable(certPem: string, caPem: string, hosts: { dns: string[]; ips: string[] }): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.verify(new X509Certificate(caPem).publicKey)) return false;
    if (Date.parse(cert.validTo) - Date.now() < RENEW_WITHIN_DAYS * DAY_MS) return false;
    return (
      hosts.dns.every((h) => cert.checkHost(h) !== undefined) && hosts.ips.every((ip) => cert.checkIP(ip) !== undefined)
    );
  } catch {
    return false;
  }
}

/**
 * The data folder's CA (made once, kept in `<dir>/tls/`) and a server certificate it signed for the bound and the
 * advertised hosts (made again when missing, near expiry or for other hosts). A CA whose constraints do not cover the host is
 * replaced, and must then be trusted again.
 */
export async function localTls(dir: string, ...hosts: string[]): Promise<LocalTls> {
  const tlsDir = path.join(dir, 'tls');
  await mkdir(tlsDir, { recursive: true });
  const files = {
    caCert: path.join(tlsDir, 'ca.pem'),
    caKey: path.join(tlsDir, 'ca-key.pem'),
    cert: path.join(tlsDir, 'server.pem'),
    key: path.join(tlsDir, 'server-key.pem'),
    caCoverage: path.join(tlsDir, 'ca-coverage.json'),
  };
  const covered = coveredHosts(hosts);
  let ca = { cert: await readIfPresent(files.caCert), key: await readIfPresent(files.caKey) };
  // Which hosts the CA's constraints were found (or made) to name, by the CA's fingerprint: a warm start compares
  // this record instead of parsing the certificate with node-forge.
  const coverage = (pem: string) =>
    JSON.stringify({ ca: new X509Certificate(pem).fingerprint256, dns: covered.dns, ips: covered.ips });
  const caCovers = async (pem: string) => {
    if ((await readIfPresent(files.caCoverage)) === coverage(pem)) return true;
    // Signing a probe certificate for each host with the CA and verifying the chain would be exact; the CA's own
    // constraint list is what we wrote, so reading it back is enough.
    await loadForge();
    return extensionValue(pem, OID.nameConstraints)?.equals(der(nameConstraints(covered))) ?? false;
  };
  if (!ca.cert || !ca.key || !isPair(ca.cert, ca.key) || !(await caCovers(ca.cert))) {
    await loadForge();
    const made = createCa(covered, path.basename(path.resolve(dir)) || 'data');
    await writeFileAtomic(files.caKey, made.key, { mode: 0o600 });
    await writeFileAtomic(files.caCert, made.cert);
    ca = made;
  }
  const record = coverage(ca.cert!);
  if ((await readIfPresent(files.caCoverage)) !== record) await writeFileAtomic(files.caCoverage, record);
  const caPair = { cert: ca.cert!, key: ca.key! };
  let cert = await readIfPresent(files.cert);
  let key = await readIfPresent(files.key);
  if (!cert || !key || !isPair(cert, key) || !serverCertUsable(cert, caPair.cert, covered)) {
    await loadForge();
    const made = createServerCert(caPair, covered);
    await writeFileAtomic(files.key, made.key, { mode: 0o600 });
    await writeFileAtomic(files.cert, made.cert);
    ({ cert, key } = made);
  }
  // The chain includes the CA so that a client pinning the CA's key (Chromium's
  // --ignore-certificate-errors-spki-list) finds it among the certificates served.
  return { key, cert: `${cert.trimEnd()}\n${caPair.cert}`, caCert: caPair.cert, caCertPath: files.caCert };
}

// TLS for the local server's second listener (the GraphQL port + 3): Amplify JS opens wss:// for real time even
// when the API's URL is http://, so the server also speaks TLS, with a certificate from a certificate authority made
// for each data folder. You trust that CA once (NODE_EXTRA_CA_CERTS for Node, Chromium's policy or flag; see the
// README) and every later certificate from the folder is trusted too.
//
// The CA can only vouch for this machine: its name constraints permit localhost and loopback addresses (and the
// host the server binds, when that is another), so trusting it cannot make a browser trust a certificate for any
// other site, even if the key in the data folder leaked. node-forge builds the certificates (a maintained X.509
// library that needs no global polyfills); Node makes the RSA keys. node-forge is loaded only when a certificate is
// made or a CA from an older folder is checked: a warm start reads what it needs with Node's X509Certificate.
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
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

function rsaKeys(): { privateKey: Forge.pki.rsa.PrivateKey; publicKey: Forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as Forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as Forge.pki.rsa.PublicKey,
    pem: privateKey,
  };
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
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + CA_YEARS * 365 * DAY_MS);
  const name = [
    { name: 'commonName', value: `appsync-local development CA (${label})` },
    { name: 'organizationName', value: 'appsync-local' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { id: '2.5.29.30', critical: true, value: forge.asn1.toDer(nameConstraints(hosts)).getBytes() },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

function createServerCert(
  ca: { cert: string; key: string },
  hosts: { dns: string[]; ips: string[] },
): { cert: string; key: string } {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + SERVER_DAYS * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...hosts.dns.map((value) => ({ type: 2, value })), ...hosts.ips.map((ip) => ({ type: 7, ip }))],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey as Forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
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
    const der = forge.asn1.toDer(nameConstraints(covered)).getBytes();
    const ext = forge.pki.certificateFromPem(pem).getExtension('nameConstraints') as { value?: unknown } | null;
    return ext?.value === der;
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

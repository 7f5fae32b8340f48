// The TLS listener and the CA made per data folder: wss:// real time and https:// GraphQL with only that CA trusted,
// the CA kept across restarts, its server certificate renewed for another host, and a CA that cannot vouch for any
// other site.
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueServerCertificate, localTls } from '../../../local/server/tls';
import { RealtimeTestClient } from '../../helpers/realtime-client';
import { apiKeyHeader, API_KEY, PUT_ITEM, startRealtimeApi, type RealtimeApi } from './realtime/realtime-api';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function post(url: string, ca: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method: 'POST', ca, headers: { 'content-type': 'application/json', 'x-api-key': API_KEY } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('the local CA', () => {
  it('is made once per data folder, with a private key only its owner can read', async () => {
    const first = await localTls(dir, '127.0.0.1');
    const second = await localTls(dir, '127.0.0.1');
    expect(second.caCert).toBe(first.caCert);
    expect(second.cert).toBe(first.cert);
    expect((await stat(path.join(dir, 'tls', 'ca-key.pem'))).mode & 0o077).toBe(0);
    expect(await readFile(first.caCertPath, 'utf8')).toBe(first.caCert);
    const ca = new X509Certificate(first.caCert);
    expect(ca.ca).toBe(true);
    const server = new X509Certificate(first.cert);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
  });

  it('keeps a CA whose coverage record is missing or names another CA, after reading its constraints', async () => {
    const own = await mkdtemp(path.join(tmpdir(), 'tls-record-'));
    try {
      const record = path.join(own, 'tls', 'ca-coverage.json');
      const first = await localTls(own, '127.0.0.1');
      const written = await readFile(record, 'utf8');
      expect(JSON.parse(written)).toMatchObject({ ca: new X509Certificate(first.caCert).fingerprint256 });
      // A folder from before the record (or a record that does not match this CA) is checked the slow way.
      await rm(record);
      expect((await localTls(own, '127.0.0.1')).caCert).toBe(first.caCert);
      expect(await readFile(record, 'utf8')).toBe(written);
      await writeFile(record, JSON.stringify({ ...JSON.parse(written), ca: 'another CA' }));
      expect((await localTls(own, '127.0.0.1')).caCert).toBe(first.caCert);
      expect(await readFile(record, 'utf8')).toBe(written);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it('makes a key and its certificate again when a start stopped between writing them', async () => {
    const own = await mkdtemp(path.join(tmpdir(), 'tls-pair-'));
    try {
      const first = await localTls(own, '127.0.0.1');
      const files = path.join(own, 'tls');
      // Another folder's keys, as if a start had written a new key and been stopped before its certificate.
      const other = await mkdtemp(path.join(tmpdir(), 'tls-other-'));
      await localTls(other, '127.0.0.1');
      await writeFile(path.join(files, 'server-key.pem'), await readFile(path.join(other, 'tls', 'server-key.pem')));
      const second = await localTls(own, '127.0.0.1');
      expect(second.caCert).toBe(first.caCert);
      expect(second.cert).not.toBe(first.cert);
      expect(new X509Certificate(second.cert).checkPrivateKey(createPrivateKey(second.key))).toBe(true);

      await writeFile(path.join(files, 'ca-key.pem'), await readFile(path.join(other, 'tls', 'ca-key.pem')));
      await rm(other, { recursive: true, force: true });
      const third = await localTls(own, '127.0.0.1');
      expect(third.caCert).not.toBe(first.caCert);
      const ca = new X509Certificate(third.caCert);
      expect(ca.checkPrivateKey(createPrivateKey(await readFile(path.join(files, 'ca-key.pem'), 'utf8')))).toBe(true);
      expect(new X509Certificate(third.cert).verify(ca.publicKey)).toBe(true);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it('issues a server certificate for another bound host, from a CA widened to cover it', async () => {
    const loopback = await localTls(dir, '127.0.0.1');
    const lan = await localTls(dir, 'devbox.local');
    expect(new X509Certificate(lan.cert).checkHost('devbox.local')).toBe('devbox.local');
    // The CA's constraints had to widen, so it is a new CA (to be trusted again); loopback stays covered.
    expect(lan.caCert).not.toBe(loopback.caCert);
    expect(new X509Certificate(lan.cert).verify(new X509Certificate(lan.caCert).publicKey)).toBe(true);
  });

  it('is constrained to this machine: a certificate it signs for another site does not verify', async () => {
    // Both certificates are made the same way, with the CA's key from the data folder; only the name differs.
    const tls = await localTls(dir, '127.0.0.1');
    const ca = { cert: tls.caCert, key: await readFile(path.join(dir, 'tls', 'ca-key.pem'), 'utf8') };
    expect(await connectTrustingOnly(tls.caCert, 'localhost', await issueServerCertificate(ca, ['localhost']))).toBe(
      'trusted',
    );
    const otherSite = await issueServerCertificate(ca, ['bank.example.com']);
    expect(new X509Certificate(otherSite.cert).verify(new X509Certificate(tls.caCert).publicKey)).toBe(true);
    expect(await connectTrustingOnly(tls.caCert, 'bank.example.com', otherSite)).not.toBe('trusted');
  });

  it('makes P-256 keys, and signs with ECDSA and SHA-256', async () => {
    const tls = await localTls(dir, '127.0.0.1');
    const [ca, server] = [new X509Certificate(tls.caCert), new X509Certificate(tls.cert)];
    for (const cert of [ca, server]) {
      expect(cert.publicKey.asymmetricKeyType).toBe('ec');
      expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    }
    // ecdsa-with-SHA256 (1.2.840.10045.4.3.2) in the certificate's signatureAlgorithm, with no parameters (RFC 5758).
    const ecdsaWithSha256 = Buffer.from('300a06082a8648ce3d040302', 'hex');
    for (const cert of [ca, server]) {
      const first = cert.raw.indexOf(ecdsaWithSha256);
      // Once inside the signed part, once before the signature.
      expect(first).toBeGreaterThan(0);
      expect(cert.raw.indexOf(ecdsaWithSha256, first + 1)).toBeGreaterThan(first);
    }
    // Node's keyUsage lists the extended key usages: server authentication.
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it('keeps an RSA CA from a folder made before keys were EC, and signs an EC server certificate with it', async () => {
    const own = await mkdtemp(path.join(tmpdir(), 'tls-rsa-ca-'));
    try {
      const files = path.join(own, 'tls');
      await mkdir(files, { recursive: true });
      const rsaCa = rsaCertificateAuthority();
      await writeFile(path.join(files, 'ca.pem'), rsaCa.cert);
      await writeFile(path.join(files, 'ca-key.pem'), rsaCa.key);
      // The coverage record an older start wrote for it (so its constraints are not read again).
      const fingerprint = new X509Certificate(rsaCa.cert).fingerprint256;
      await writeFile(
        path.join(files, 'ca-coverage.json'),
        JSON.stringify({ ca: fingerprint, dns: ['localhost'], ips: ['127.0.0.1', '::1'] }),
      );
      const tls = await localTls(own, '127.0.0.1');
      expect(tls.caCert).toBe(rsaCa.cert);
      const server = new X509Certificate(tls.cert);
      expect(server.publicKey.asymmetricKeyType).toBe('ec');
      expect(server.verify(new X509Certificate(rsaCa.cert).publicKey)).toBe(true);
      expect(await connectTrustingOnly(rsaCa.cert, 'localhost', tls)).toBe('trusted');
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});

/** A self-signed RSA CA as node-forge made them before keys were EC. */
function rsaCertificateAuthority(): { cert: string; key: string } {
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ name: 'commonName', value: 'an older appsync-local CA' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(pair.privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: pair.privateKey };
}

/** Serves TLS with `served` (its chain's leaf) and connects for `name` trusting only `caPem`. */
async function connectTrustingOnly(
  caPem: string,
  name: string,
  served: { cert: string; key: string },
): Promise<string> {
  const server = https.createServer({ key: served.key, cert: served.cert }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise<string>((resolve) => {
      https
        .get({ host: '127.0.0.1', port, servername: name, ca: caPem, path: '/' }, (response) => {
          response.resume();
          resolve('trusted');
        })
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
  } finally {
    server.close();
  }
}

describe('the TLS listener', () => {
  let server: RealtimeApi;
  let ca: string;
  beforeAll(async () => {
    server = await startRealtimeApi({ tls: true });
    ca = await readFile(server.api.caCertPath!, 'utf8');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves GraphQL over https with only the local CA trusted', async () => {
    const { status, json } = await post(`${server.api.tlsUrl}/graphql`, ca, { query: '{ item(id: "1") { id } }' });
    expect(status).toBe(200);
    expect(json).toEqual({ data: { item: null } });
  });

  it('is refused by a client that does not trust the local CA', async () => {
    await expect(post(`${server.api.tlsUrl}/graphql`, '', { query: '{ item(id: "1") { id } }' })).rejects.toThrow();
  });

  it('carries real time over wss://, delivering mutations made over plain http', async () => {
    const client = await RealtimeTestClient.connect(server.api.tlsUrl!, apiKeyHeader(), { via: 'subprotocol', ca });
    try {
      await client.subscribe('tls', 'subscription { onItem { id } }', apiKeyHeader());
      await server.graphql(PUT_ITEM, { input: { id: 'over-tls', required: 'r' } });
      expect((await client.next((f) => f.id === 'tls')).payload).toEqual({ data: { onItem: { id: 'over-tls' } } });
    } finally {
      client.close();
    }
  });
});

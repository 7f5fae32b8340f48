// The local AppSync as a phone or an emulator reaches it: bound beyond loopback, with one public address in every
// advertised URL, presigned URL and token issuer, and a bucket CORS rule open to any loopback page.
//
// The non-loopback address is this machine's own interface address (no external network is used). The Android
// emulator reaches the host's loopback as 10.0.2.2: its requests arrive at 127.0.0.1 carrying `Host: 10.0.2.2:<port>`,
// which is what the emulator case below sends.
import { request } from 'node:http';
import { connect } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import notesApiConfig from '../../../appsync-local.config';
import { lanAddress } from '../../../local/server/addresses';
import { serveLocalApi, type LocalApi, type LocalApiConfig } from '../../../local/server/serve';
import { PROJECT_ROOT } from '../helpers/local-target';
import { headersOf, putObject, sampleBytes } from '../helpers/notes';
import type { SignedInUser } from '../helpers/target';
import { signInUser } from '../helpers/users';

const [ALICE] = notesApiConfig.users ?? [];
const BUCKET = notesApiConfig.bucket!.name;

function thisMachinesLanAddress(): string {
  const lan = lanAddress();
  if (!lan) throw new Error('This test binds to a non-loopback address: the machine needs a network interface');
  return lan.address;
}

async function serve(overrides: Partial<LocalApiConfig>): Promise<LocalApi> {
  return serveLocalApi({
    ...notesApiConfig,
    rootDir: PROJECT_ROOT,
    dataDir: null,
    port: 0,
    log: () => {},
    ...overrides,
  });
}

/** The ID token's issuer, and alice signed in through the pool at `endpoint`. */
async function signInAlice(api: LocalApi, endpoint: string): Promise<SignedInUser> {
  const cognito = api.cognito!;
  return signInUser({ endpoint, userPoolId: cognito.userPoolId, clientId: cognito.clientId }, api.graphqlUrl, ALICE);
}

/** The console's embedded configuration, as the page hands it to its script. */
async function consoleConfig(
  url: string,
): Promise<{ passwords: Record<string, string>; cognito: { endpoint: string } }> {
  const html = await (await fetch(`${url}/`)).text();
  const json = /<script type="application\/json" id="console-config">(.*?)<\/script>/s.exec(html)?.[1];
  if (!json) throw new Error('The console page carries no configuration');
  return JSON.parse(json) as { passwords: Record<string, string>; cognito: { endpoint: string } };
}

function connectionRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** An S3 CORS preflight for a PUT of `key` with a Content-Type, as a browser sends it before a presigned upload. */
function preflight(s3Endpoint: string, origin: string): Promise<Response> {
  return fetch(`${s3Endpoint}/${BUCKET}/uploads/some-user/some-file.png`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe("bound to this machine's LAN address", () => {
  const lan = thisMachinesLanAddress();
  let api: LocalApi;
  let alice: SignedInUser;

  beforeAll(async () => {
    api = await serve({ host: lan, bucket: { name: BUCKET, corsOrigins: ['https://notes.example.com'] } });
    alice = await signInAlice(api, api.advertised.userPoolEndpoint!);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('listens on the LAN address and not on loopback', async () => {
    expect(new URL(api.graphqlUrl).hostname).toBe(lan);
    const response = await fetch(api.advertised.graphqlUrl, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await connectionRefused('127.0.0.1', portOf(api.graphqlUrl))).toBe(true);
    expect(await connectionRefused('127.0.0.1', portOf(api.s3Endpoint!))).toBe(true);
  });

  it('advertises every endpoint at the LAN address', () => {
    expect(api.addresses).toMatchObject({ bindHost: lan, publicHost: lan, beyondLoopback: true });
    for (const url of Object.values(api.advertised)) expect(new URL(url!).hostname).toBe(lan);
  });

  it('issues tokens whose issuer is the public address, and the API accepts them', async () => {
    const cognito = api.cognito!;
    const issuer = `http://${lan}:${portOf(api.advertised.userPoolEndpoint!)}/${cognito.userPoolId}`;
    expect(cognito.issuer).toBe(issuer);
    expect(decodeJwt(alice.idToken).iss).toBe(issuer);
    expect(decodeJwt(alice.accessToken).iss).toBe(issuer);
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` });
    await expect(alice.client.listNotes({ limit: 1 })).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('presigns uploads and downloads for the public address, and the PUT there is stored', async () => {
    const bytes = sampleBytes(300);
    const upload = await alice.client.createUploadUrl({
      input: { fileName: 'photo.png', contentType: 'image/png', size: bytes.byteLength },
    });
    expect(new URL(upload.url).host).toBe(new URL(api.advertised.s3Endpoint!).host);
    const put = await putObject(upload.url, headersOf(upload), bytes);
    expect(put.status, await put.clone().text()).toBe(200);

    const note = await alice.client.createNote({
      input: { content: 'From the phone', attachment: { key: upload.key } },
    });
    expect(note.attachment).toMatchObject({ contentType: 'image/png', size: bytes.byteLength });
    const listed = await alice.client.listNotes({ limit: 1, withDownloadUrl: true });
    const downloadUrl = listed.items[0]?.attachment?.downloadUrl;
    expect(listed.items[0]?.noteId).toBe(note.noteId);
    expect(new URL(downloadUrl!).host).toBe(new URL(api.advertised.s3Endpoint!).host);
    const download = await fetch(downloadUrl!);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  });

  it('prefills no password in the console, and points its sign-in at the public pool address', async () => {
    const config = await consoleConfig(api.advertised.url);
    expect(config.passwords).toEqual({});
    expect(config.cognito.endpoint).toBe(api.advertised.userPoolEndpoint);
  });

  it('allows the exact configured origin and still any loopback one', async () => {
    const s3 = api.advertised.s3Endpoint!;
    const allowed = await preflight(s3, 'https://notes.example.com');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://notes.example.com');
    expect((await preflight(s3, 'http://localhost:5173')).status).toBe(200);
    // Exact, as the deployed rule: another port or a subdomain of the configured origin is another origin.
    expect((await preflight(s3, 'https://notes.example.com:8443')).status).toBe(403);
    expect((await preflight(s3, 'https://evil.notes.example.com')).status).toBe(403);
  });
});

describe('advertised to the Android emulator as 10.0.2.2 while bound to loopback', () => {
  const EMULATOR_HOST = '10.0.2.2';
  let api: LocalApi;
  let alice: SignedInUser;

  beforeAll(async () => {
    api = await serve({ publicHost: EMULATOR_HOST });
    // This machine cannot dial 10.0.2.2; it signs in through the local address and gets the same tokens.
    alice = await signInAlice(api, api.cognito!.endpoint);
  });
  afterAll(async () => {
    await api?.close();
  });

  /** A request to the local S3 port that carries the Host header the emulator's address puts there. */
  function putAsTheEmulator(url: string, headers: Record<string, string>, body: Uint8Array) {
    const target = new URL(url);
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: Number(target.port),
          method: 'PUT',
          path: `${target.pathname}${target.search}`,
          headers: { ...headers, host: target.host },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('stays on loopback and advertises 10.0.2.2', () => {
    expect(api.addresses).toMatchObject({ bindHost: '127.0.0.1', publicHost: EMULATOR_HOST, beyondLoopback: false });
    expect(new URL(api.graphqlUrl).hostname).toBe('127.0.0.1');
    for (const url of Object.values(api.advertised)) expect(new URL(url!).hostname).toBe(EMULATOR_HOST);
  });

  it('issues tokens for 10.0.2.2, which the API accepts', async () => {
    const issuer = `http://${EMULATOR_HOST}:${portOf(api.cognito!.endpoint)}/${api.cognito!.userPoolId}`;
    expect(decodeJwt(alice.idToken).iss).toBe(issuer);
    await expect(alice.client.listNotes({ limit: 1 })).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('presigns for 10.0.2.2, stores a PUT the emulator sends, and attaches it through the local address', async () => {
    const bytes = sampleBytes(128, 3);
    const upload = await alice.client.createUploadUrl({
      input: { fileName: 'scan.pdf', contentType: 'application/pdf', size: bytes.byteLength },
    });
    expect(new URL(upload.url).hostname).toBe(EMULATOR_HOST);
    const put = await putAsTheEmulator(upload.url, headersOf(upload), bytes);
    expect(put.status, put.body).toBe(200);
    // The attach step's HEAD is the function's own call: it must reach S3 at the local address.
    const note = await alice.client.createNote({
      input: { content: 'From the emulator', attachment: { key: upload.key } },
    });
    expect(note.attachment).toMatchObject({ contentType: 'application/pdf', size: bytes.byteLength });
  });

  it('refuses the same URL sent with another Host: the signature covers the public address', async () => {
    const bytes = sampleBytes(64, 5);
    const upload = await alice.client.createUploadUrl({
      input: { fileName: 'a.png', contentType: 'image/png', size: bytes.byteLength },
    });
    const local = new URL(upload.url);
    local.hostname = '127.0.0.1';
    const put = await putObject(local.toString(), headersOf(upload), bytes);
    expect(put.status).toBe(403);
    expect(await put.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it("prefills the local users' passwords in the console on loopback", async () => {
    const config = await consoleConfig(api.url);
    expect(config.passwords).toEqual({ [ALICE.email]: ALICE.password, 'bob@example.com': 'Passw0rd!bob' });
    expect(config.cognito.endpoint).toBe(api.advertised.userPoolEndpoint);
  });

  it('allows a CORS preflight from any loopback origin and port, and refuses a foreign origin', async () => {
    for (const origin of ['http://localhost:61234', 'http://127.0.0.1:9', 'http://[::1]:3000', 'https://localhost']) {
      const response = await preflight(api.s3Endpoint!, origin);
      expect(response.status, origin).toBe(200);
      expect(response.headers.get('access-control-allow-origin'), origin).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    }
    for (const origin of ['https://evil.example', 'http://192.168.1.20:5173', 'http://localhost.evil.example']) {
      const response = await preflight(api.s3Endpoint!, origin);
      expect(response.status, origin).toBe(403);
      expect(await response.text()).toContain('<Code>AccessForbidden</Code>');
    }
  });
});

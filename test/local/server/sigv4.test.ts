// SigV4 header authentication of JSON-protocol calls, checked with the AWS SDK's own Cognito client signing real
// requests to a small server that only verifies them: what the SDK signs passes; every altered part, an unknown key,
// a stale clock, a wrong scope and a missing header are refused with the error AWS answers with.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLocalCredentials } from '../../../local/server/credentials';
import { SigV4Error, verifySigV4 } from '../../../local/server/auth/sigv4';

const credentials = generateLocalCredentials();
const region = 'us-east-1';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let endpoint: string;
let lastReceived: Received | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      lastReceived = received;
      verifySigV4(received, { service: 'cognito-idp', region, credentials }).then(
        () => {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ Username: 'checked', UserAttributes: [], Enabled: true, UserStatus: 'CONFIRMED' }));
        },
        (error: unknown) => {
          const status = error instanceof SigV4Error ? error.status : 500;
          const code = error instanceof SigV4Error ? error.code : 'InternalErrorException';
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code });
          res.end(JSON.stringify({ __type: code, message: (error as Error).message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function sdk(
  options: { accessKeyId?: string; secretAccessKey?: string; region?: string; clockOffsetMs?: number } = {},
) {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: options.region ?? region,
    credentials: {
      accessKeyId: options.accessKeyId ?? credentials.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? credentials.secretAccessKey,
    },
    maxAttempts: 1,
  });
  if (options.clockOffsetMs) client.config.systemClockOffset = options.clockOffsetMs;
  return client;
}

async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof CognitoIdentityProviderServiceException))
    throw new Error(`expected a refusal, got ${String(error)}`);
  return { name: error.name, message: error.message, status: error.$metadata.httpStatusCode };
}

const adminGetUser = new AdminGetUserCommand({ UserPoolId: 'us-east-1_example', Username: 'alice@example.com' });

describe('verifySigV4 (service cognito-idp)', () => {
  it('accepts a request the AWS SDK signed with the local key pair', async () => {
    const answer = await sdk().send(adminGetUser);
    expect(answer.Username).toBe('checked');
    expect(lastReceived?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=LOCAL/);
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const wrong = generateLocalCredentials().secretAccessKey;
    expect(await refusal(sdk({ secretAccessKey: wrong }).send(adminGetUser))).toEqual({
      name: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      status: 400,
    });
  });

  it('refuses an unknown key id with UnrecognizedClientException', async () => {
    const other = generateLocalCredentials();
    expect(await refusal(sdk(other).send(adminGetUser))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      status: 400,
    });
  });

  it('refuses a request signed more than 15 minutes ago or ahead', async () => {
    const late = await refusal(sdk({ clockOffsetMs: -16 * 60 * 1000 }).send(adminGetUser));
    expect(late.name).toBe('InvalidSignatureException');
    expect(late.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const early = await refusal(sdk({ clockOffsetMs: 16 * 60 * 1000 }).send(adminGetUser));
    expect(early.message).toMatch(/^Signature not yet current: /);
    // Within the window is fine (AWS allows 15 minutes of skew).
    await expect(sdk({ clockOffsetMs: -10 * 60 * 1000 }).send(adminGetUser)).resolves.toHaveProperty('Username');
  });

  it('refuses a signature scoped to another region', async () => {
    const wrongRegion = await refusal(sdk({ region: 'eu-west-1' }).send(adminGetUser));
    expect(wrongRegion).toMatchObject({
      name: 'InvalidSignatureException',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    });
  });

  describe('a signed request replayed with one part changed', () => {
    async function replay(change: (request: Received) => Received): Promise<{ status: number; body: unknown }> {
      await sdk().send(adminGetUser);
      const original = lastReceived!;
      const altered = change({ ...original, headers: { ...original.headers } });
      const headers = Object.fromEntries(
        Object.entries(altered.headers).filter(
          ([name, value]) => typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name),
        ),
      ) as Record<string, string>;
      const response = await fetch(`${endpoint}${altered.url}`, {
        method: altered.method,
        headers,
        body: altered.body,
      });
      return { status: response.status, body: await response.json() };
    }

    it('passes unchanged (the replay itself is faithful)', async () => {
      expect((await replay((request) => request)).status).toBe(200);
    });

    it('fails when the body changes', async () => {
      const answer = await replay((request) => ({
        ...request,
        body: Buffer.from(request.body.toString('utf8').replace('alice@example.com', 'mallory@example.com')),
      }));
      expect(answer).toMatchObject({ status: 400, body: { __type: 'InvalidSignatureException' } });
    });

    it('fails when a signed header changes', async () => {
      const answer = await replay((request) => ({
        ...request,
        headers: { ...request.headers, 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminDeleteUser' },
      }));
      expect(answer).toMatchObject({ status: 400, body: { __type: 'InvalidSignatureException' } });
    });

    it('fails when the signature is replaced by zeros', async () => {
      const answer = await replay((request) => ({
        ...request,
        headers: {
          ...request.headers,
          authorization: String(request.headers.authorization).replace(
            /Signature=[0-9a-f]+/,
            `Signature=${'0'.repeat(64)}`,
          ),
        },
      }));
      expect(answer).toMatchObject({ status: 400, body: { __type: 'InvalidSignatureException' } });
    });

    it('fails when a session token is added', async () => {
      const answer = await replay((request) => ({
        ...request,
        headers: { ...request.headers, 'x-amz-security-token': 'FwoGZXIvYXdzEXAMPLE' },
      }));
      expect(answer).toMatchObject({ status: 400, body: { __type: 'UnrecognizedClientException' } });
    });

    it('answers MissingAuthenticationTokenException without an Authorization header', async () => {
      const answer = await replay((request) => {
        const headers = { ...request.headers };
        delete headers.authorization;
        return { ...request, headers };
      });
      expect(answer).toEqual({
        status: 400,
        body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
      });
    });

    it('answers IncompleteSignatureException for a header without its parts', async () => {
      const answer = await replay((request) => ({
        ...request,
        headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Signature=00' },
      }));
      expect(answer).toMatchObject({ status: 400, body: { __type: 'IncompleteSignatureException' } });
      expect((answer.body as { message: string }).message).toContain(
        "Authorization header requires 'Credential' parameter.",
      );
    });
  });
});

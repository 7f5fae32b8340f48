// SigV4 signing with AWS's own signer (`@smithy/signature-v4`), for the IAM-signed GraphQL requests of the matrices.
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../../local/server/auth/sigv4';
import type { LocalCredentials } from '../../../local/server/credentials';

/** The headers of a POST to `url` with `body`, signed for AppSync (service `appsync`) with `credentials`. */
export async function signedAppSyncHeaders(
  url: string,
  body: string,
  credentials: LocalCredentials,
  region = 'us-east-1',
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({ service: 'appsync', region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port ? Number(target.port) : undefined,
    path: target.pathname,
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  });
  return signed.headers as Record<string, string>;
}

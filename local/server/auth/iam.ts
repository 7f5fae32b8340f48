// AWS_IAM auth on the local API: a SigV4-signed request (service `appsync`, the local region) checked against this
// data folder's credentials, and the caller's identity in AppSync's IAM shape: accountId, sourceIp, userArn,
// username, and the four cognitoIdentity* fields, null for IAM users
// (AppSyncIdentityIAM in Amplify JS, https://aws-amplify.github.io/amplify-js/api/interfaces/aws_amplify.api._Reference_Types_.AppSyncIdentityIAM.html;
// the AppSyncResolverEvent schema of Powertools for AWS Lambda, which types the cognito fields `string | null`).
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalCredentials } from '../credentials';
import { SigV4Error, verifySigV4 } from './sigv4';

export interface IamIdentity {
  accountId: string;
  cognitoIdentityAuthProvider: string | null;
  cognitoIdentityAuthType: string | null;
  cognitoIdentityId: string | null;
  cognitoIdentityPoolId: string | null;
  sourceIp: string[];
  userArn: string;
  username: string;
}

export interface IamSettings {
  credentials: LocalCredentials;
  region: string;
  accountId: string;
}

/** A signature AppSync would refuse, with the signer's words. */
export class IamAuthError extends Error {}

/** True when the Authorization header is a SigV4 signature rather than a token. */
export function isSigV4(authorization: string | undefined): boolean {
  return authorization?.startsWith('AWS4-HMAC-SHA256 ') ?? false;
}

/** The local key pair stands for one IAM user of the local account; its unique id is derived from the key id. */
export function localIamUser(settings: IamSettings): { userArn: string; username: string } {
  return {
    userArn: `arn:aws:iam::${settings.accountId}:user/appsync-local`,
    username: `AIDA${settings.credentials.accessKeyId.replace(/^LOCAL/, '')}`,
  };
}

export async function verifyIamRequest(
  request: { method: string; url: string; headers: IncomingHttpHeaders; body: string; sourceIp: string },
  settings: IamSettings,
): Promise<IamIdentity> {
  try {
    await verifySigV4(request, { service: 'appsync', region: settings.region, credentials: settings.credentials });
  } catch (error) {
    if (error instanceof SigV4Error) throw new IamAuthError(error.message);
    throw error;
  }
  return {
    accountId: settings.accountId,
    cognitoIdentityAuthProvider: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    sourceIp: [request.sourceIp],
    ...localIamUser(settings),
  };
}

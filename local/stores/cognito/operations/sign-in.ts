// InitiateAuth and RespondToAuthChallenge: USER_SRP_AUTH with its PASSWORD_VERIFIER challenge (what Amplify and the
// Cognito SDKs use by default), USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, and NEW_PASSWORD_REQUIRED after a temporary
// password. Behaviour recorded from AWS (ministackorg/ministack#1758, measured on a real pool): the challenge comes
// with USER_ID_FOR_SRP = the internal username and no Session; a wrong password, signature, SECRET_BLOCK, a
// zero-padded day or a wrong weekday in TIMESTAMP are all "NotAuthorizedException: Incorrect username or password.".
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  checkClientId,
  checkPasswordPolicy,
  findUser,
  optionalString,
  passwordFor,
  passwordMatches,
  poolName,
  requireMapString,
  requireStrings,
  startSession,
  type ApiRequest,
  type PoolContext,
} from '../context';
import { readChallengeAttributes } from '../attributes';
import { CognitoError, INCORRECT_CREDENTIALS, invalidParameter, notAuthorized, resourceNotFound } from '../errors';
import type { StoredUser } from '../model';
import {
  formatSrpTimestamp,
  isValidClientEphemeral,
  parseSrpTimestamp,
  passwordClaimSignature,
  serverEphemeral,
  sessionKey,
} from '../srp';
import { openChallenge, sealChallenge } from '../tokens';
import { refreshSession } from './sessions';

const FLOW_PERMISSIONS: Record<string, string> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
};
const KNOWN_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
];

/**
 * How far a TIMESTAMP may be from the pool's clock. Cognito documents no window; a client with a wrong clock fails
 * with "Incorrect username or password." (amazon-archives/amazon-cognito-identity-js#58). We allow 5 minutes, the
 * stricter of the usual AWS windows.
 */
const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export async function initiateAuth(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'AuthFlow']);
  checkClientId(ctx, request.ClientId as string);
  const flow = request.AuthFlow as string;
  if (!KNOWN_FLOWS.includes(flow)) {
    throw invalidParameter(
      `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${KNOWN_FLOWS.join(', ')}]`,
    );
  }
  const permission = FLOW_PERMISSIONS[flow];
  if (!permission) throw invalidParameter(`Initiate Auth method not supported.`);
  if (!ctx.store.doc.client.explicitAuthFlows.includes(permission)) {
    throw invalidParameter(
      `${flow === 'REFRESH_TOKEN' ? 'REFRESH_TOKEN_AUTH' : flow} flow not enabled for this client`,
    );
  }
  const parameters = request.AuthParameters;
  if (parameters !== undefined && (typeof parameters !== 'object' || parameters === null)) {
    throw new CognitoError('SerializationException', 'AuthParameters must be a map of strings');
  }
  switch (flow) {
    case 'USER_SRP_AUTH':
      return startPasswordVerifier(
        ctx,
        requireMapString(parameters, 'USERNAME'),
        requireMapString(parameters, 'SRP_A'),
      );
    case 'USER_PASSWORD_AUTH':
      return passwordSignIn(ctx, requireMapString(parameters, 'USERNAME'), requireMapString(parameters, 'PASSWORD'));
    default: {
      // REFRESH_TOKEN_AUTH: with rotation on, refreshes must go through GetTokensFromRefreshToken (API reference,
      // RefreshTokenRotationType).
      if (ctx.store.doc.client.refreshTokenRotation.enabled) {
        throw invalidParameter('Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken');
      }
      const tokens = await refreshSession(ctx, requireMapString(parameters, 'REFRESH_TOKEN'), { rotate: false });
      return { ChallengeParameters: {}, AuthenticationResult: tokens };
    }
  }
}

/** Refusals after a correct password or proof, in the order Cognito checks them. */
function checkCanSignIn(user: StoredUser): void {
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') {
    throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  }
}

/** Tokens, or the NEW_PASSWORD_REQUIRED challenge for a user still on a temporary password. */
async function finishSignIn(ctx: PoolContext, user: StoredUser) {
  checkCanSignIn(user);
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (user.temporaryPasswordExpiresAt !== undefined && user.temporaryPasswordExpiresAt <= ctx.now()) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
    const { doc } = ctx.store;
    const shown = Object.fromEntries(
      Object.entries(user.attributes).filter(
        ([name]) => !['sub', 'email_verified', 'phone_number_verified'].includes(name),
      ),
    );
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify(shown),
      },
      Session: sealChallenge(ctx.keys, {
        kind: 'NEW_PASSWORD_REQUIRED',
        username: user.username,
        clientId: doc.client.id,
        expiresAt: ctx.now() + doc.client.authSessionValiditySeconds * 1000,
        nonce: randomUUID(),
      }),
    };
  }
  return { ChallengeParameters: {}, AuthenticationResult: await startSession(ctx, user) };
}

async function passwordSignIn(ctx: PoolContext, username: string, password: string) {
  const { doc } = ctx.store;
  const user = findUser(doc, username);
  if (!user) {
    if (doc.client.preventUserExistenceErrors) throw notAuthorized(INCORRECT_CREDENTIALS);
    throw new CognitoError('UserNotFoundException', 'User does not exist.');
  }
  if (!passwordMatches(doc, user, password)) throw notAuthorized(INCORRECT_CREDENTIALS);
  return finishSignIn(ctx, user);
}

/**
 * The PASSWORD_VERIFIER challenge. For an unknown user with existence errors prevented, a challenge that looks the
 * same (a salt and verifier derived from the name, so repeated attempts agree) and that no answer can pass.
 */
function startPasswordVerifier(ctx: PoolContext, name: string, srpA: string) {
  if (!isValidClientEphemeral(srpA)) throw invalidParameter('Invalid SRP_A value.');
  const { doc } = ctx.store;
  const user = findUser(doc, name);
  if (!user && !doc.client.preventUserExistenceErrors) {
    throw new CognitoError('UserNotFoundException', 'User does not exist.');
  }
  const userId = user?.username ?? name;
  const decoy = (purpose: string) =>
    createHmac('sha256', ctx.keys.challengeKey).update(`${purpose}:${name.toLowerCase()}`).digest('hex');
  const salt = user?.password.salt ?? decoy('salt').slice(0, 32);
  const verifier = user?.password.verifier ?? decoy('verifier');
  const ephemeral = serverEphemeral(verifier);
  const secretBlock = sealChallenge(ctx.keys, {
    kind: 'PASSWORD_VERIFIER',
    // An empty username marks the decoy: the answer is refused whatever it is.
    username: user?.username ?? '',
    clientId: doc.client.id,
    A: srpA,
    b: ephemeral.b,
    B: ephemeral.B,
    expiresAt: ctx.now() + doc.client.authSessionValiditySeconds * 1000,
    nonce: randomUUID(),
  });
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: ephemeral.B,
      USERNAME: userId,
      USER_ID_FOR_SRP: userId,
    },
  };
}

export async function respondToAuthChallenge(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'ChallengeName']);
  checkClientId(ctx, request.ClientId as string);
  const responses = request.ChallengeResponses;
  if (typeof responses !== 'object' || responses === null) {
    throw invalidParameter('Missing required parameter ChallengeResponses');
  }
  switch (request.ChallengeName) {
    case 'PASSWORD_VERIFIER':
      return answerPasswordVerifier(ctx, responses as Record<string, unknown>);
    case 'NEW_PASSWORD_REQUIRED':
      return answerNewPassword(ctx, responses as Record<string, unknown>, optionalString(request, 'Session'));
    default:
      throw invalidParameter(`Invalid challenge name ${String(request.ChallengeName)} for this sign-in.`);
  }
}

async function answerPasswordVerifier(ctx: PoolContext, responses: Record<string, unknown>) {
  const username = requireMapString(responses, 'USERNAME');
  const secretBlock = requireMapString(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requireMapString(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requireMapString(responses, 'TIMESTAMP');
  const { doc } = ctx.store;
  const state = openChallenge(ctx.keys, secretBlock, 'PASSWORD_VERIFIER');
  if (!state || state.clientId !== doc.client.id) throw notAuthorized(INCORRECT_CREDENTIALS);
  const now = ctx.now();
  if (state.expiresAt <= now) throw notAuthorized('Invalid session for the user, session is expired.');
  const signedAt = parseSrpTimestamp(timestamp);
  if (signedAt === undefined)
    throw invalidParameter('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
  // Devices are not tracked here, so no device key is known: both clients then forget their device and answer again
  // (amplify-js retryOnResourceNotFoundException, amazon-cognito-identity-js authenticateUserDefaultAuth).
  if (typeof responses.DEVICE_KEY === 'string' && responses.DEVICE_KEY !== '') {
    throw resourceNotFound('Device does not exist.');
  }
  const user = state.username === '' ? undefined : doc.users[state.username];
  const named = findUser(doc, username);
  if (!user || named?.username !== user.username) throw notAuthorized(INCORRECT_CREDENTIALS);
  if (Math.abs(signedAt - now) > TIMESTAMP_WINDOW_MS) throw notAuthorized(INCORRECT_CREDENTIALS);
  if (ctx.answeredChallenges.has(state.nonce)) throw notAuthorized(INCORRECT_CREDENTIALS);

  // Only the canonical form names the instant: a zero-padded day or a wrong weekday is refused even when signed.
  if (formatSrpTimestamp(signedAt) !== timestamp) throw notAuthorized(INCORRECT_CREDENTIALS);

  const key = sessionKey({ A: state.A, B: state.B, b: state.b, verifier: user.password.verifier });
  const expected =
    key &&
    passwordClaimSignature(key, {
      poolName: poolName(doc),
      userId: user.username,
      secretBlock: Buffer.from(secretBlock, 'base64'),
      timestamp,
    });
  const given = Buffer.from(signature, 'utf8');
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, 'utf8'))) {
    throw notAuthorized(INCORRECT_CREDENTIALS);
  }
  for (const [nonce, expiresAt] of ctx.answeredChallenges) if (expiresAt <= now) ctx.answeredChallenges.delete(nonce);
  ctx.answeredChallenges.set(state.nonce, state.expiresAt);
  return finishSignIn(ctx, user);
}

async function answerNewPassword(ctx: PoolContext, responses: Record<string, unknown>, session: string | undefined) {
  const username = requireMapString(responses, 'USERNAME');
  const newPassword = requireMapString(responses, 'NEW_PASSWORD');
  const { doc } = ctx.store;
  const state = session === undefined ? undefined : openChallenge(ctx.keys, session, 'NEW_PASSWORD_REQUIRED');
  if (!state || state.clientId !== doc.client.id) throw notAuthorized('Invalid session for the user.');
  if (state.expiresAt <= ctx.now()) throw notAuthorized('Invalid session for the user, session is expired.');
  if (ctx.answeredChallenges.has(state.nonce)) throw notAuthorized('Invalid session for the user.');
  const user = doc.users[state.username];
  if (!user || findUser(doc, username)?.username !== user.username || user.status !== 'FORCE_CHANGE_PASSWORD') {
    throw notAuthorized('Invalid session for the user.');
  }
  checkPasswordPolicy(newPassword, doc.pool.passwordPolicy);
  const attributes = readChallengeAttributes(responses, user.attributes);
  if (attributes.email !== undefined) {
    const holder = findUser(doc, attributes.email);
    if (holder && holder.username !== user.username) {
      throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
    }
  }
  const updated = await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '') delete stored.attributes[name];
      else stored.attributes[name] = value;
    }
    stored.password = passwordFor(draft, user.username, newPassword);
    stored.status = 'CONFIRMED';
    delete stored.temporaryPasswordExpiresAt;
    stored.updatedAt = ctx.now();
    return structuredClone(stored);
  });
  ctx.answeredChallenges.set(state.nonce, state.expiresAt);
  return finishSignIn(ctx, updated);
}

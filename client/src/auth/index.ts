// Browser-safe sign-in for a Cognito user pool (on AWS or the local AppSync's pool): SRP sign-in, refresh, sign-out,
// sign-up and password reset, with typed errors. No Node built-ins: fetch, BigInt and WebCrypto only.
export {
  callUserPool,
  confirmForgotPassword,
  confirmSignUp,
  forgotPassword,
  refreshTokens,
  resendSignUpCode,
  revokeRefreshToken,
  signIn,
  signOut,
  signUp,
  userPoolEndpoint,
  type AuthTokens,
  type SignUpResult,
  type UserPoolConfig,
} from './user-pool.js';
export { createAuthSession, tokenExpiry, type AuthSession, type AuthSessionOptions } from './session.js';
export {
  ChallengeRequiredError,
  CognitoAuthError,
  CognitoNetworkError,
  isCognitoError,
  type CognitoErrorCode,
} from './errors.js';
export { srpTimestamp, startSrp, type PasswordClaim, type PasswordVerifierChallenge, type SrpSession } from './srp.js';

// Errors of the sign-in helper, typed so a caller can switch on them.

/** The Cognito error types a sign-in, refresh or sign-out can answer with; any other arrives verbatim. */
export type CognitoErrorCode =
  | 'NotAuthorizedException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'PasswordResetRequiredException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'LimitExceededException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'UsernameExistsException'
  | 'InternalErrorException';

/** An error answer of the Cognito API: `code` is its `__type`, `message` Cognito's own text. */
export class CognitoAuthError extends Error {
  override readonly name = 'CognitoAuthError';
  readonly code: CognitoErrorCode | (string & {});
  /** The HTTP status (400 for every client error). */
  readonly status: number;

  constructor(code: CognitoErrorCode | (string & {}), message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/**
 * Cognito asked for a step this helper does not take (NEW_PASSWORD_REQUIRED, an MFA code, ...): the caller can
 * answer it with RespondToAuthChallenge, passing `session`.
 */
export class ChallengeRequiredError extends Error {
  override readonly name = 'ChallengeRequiredError';
  readonly challengeName: string;
  readonly parameters: Record<string, string>;
  readonly session: string | undefined;

  constructor(challengeName: string, parameters: Record<string, string>, session: string | undefined) {
    super(`Cognito asks for the ${challengeName} challenge, which this sign-in helper does not answer`);
    this.challengeName = challengeName;
    this.parameters = parameters;
    this.session = session;
  }
}

/** The user pool could not be reached, or answered with something that is not the Cognito API. */
export class CognitoNetworkError extends Error {
  override readonly name = 'CognitoNetworkError';
}

export function isCognitoError(error: unknown, code?: CognitoErrorCode): error is CognitoAuthError {
  return error instanceof CognitoAuthError && (code === undefined || error.code === code);
}

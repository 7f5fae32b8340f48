// Cognito's error answers: `{ "__type": "<Name>", "message": "..." }` with HTTP 400 for every client error, as the
// AWS JSON protocol sends them (the SDKs read the name from __type or the x-amzn-errortype header).

export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
export const resourceNotFound = (message: string) => new CognitoError('ResourceNotFoundException', message);

/** The one message Cognito gives for a wrong password, an unknown user (with existence errors prevented), a bad proof. */
export const INCORRECT_CREDENTIALS = 'Incorrect username or password.';

/** `1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null`. */
export function validationErrors(problems: string[]): CognitoError {
  const count = `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected`;
  return new CognitoError('InvalidParameterException', `${count}: ${problems.join('; ')}`);
}

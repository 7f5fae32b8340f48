// One sentence for a person, whatever failed: the API (by errorType), storage, sign-in, or the network.
import { NotesApiError } from '@appsync-notes/client';
import { CognitoError } from './cognito';

export function describeError(error: unknown): string {
  if (error instanceof NotesApiError) {
    switch (error.errorType) {
      case 'UnauthorizedException':
        return 'Your sign-in is no longer valid. Sign in again.';
      case 'NotFound':
        return 'This note no longer exists. It may have been deleted elsewhere.';
      case 'ConflictError':
        return 'This note was changed elsewhere.';
      case 'ValidationError':
        return error.message;
      case undefined:
        // AppSync's own refusals (a query or variables it does not accept) carry a message and no errorType.
        if (error.errors.length > 0) return `Something went wrong: ${error.message}`;
        return error.status === 0
          ? 'The notes service cannot be reached. Check your connection and try again.'
          : `The notes service failed (HTTP ${error.status}). Try again.`;
      default:
        return error.errorType.startsWith('S3:') ? error.message : `Something went wrong: ${error.message}`;
    }
  }
  if (error instanceof CognitoError) {
    switch (error.code) {
      case 'NotAuthorizedException':
        return 'Wrong email or password.';
      case 'UserNotFoundException':
        return 'No account uses this email. Create one first.';
      case 'UsernameExistsException':
        return 'An account already uses this email. Sign in instead.';
      case 'UserNotConfirmedException':
        return 'This account is not confirmed yet: enter the code you were sent.';
      case 'CodeMismatchException':
        return 'That code is not right. Check it and try again.';
      case 'InvalidPasswordException':
        return error.message.replace(/^Password did not conform with policy: /, 'The password is too weak: ');
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

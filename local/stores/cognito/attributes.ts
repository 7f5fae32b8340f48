// User attributes: which exist, which an app client may write, and the errors Cognito gives otherwise. The pool has
// Cognito's standard attributes and no custom ones; the app client may write every standard attribute except the
// ones Cognito owns (sub) or sets itself after a verification (email_verified, phone_number_verified), like an app
// client created without WriteAttributes. Admin calls (IAM-signed) may also write the verified flags, never sub.
import { CognitoError, invalidParameter, notAuthorized } from './errors';

export const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'updated_at',
  'website',
  'zoneinfo',
]);

/** Never writable by anyone: Cognito assigns it. */
const IMMUTABLE = new Set(['sub']);
/** Written by Cognito when a code is confirmed, or by an administrator. */
const ADMIN_ONLY = new Set(['email_verified', 'phone_number_verified']);

/** The `userAttributes.<name>` entries of a NEW_PASSWORD_REQUIRED answer, as a `UserAttributes` list. */
export function challengeAttributes(responses: Record<string, unknown>): AttributeInput[] {
  return Object.entries(responses)
    .filter(([key]) => key.startsWith('userAttributes.'))
    .map(([key, Value]) => ({ Name: key.slice('userAttributes.'.length), Value }));
}

/**
 * The attributes a user sets while answering NEW_PASSWORD_REQUIRED. Cognito refuses the verified flags there with
 * "Cannot modify the non-mutable attribute email_verified" (aws-amplify/aws-sdk-ios#2203, an app echoing the
 * attributes it was shown) and an email the user already has with NotAuthorizedException "Cannot modify an already
 * provided email" (aws-samples/aws-saas-factory-bootcamp#67, sending the same address back); sub is refused as on
 * every update. Anything else goes through the app client's write rules.
 */
export function readChallengeAttributes(
  responses: Record<string, unknown>,
  current: Record<string, string>,
): Record<string, string> {
  const list = challengeAttributes(responses);
  for (const { Name } of list) {
    if (typeof Name === 'string' && ADMIN_ONLY.has(Name)) {
      throw invalidParameter(`Cannot modify the non-mutable attribute ${Name}`);
    }
  }
  const attributes = readAttributes(list, 'client', { checkSubFirst: true, parameter: 'challengeResponses' });
  if (attributes.email !== undefined && current.email !== undefined) {
    throw notAuthorized('Cannot modify an already provided email');
  }
  return attributes;
}

export type AttributeWriter = 'client' | 'admin';

export interface AttributeInput {
  Name?: unknown;
  Value?: unknown;
}

/**
 * Reads a request's `UserAttributes` list into name → value, refusing what the writer may not set:
 * - an app client writing sub, a verified flag or an attribute the pool does not have:
 *   NotAuthorizedException "A client attempted to write unauthorized attribute" (SignUp with email_verified,
 *   aws/aws-sdk-js#3603; with a name outside the schema, aws-amplify/amplify-js#5345);
 * - sub on an update, or on AdminCreateUser: InvalidParameterException "Cannot modify the non-mutable attribute sub"
 *   (recorded from AWS in iampanupat/CS499-AlphanahBackend AccountServiceUnitTest for UpdateUserAttributes);
 * - a null value: InvalidParameterException "Attribute value for <name> must not be null" (same source);
 * - a malformed email: InvalidParameterException "Invalid email address format." (same source).
 * `checkSubFirst` is true for updates, where Cognito answers sub with the non-mutable error even for a client.
 */
export function readAttributes(
  list: unknown,
  writer: AttributeWriter,
  options: { checkSubFirst?: boolean; parameter?: string } = {},
): Record<string, string> {
  const parameter = options.parameter ?? 'userAttributes';
  if (list === undefined || list === null) return {};
  if (!Array.isArray(list)) throw new CognitoError('SerializationException', `${parameter} must be a list`);
  const attributes: Record<string, string> = {};
  for (const item of list as AttributeInput[]) {
    if (typeof item !== 'object' || item === null || typeof item.Name !== 'string') {
      throw invalidParameter(
        `1 validation error detected: Value null at '${parameter}.member.name' failed to satisfy constraint: Member must not be null`,
      );
    }
    const name = item.Name;
    if (IMMUTABLE.has(name) && (writer === 'admin' || options.checkSubFirst)) {
      throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    }
    if (writer === 'client' && (IMMUTABLE.has(name) || ADMIN_ONLY.has(name) || !STANDARD_ATTRIBUTES.has(name))) {
      throw notAuthorized('A client attempted to write unauthorized attribute');
    }
    if (writer === 'admin' && !STANDARD_ATTRIBUTES.has(name)) {
      throw invalidParameter(
        `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`,
      );
    }
    if (item.Value === undefined || item.Value === null) {
      throw invalidParameter(`Attribute value for ${name} must not be null`);
    }
    if (typeof item.Value !== 'string') throw new CognitoError('SerializationException', `${name} must be a string`);
    if (item.Value.length > 2048) {
      throw invalidParameter(
        `Attributes did not conform to the schema: ${name}: String must be no longer than 2048 characters`,
      );
    }
    if (name === 'email' && item.Value !== '' && !isEmailAddress(item.Value)) {
      throw invalidParameter('Invalid email address format.');
    }
    if (ADMIN_ONLY.has(name) && item.Value !== 'true' && item.Value !== 'false') {
      throw invalidParameter(
        `Attributes did not conform to the schema: ${name}: Attribute value must be true or false`,
      );
    }
    attributes[name] = item.Value;
  }
  return attributes;
}

export function isEmailAddress(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 256;
}

/** As Cognito lists attributes: `[{ Name, Value }]`, sub first. */
export function attributeList(attributes: Record<string, string>): Array<{ Name: string; Value: string }> {
  return Object.entries(attributes)
    .sort(([a], [b]) => (a === 'sub' ? -1 : b === 'sub' ? 1 : a.localeCompare(b)))
    .map(([Name, Value]) => ({ Name, Value }));
}

/** `alice@example.com` → `a***@e***`: how Cognito shows where a code went. */
export function maskedEmail(email: string): string {
  const [local, domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

// util.matches and util.authType.
import { currentEvaluation } from '../evaluation';
import { isPlainObject, requireString } from './internal/args';
import { javaRegexForWholeMatch } from './internal/java-regex';

/** True when the whole of `value` matches the Java regular expression `pattern`, as Pattern.matches decides. */
function matches(pattern: string, value: string): boolean {
  requireString('util.matches', 'pattern', pattern);
  requireString('util.matches', 'value', value);
  let regex: RegExp;
  try {
    regex = javaRegexForWholeMatch(pattern);
  } catch (error) {
    throw new SyntaxError(`util.matches: invalid or unsupported pattern '${pattern}': ${(error as Error).message}`);
  }
  return regex.test(value);
}

const AUTH_TYPE_NAMES: Record<string, string> = {
  API_KEY: 'API Key Authorization',
  AWS_IAM: 'IAM Authorization',
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
};

interface IdentityShape {
  authType: string;
  allowed: string[];
  required: string[];
}

// Each authorization mode gives ctx.identity its own shape. An identity that holds a key foreign to a shape, or
// lacks (or nulls) one of its required keys, is not of that mode; one of no mode reads as an API key request. This
// matches what AppSync's EvaluateCode answers for mixed and partial identities.
const IDENTITY_SHAPES: IdentityShape[] = [
  { authType: AUTH_TYPE_NAMES.AWS_LAMBDA, allowed: ['resolverContext', 'handlerContext'], required: [] },
  {
    authType: AUTH_TYPE_NAMES.AWS_IAM,
    allowed: [
      'accountId',
      'cognitoIdentityPoolId',
      'cognitoIdentityId',
      'sourceIp',
      'username',
      'userArn',
      'cognitoIdentityAuthType',
      'cognitoIdentityAuthProvider',
    ],
    required: ['accountId', 'sourceIp', 'username', 'userArn'],
  },
  {
    authType: AUTH_TYPE_NAMES.AMAZON_COGNITO_USER_POOLS,
    allowed: ['sourceIp', 'username', 'groups', 'sub', 'issuer', 'claims', 'defaultAuthStrategy'],
    required: ['sourceIp', 'username', 'sub', 'issuer', 'claims', 'defaultAuthStrategy'],
  },
  {
    authType: AUTH_TYPE_NAMES.OPENID_CONNECT,
    allowed: ['sub', 'issuer', 'claims'],
    required: ['sub', 'issuer', 'claims'],
  },
];

function fitsShape(identity: Record<string, unknown>, shape: IdentityShape): boolean {
  const keys = Object.keys(identity);
  return (
    keys.every((key) => shape.allowed.includes(key)) &&
    shape.required.every((key) => identity[key] !== undefined && identity[key] !== null)
  );
}

function authTypeOfIdentity(identity: unknown): string {
  if (!isPlainObject(identity)) return AUTH_TYPE_NAMES.API_KEY;
  return IDENTITY_SHAPES.find((shape) => fitsShape(identity, shape))?.authType ?? AUTH_TYPE_NAMES.API_KEY;
}

/** The request's authorization mode, as AppSync names it: known to a server, else read from the identity. */
function authType(): string {
  const state = currentEvaluation();
  if (state.authType === undefined) return authTypeOfIdentity(state.identity);
  const name = AUTH_TYPE_NAMES[state.authType];
  if (name !== undefined) return name;
  if (Object.values(AUTH_TYPE_NAMES).includes(state.authType)) return state.authType;
  throw new Error(
    `Unknown authorization type '${state.authType}' (expected one of ${Object.keys(AUTH_TYPE_NAMES).join(', ')})`,
  );
}

export const miscUtils = { matches, authType };

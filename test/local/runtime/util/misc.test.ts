import { afterEach, describe, expect, it } from 'vitest';
import { beginEvaluation, endEvaluation, newEvaluationState } from '../../../../local/runtime/realm/evaluation';
import { miscUtils } from '../../../../local/runtime/realm/utils/misc';

afterEach(() => endEvaluation());

describe('util.matches', () => {
  // AppSync's documented example: util.matches("a*b", "aaaaab") is true.
  it('matches the documented example', () => {
    expect(miscUtils.matches('a*b', 'aaaaab')).toBe(true);
  });

  it('needs the whole value to match, as Java Pattern.matches does', () => {
    expect(miscUtils.matches('a*b', 'aaaaabc')).toBe(false);
    expect(miscUtils.matches('b', 'abc')).toBe(false);
  });

  // Expected values from java.util.regex.Pattern.matches on JDK 17.
  it.each([
    ['[]a]+', ']a]', true],
    ['a\\-b', 'a-b', true],
    ['\\p{Alpha}+', 'abc', true],
    ['\\p{Alpha}+', 'ab1', false],
    ['(?i)abc', 'ABC', true],
    ['a{2}', 'aa', true],
    ['a}', 'a}', true],
    ['a]', 'a]', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['[\\w-]+', 'a-b', true],
    ['\\s', '\u00a0', false],
    ['\\s+', ' \t\n', true],
    ['\\d{3}-\\d{4}', '555-1234', true],
    ['\\d+', '١٢٣', false],
    ['\\w+', 'héllo', false],
    ['^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$', 'user@example.com', true],
    ['.*', 'line1\nline2', false],
    ['(?s).*', 'line1\nline2', true],
    ['(?m)^a$', 'a', true],
    ['\\p{L}+', 'héllo', true],
    ['\\p{Lu}', 'A', true],
    ['\\p{IsLatin}+', 'abc', true],
    ['[\\p{Digit}x]+', '12x', true],
    ['\\h', ' ', true],
    ['\\v', '\n', true],
    ['\\R', '\r\n', true],
    ['(a)(b)\\2', 'abb', true],
    ['(?<x>a)\\k<x>', 'aa', true],
    ['\\x41\\u0042\\x{43}', 'ABC', true],
    ['\\0101', 'A', true],
    ['\\e', '\u001b', true],
    ['\\/', '/', true],
    ['a/b', 'a/b', true],
    ['\\#', '#', true],
    ['😀+', '😀😀', true],
    ['.', '😀', true],
    ['\\Aab\\z', 'ab', true],
    ['ab\\Z', 'ab\n', false],
    ['[^\\s]+', 'abc', true],
    ['[\\S]+', 'abc', true],
    ['\\bfoo\\b', 'foo', true],
    ['\\cA', '\u0001', true],
  ] as const)('matches(%j, %j) is %s', (pattern, value, expected) => {
    expect(miscUtils.matches(pattern, value)).toBe(expected);
  });

  it.each(['[', '(', 'a{', '\\y'])('rejects the invalid pattern %j', (pattern) => {
    expect(() => miscUtils.matches(pattern, 'x')).toThrow(/util\.matches: invalid or unsupported pattern/);
  });

  it.each(['a*+a', '(?>a)', '[a-z&&[^aeiou]]+', '[a-d[m-p]]', 'a(?i)b', '\\X'])(
    'refuses the Java-only construct %j rather than match differently',
    (pattern) => {
      expect(() => miscUtils.matches(pattern, 'a')).toThrow(/util\.matches: invalid or unsupported pattern/);
    },
  );

  it('rejects a value that is not a string', () => {
    expect(() => miscUtils.matches('a', null as unknown as string)).toThrow(
      'util.matches: value must be a string, got null',
    );
  });
});

const COGNITO_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123';
const IAM_IDENTITY = {
  accountId: '123456789012',
  cognitoIdentityPoolId: null,
  cognitoIdentityId: null,
  sourceIp: ['1.2.3.4'],
  username: 'AKIAIOSFODNN7EXAMPLE',
  userArn: 'arn:aws:iam::123456789012:user/alice',
  cognitoIdentityAuthType: null,
  cognitoIdentityAuthProvider: null,
};
const USER_POOL_IDENTITY = {
  sourceIp: ['1.2.3.4'],
  username: 'alice',
  groups: ['admins'],
  sub: 'sub-1',
  issuer: COGNITO_ISSUER,
  claims: { sub: 'sub-1', iss: COGNITO_ISSUER, 'cognito:username': 'alice' },
  defaultAuthStrategy: 'ALLOW',
};
const OIDC_IDENTITY = {
  sub: 'sub-1',
  issuer: 'https://accounts.example.com',
  claims: { sub: 'sub-1', iss: 'https://accounts.example.com' },
};

function without(identity: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...identity };
  delete copy[key];
  return copy;
}

function authTypeFor(identity: unknown): string {
  beginEvaluation(newEvaluationState({ identity }));
  return miscUtils.authType();
}

// Expected values recorded from AppSync's EvaluateCode (localstack/appsync-utils authType snapshots).
describe('util.authType', () => {
  it.each([
    ['no identity', undefined, 'API Key Authorization'],
    ['a null identity', null, 'API Key Authorization'],
    ['a Lambda authorizer identity', { resolverContext: { userId: 'alice' } }, 'Lambda Authorization'],
    ['an empty identity (Lambda authorizer without context)', {}, 'Lambda Authorization'],
    ['an IAM identity', IAM_IDENTITY, 'IAM Authorization'],
    [
      'an IAM identity from a Cognito identity pool',
      {
        ...IAM_IDENTITY,
        cognitoIdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
        cognitoIdentityId: 'us-east-1:11111111-1111-1111-1111-111111111111',
        cognitoIdentityAuthType: 'authenticated',
        cognitoIdentityAuthProvider: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123',
      },
      'IAM Authorization',
    ],
    ['a user pool identity', USER_POOL_IDENTITY, 'User Pool Authorization'],
    ['a user pool identity without groups', without(USER_POOL_IDENTITY, 'groups'), 'User Pool Authorization'],
    ['an OIDC identity', OIDC_IDENTITY, 'Open ID Connect Authorization'],
    ['an IAM identity missing its user ARN', without(IAM_IDENTITY, 'userArn'), 'API Key Authorization'],
    ['an IAM identity whose source IP is null', { ...IAM_IDENTITY, sourceIp: null }, 'API Key Authorization'],
    [
      'a user pool identity missing its default strategy',
      without(USER_POOL_IDENTITY, 'defaultAuthStrategy'),
      'API Key Authorization',
    ],
    ['a user pool identity missing its source IP', without(USER_POOL_IDENTITY, 'sourceIp'), 'API Key Authorization'],
    ['an identity holding only claims', { claims: OIDC_IDENTITY.claims }, 'API Key Authorization'],
    ['an OIDC identity beside a username', { ...OIDC_IDENTITY, username: 'alice' }, 'API Key Authorization'],
  ])('reads %s as %s', (_name, identity, expected) => {
    expect(authTypeFor(identity)).toBe(expected);
  });

  it('reads an Event API Lambda identity (handlerContext) as Lambda', () => {
    expect(authTypeFor({ handlerContext: {} })).toBe('Lambda Authorization');
  });

  it.each([
    ['API_KEY', 'API Key Authorization'],
    ['AWS_IAM', 'IAM Authorization'],
    ['AMAZON_COGNITO_USER_POOLS', 'User Pool Authorization'],
    ['OPENID_CONNECT', 'Open ID Connect Authorization'],
    ['AWS_LAMBDA', 'Lambda Authorization'],
  ])('names the auth type %s a server sets as %s, whatever the identity', (authType, expected) => {
    beginEvaluation(newEvaluationState({ authType, identity: USER_POOL_IDENTITY }));
    expect(miscUtils.authType()).toBe(expected);
  });

  it('accepts an auth type already given by its AppSync name', () => {
    beginEvaluation(newEvaluationState({ authType: 'IAM Authorization' }));
    expect(miscUtils.authType()).toBe('IAM Authorization');
  });

  it('rejects an auth type it does not know', () => {
    beginEvaluation(newEvaluationState({ authType: 'BASIC' }));
    expect(() => miscUtils.authType()).toThrow("Unknown authorization type 'BASIC'");
  });
});

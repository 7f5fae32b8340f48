// AppSync's built-in scalars and directives, which a deployed schema uses without declaring. The local server
// declares them before building the schema, and gives each scalar AppSync's rules for values coming in (variables
// and literals) and going out (resolver results).
//
// The rules, from https://docs.aws.amazon.com/appsync/latest/devguide/scalars.html and the descriptions AppSync's
// own introspection gives (AWSDateTime: negative years `-YYYY`, 1 to 9 digits of fractional seconds, offset
// compulsory, `±hh:mm:ss` offsets; AWSTimestamp: seconds, from -31557014167219200 to 31556889864403199):
// - AWSDate `YYYY-MM-DD`, AWSTime `hh:mm[:ss[.fffffffff]]`, both with an optional offset (`Z`, `±hh:mm`,
//   `±hh:mm:ss`); AWSDateTime `<date>T<time><offset>` with the offset required. Years are four digits, optionally
//   negative; each part is checked against the calendar and the clock (no 24:00, no February 30).
// - AWSTimestamp: an integer number of seconds in the range above.
// - AWSEmail: `local-part@domain-part` (RFC 822); no whitespace, a dotted domain.
// - AWSJSON: JSON text ("unquoted strings or other invalid JSON result in a GraphQL validation error"); resolvers
//   get it parsed, and what they return is sent back as JSON text (a string they return must itself be JSON).
// - AWSURL: a scheme and the rest of the URL (`https://...`, `mailto:...`), no whitespace and no `//` in the path.
// - AWSPhone: digits in groups separated by spaces or hyphens; with a `+` country code, 8 to 15 digits in all;
//   without one, a North American (NANP) number: 10 digits, area code and exchange not starting with 0 or 1.
// - AWSIPAddress: an IPv4 or IPv6 address, optionally with a CIDR prefix length (`/24`, `/64`); each IPv4 part at
//   most 255.
// Where the documents leave room (AWSEmail's domain, AWSPhone's separators), the stricter reading is taken.
//
// The errors' words are AppSync's where a captured response shows them ("Unable to parse `2019` as a valid DateTime
// Object.", "... as a valid date.", "... as a valid phone number.", "Unable to serialize `...` as a valid timestamp.
// Ensure that ..."), and the same pattern for the other scalars.
import { isIPv4, isIPv6 } from 'node:net';
import { buildSchema, GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';

const DECLARATIONS = `
scalar AWSDate
scalar AWSTime
scalar AWSDateTime
scalar AWSTimestamp
scalar AWSEmail
scalar AWSJSON
scalar AWSURL
scalar AWSPhone
scalar AWSIPAddress
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
`;

/** A resolver's result that a scalar cannot send; the engine reports it as AppSync does (with the field's path). */
export class ScalarSerializationError extends Error {}

interface ScalarRule {
  name: string;
  /** How AppSync's errors name what the value should have been (`a valid <what>.`). */
  what: string;
  /** Said after the first sentence of each error (AWSTimestamp's reminder of its range). */
  hint?: string;
  /** The value resolvers see for a valid input, or undefined when it is not valid. */
  parse(value: unknown): unknown;
  /** The literal kinds a document may use for it. */
  literal: Kind;
  /** What is sent for a resolver's result, or undefined when it cannot be sent. */
  serialize(value: unknown): unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function scalar(rule: ScalarRule): GraphQLScalarType {
  const sentence = (verb: string, value: unknown) =>
    `Unable to ${verb} \`${text(value)}\` as a valid ${rule.what}.${rule.hint ? ` ${rule.hint}` : ''}`;
  const parseValue = (value: unknown) => {
    const parsed = rule.parse(value);
    if (parsed === undefined) throw new GraphQLError(sentence('parse', value));
    return parsed;
  };
  return new GraphQLScalarType({
    name: rule.name,
    serialize(value) {
      const sent = rule.serialize(value);
      if (sent === undefined) throw new ScalarSerializationError(sentence('serialize', value));
      return sent;
    },
    parseValue,
    // Undefined, not an error, for a literal it refuses: graphql-js then reports the literal with its location.
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== rule.literal) return undefined;
      return rule.parse(ast.kind === Kind.INT ? Number(ast.value) : (ast as { value: string }).value);
    },
  });
}

/** A string scalar: valid strings are passed on as they are, both ways. */
function stringScalar(name: string, what: string, valid: (value: string) => boolean): GraphQLScalarType {
  const check = (value: unknown) => (typeof value === 'string' && valid(value) ? value : undefined);
  return scalar({ name, what, parse: check, serialize: check, literal: Kind.STRING });
}

// Dates and times ---------------------------------------------------------------------------------------------

const DATE = String.raw`(-?\d{4})-(\d{2})-(\d{2})`;
const TIME = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?`;
const OFFSET = String.raw`(Z|[+-](\d{2}):(\d{2})(?::(\d{2}))?)`;

const DATE_PATTERN = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_PATTERN = new RegExp(`^${TIME}${OFFSET}?$`);
const DATE_TIME_PATTERN = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);

function isDate(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const y = Number(year); // proleptic Gregorian, year 0 included, as ISO 8601 counts
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

function isTime(hours: string, minutes: string, seconds: string | undefined): boolean {
  return Number(hours) <= 23 && Number(minutes) <= 59 && (seconds === undefined || Number(seconds) <= 59);
}

function isOffset(offset: string | undefined, hours: string | undefined, minutes?: string, seconds?: string) {
  if (offset === undefined || offset === 'Z') return true;
  const total = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0);
  return Number(minutes) <= 59 && Number(seconds ?? 0) <= 59 && total <= 18 * 3600;
}

function isAwsDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  return m !== null && isDate(m[1], m[2], m[3]) && isOffset(m[4], m[5], m[6], m[7]);
}

function isAwsTime(value: string): boolean {
  const m = TIME_PATTERN.exec(value);
  return m !== null && isTime(m[1], m[2], m[3]) && isOffset(m[4], m[5], m[6], m[7]);
}

function isAwsDateTime(value: string): boolean {
  const m = DATE_TIME_PATTERN.exec(value);
  return m !== null && isDate(m[1], m[2], m[3]) && isTime(m[4], m[5], m[6]) && isOffset(m[7], m[8], m[9], m[10]);
}

// Beyond 2^53: compared exactly as big integers.
const TIMESTAMP_MIN = -31557014167219200n;
const TIMESTAMP_MAX = 31556889864403199n;

function timestamp(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  const seconds = BigInt(value);
  return seconds >= TIMESTAMP_MIN && seconds <= TIMESTAMP_MAX ? value : undefined;
}

// Addresses ---------------------------------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

const URL_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*):(\/\/[^\s/?#]+)?([^\s?#]*)(\?[^\s#]*)?(#\S*)?$/;

function isAwsUrl(value: string): boolean {
  const m = URL_PATTERN.exec(value);
  if (!m) return false;
  const [, scheme, authority, path] = m;
  if (authority === undefined) return scheme.toLowerCase() === 'mailto' && EMAIL.test(path);
  const host = authority.slice(2).replace(/^[^@]*@/, '');
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  const validHost = host.startsWith('[')
    ? isIPv6(hostname) && /^\[[^\]]+\](:\d+)?$/.test(host)
    : /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/.test(hostname);
  return validHost && !path.includes('//');
}

function isAwsPhone(value: string): boolean {
  if (!/^\+?\d[\d -]*\d$/.test(value) || /[ -]{2}/.test(value)) return false;
  const digits = value.replace(/[^\d]/g, '');
  if (value.startsWith('+')) return digits.length >= 8 && digits.length <= 15 && digits[0] !== '0';
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(digits);
}

function isAwsIpAddress(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || address.includes('%')) return false;
  const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  if (bits === 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
}

// JSON --------------------------------------------------------------------------------------------------------

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

const SCALARS: GraphQLScalarType[] = [
  stringScalar('AWSDate', 'date', isAwsDate),
  stringScalar('AWSTime', 'time', isAwsTime),
  stringScalar('AWSDateTime', 'DateTime Object', isAwsDateTime),
  scalar({
    name: 'AWSTimestamp',
    what: 'timestamp',
    hint: "Ensure that the value provided is an Integer that lies within the limits specified in this scalar's description.",
    parse: timestamp,
    serialize: timestamp,
    literal: Kind.INT,
  }),
  stringScalar('AWSEmail', 'email address', (value) => EMAIL.test(value)),
  scalar({
    name: 'AWSJSON',
    what: 'JSON',
    // `"null"` is JSON too: null (a value) is told apart from undefined (not JSON).
    parse: parseJson,
    serialize(value) {
      if (typeof value !== 'string') return JSON.stringify(value);
      return parseJson(value) === undefined ? undefined : value;
    },
    literal: Kind.STRING,
  }),
  stringScalar('AWSURL', 'URL', isAwsUrl),
  stringScalar('AWSPhone', 'phone number', isAwsPhone),
  stringScalar('AWSIPAddress', 'IP address', isAwsIpAddress),
];

/** Builds an executable schema from AppSync schema text (which does not declare AppSync's own scalars). */
export function buildAppSyncSchema(schemaText: string): GraphQLSchema {
  const schema = buildSchema(`${DECLARATIONS}\n${schemaText}`);
  for (const scalar of SCALARS) {
    const target = schema.getType(scalar.name) as GraphQLScalarType;
    Object.assign(target, {
      serialize: scalar.serialize,
      parseValue: scalar.parseValue,
      parseLiteral: scalar.parseLiteral,
    });
  }
  return schema;
}

// AppSync's built-in scalars and directives, which a deployed schema uses without declaring. The local server
// declares them before building the schema, and gives each scalar AppSync's validation and serialisation.
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

/** A string scalar checked by a pattern (AppSync's formats: extended ISO 8601, RFC 822 addresses, ...). */
function patternScalar(name: string, pattern: RegExp, what: string): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new GraphQLError(`Can't serialize value: Invalid ${what}: ${JSON.stringify(value)}`);
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    serialize: check,
    parseValue: check,
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`Invalid ${what}: expected a string`);
      return check(ast.value);
    },
  });
}

const DATE = String.raw`\d{4}-\d{2}-\d{2}`;
const TIME = String.raw`\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?`;
const OFFSET = String.raw`(Z|[+-]\d{2}:\d{2}(:\d{2})?)`;

function isValidDateParts(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function dateScalar(name: string, pattern: RegExp, what: string): GraphQLScalarType {
  const base = patternScalar(name, pattern, what);
  const check = (value: unknown): string => {
    const text = base.parseValue(value) as string;
    if (!isValidDateParts(text)) throw new GraphQLError(`Invalid ${what}: ${JSON.stringify(value)}`);
    return text;
  };
  return new GraphQLScalarType({
    name,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast) => check(base.parseLiteral(ast)),
  });
}

const AWSTimestamp = new GraphQLScalarType({
  name: 'AWSTimestamp',
  serialize(value) {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new GraphQLError(`Can't serialize value: Invalid AWSTimestamp: ${JSON.stringify(value)}`);
    }
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new GraphQLError('Invalid AWSTimestamp');
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Invalid AWSTimestamp: expected an integer');
    return Number(ast.value);
  },
});

/** AWSJSON travels as JSON text; resolvers receive it parsed, and what they return is sent back as text. */
const AWSJSON = new GraphQLScalarType({
  name: 'AWSJSON',
  serialize(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
  },
  parseValue(value) {
    if (typeof value !== 'string') throw new GraphQLError('Invalid AWSJSON: expected a JSON string');
    try {
      return JSON.parse(value);
    } catch {
      throw new GraphQLError(`Invalid AWSJSON: ${JSON.stringify(value)} is not JSON`);
    }
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Invalid AWSJSON: expected a JSON string');
    try {
      return JSON.parse(ast.value);
    } catch {
      throw new GraphQLError(`Invalid AWSJSON: ${JSON.stringify(ast.value)} is not JSON`);
    }
  },
});

const SCALARS: GraphQLScalarType[] = [
  dateScalar('AWSDate', new RegExp(`^${DATE}${OFFSET}?$`), 'AWSDate'),
  patternScalar('AWSTime', new RegExp(`^${TIME}${OFFSET}?$`), 'AWSTime'),
  dateScalar('AWSDateTime', new RegExp(`^${DATE}T${TIME}${OFFSET}$`), 'AWSDateTime'),
  AWSTimestamp,
  patternScalar('AWSEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'AWSEmail'),
  AWSJSON,
  patternScalar('AWSURL', /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$|^mailto:\S+$/, 'AWSURL'),
  patternScalar('AWSPhone', /^\+?[\d\s().-]{3,}$/, 'AWSPhone'),
  patternScalar('AWSIPAddress', /^((\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?|[0-9a-fA-F:]+(\/\d{1,3})?)$/, 'AWSIPAddress'),
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

// AppSync's scalars, value by value, coming in (variables, literals) and going out (resolver results).
// Rules: https://docs.aws.amazon.com/appsync/latest/devguide/scalars.html, and the descriptions AppSync's own
// introspection gives for AWSDateTime (negative years such as "-2017-01-01T00:00Z", 1 to 9 fractional digits,
// offset compulsory, `±hh:mm:ss` offsets) and AWSTimestamp (-31557014167219200 to 31556889864403199), as a public
// API on AppSync publishes them (github.com/jbart12/oad-data-service docs/scalars.md). Where the documents leave a
// case open, the expectation here is the stricter reading (local/server/appsync-schema.ts says which).
import { GraphQLScalarType, parseValue as parseLiteralText } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildAppSyncSchema } from '../../../local/server/appsync-schema';

const schema = buildAppSyncSchema('type Query { ok: Boolean }');
const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;

const accepts = (name: string, value: unknown) => {
  try {
    scalar(name).parseValue(value);
    return true;
  } catch {
    return false;
  }
};
const sends = (name: string, value: unknown) => {
  try {
    scalar(name).serialize(value);
    return true;
  } catch {
    return false;
  }
};

const CASES: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  AWSDate: {
    valid: [
      '1970-01-01',
      '1970-01-01Z',
      '1970-01-01-07:00',
      '1970-01-01+05:30',
      '1970-01-01+05:30:15',
      '2024-02-29',
      '-2017-01-01',
    ],
    invalid: [
      '2019',
      '1970-1-01',
      '2023-02-29',
      '1970-13-01',
      '1970-01-32',
      '2019-12-24T04:15:57.798Z',
      '1970-01-01+25:00',
      19700101,
    ],
  },
  AWSTime: {
    valid: ['12:30', '12:30:00', '12:30:00.2', '12:30:00.123456789', '12:30:00Z', '12:30:00-08:00', '23:59:59'],
    invalid: ['24:00:00', '12:60', '12:30:60', '12:30:00.1234567890', '1:30', '12:30:00.', 'noon'],
  },
  AWSDateTime: {
    valid: [
      '1970-01-01T12:00:00.2Z',
      '1970-01-01T12:00:00.277Z',
      '1970-01-01T12:00:00.123456789Z',
      '1970-01-01T12:00Z',
      '2024-05-05T10:00:00+05:30:15',
      '-2017-01-01T00:00Z',
      '-9999-01-01T00:00Z',
    ],
    invalid: [
      '2019',
      '1970-01-01T12:00:00',
      '2020-05-23T06:4:37.000Z',
      '1970-01-01 12:00:00Z',
      '1970-02-30T00:00Z',
      '+2017-01-01T00:00Z',
    ],
  },
  AWSTimestamp: {
    valid: [0, 1700000000, -1, -31557014167219200, 10_000_000_000_000_000],
    invalid: ['1700000000', 1.5, -31557014167219300, 31556889864403300, '2019-12-19 16:59:09.966'],
  },
  AWSEmail: {
    valid: ['username@example.com', 'first.last+tag@mail.example.org'],
    invalid: ['email@address', 'no-at.example.com', 'a b@example.com', 'a@b@example.com', '@example.com'],
  },
  AWSJSON: {
    valid: ['{"upvotes": 10}', '[1,2,3]', '"AWSJSON example string"', '1', 'true', 'null'],
    invalid: ['{a: 1}', "{'a': 1}", 'Unquoted string', { upvotes: 10 }, 10],
  },
  AWSURL: {
    valid: [
      'https://www.amazon.com/dp/B000NZW3KC/',
      'mailto:example@example.com',
      'http://localhost:4000/graphql?x=1#top',
      'https://[::1]:8080/',
    ],
    invalid: ['www.amazon.com', 'https://www.amazon.com//dp', 'https://exa mple.com', 'mailto:nobody', 'https://'],
  },
  AWSPhone: {
    valid: ['+1 555 764 4377', '+61 2 9876 5432', '555-764-4377', '555 764 4377', '+14155552671'],
    invalid: ['1110004444', '5557644', '+1 (555) 764-4377', '555--764-4377', '+1234567890123456', 'phone'],
  },
  AWSIPAddress: {
    valid: ['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32', '::ffff:192.168.86.27', '1a2b:3c4b::1234:4567'],
    invalid: ['999.1.1.1', '1.2.3', '10.0.0.0/33', '::1/129', 'fe80::1%eth0', '01.2.3.4', 'localhost'],
  },
};

describe.each(Object.entries(CASES))('%s', (name, { valid, invalid }) => {
  it.each(valid.map((value) => [value]))('accepts and sends %j', (value) => {
    expect(accepts(name, value)).toBe(true);
    expect(sends(name, value)).toBe(true);
  });

  it.each(invalid.map((value) => [value]))('refuses %j', (value) => {
    expect(accepts(name, value)).toBe(false);
    if (name !== 'AWSJSON' || typeof value === 'string') expect(sends(name, value)).toBe(false);
  });
});

describe('literals in a document', () => {
  it('takes each scalar only from its own literal kind', () => {
    expect(scalar('AWSDate').parseLiteral(parseLiteralText('"1970-01-01"'), undefined)).toBe('1970-01-01');
    expect(scalar('AWSDate').parseLiteral(parseLiteralText('19700101'), undefined)).toBeUndefined();
    expect(scalar('AWSTimestamp').parseLiteral(parseLiteralText('1700000000'), undefined)).toBe(1700000000);
    expect(scalar('AWSTimestamp').parseLiteral(parseLiteralText('"1700000000"'), undefined)).toBeUndefined();
    expect(scalar('AWSJSON').parseLiteral(parseLiteralText('"{\\"a\\": 1}"'), undefined)).toEqual({ a: 1 });
    expect(scalar('AWSJSON').parseLiteral(parseLiteralText('{a: 1}'), undefined)).toBeUndefined();
  });
});

describe('AWSJSON', () => {
  it('gives resolvers the parsed value and sends what they return as JSON text', () => {
    expect(scalar('AWSJSON').parseValue('{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(scalar('AWSJSON').serialize({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(scalar('AWSJSON').serialize('{"a":1}')).toBe('{"a":1}');
  });
});

describe('error words', () => {
  it('says what the value should have been, as AppSync does', () => {
    expect(() => scalar('AWSPhone').parseValue('1110004444')).toThrow(
      'Unable to parse `1110004444` as a valid phone number.',
    );
    expect(() => scalar('AWSDateTime').serialize('2020-05-23T06:4:37.000Z')).toThrow(
      'Unable to serialize `2020-05-23T06:4:37.000Z` as a valid DateTime Object.',
    );
  });
});

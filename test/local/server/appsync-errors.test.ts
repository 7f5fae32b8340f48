// AppSync's words for requests that fail before or outside a resolver: validation, variable coercion, null in a
// non-null field, a value a scalar cannot send. Each case is a response quoted from a real AppSync API (the source
// is named at each test), replayed against a schema shaped like the one it came from. The engine produces the
// general rule (graphql-java 9's wording, see local/server/validation-errors.ts); the cases pin it down.
//
// Shapes, from the same responses: validation and coercion errors are `{ path: null, locations, message }` with
// `data: null` and no errorType; a null in a non-null field and a scalar that cannot be sent are
// `{ path, locations: null, message }` and leave the rest of the data in place.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import type { DataSource } from '../../../local/server/datasources';
import { GraphQLEngine, type Caller } from '../../../local/server/engine';

const SCHEMA = `
type Sheet { id: ID name: String bpm: Int }
type SheetConnection { items: [Sheet] }
type List { name: String sheets: SheetConnection }
type Card { name: String status: String type: String }
type Person { name: String }
type Messages { id: ID text: String sendBy: Person! }
type Industry { id: ID! _version: Int! }
type IndustryConnection { items: [Industry] }
type Order { orderDate: AWSDateTime }
type OrderConnection { items: [Order] }
type User { dob: AWSTimestamp }
type Item { id: ID }
type ItemConnection { items: [Item] }
input CreateUpdateTestInput { test: String! testa: String }
input NestedInput { name: String! }
input OutsideInput { nested: NestedInput }
input CreatePersonInput { id: ID! name: String phone: AWSPhone }
input UpdateInput { url: AWSURL }
input DateFilter { beginsWith: DateKey }
input DateKey { status: String createdAt: AWSDateTime }
type Query {
  getList(id: ID!): List
  getCard(id: ID!): Card
  getMessages(id: ID!): Messages
  listIndustries: IndustryConnection
  syncOrders: OrderConnection
  loggedUser: User
  listItems(orderId: ID, statusCreatedAt: DateFilter, date: AWSDate, lt: Int): ItemConnection
}
type Mutation {
  createUpdateTest(input: [CreateUpdateTestInput!]!): ItemConnection
  createItem(outside_input: OutsideInput!): String
  createPerson(input: CreatePersonInput!): Item
  updateInput(input: UpdateInput): Item
  sendEmail(data: AWSJSON): String
}
type Subscription {
  onCreateTask(owner: String): Item @aws_subscribe(mutations: ["createPerson"])
  onCreateTodo(owner: String!): Item @aws_subscribe(mutations: ["createPerson"])
}
`;

/** Each field answers with a fixed value, the kind the quoted response got from its data source. */
const ANSWERS: Record<string, unknown> = {
  'Query.getList': { name: 'list', sheets: { items: [{ id: '1', name: 'a', bpm: 90 }] } },
  'Query.getCard': { name: 'card' },
  'Query.getMessages': { id: 'a0546b5d', text: 'hi', sendBy: null },
  'Query.listIndustries': {
    items: [
      { id: '1', _version: null },
      { id: '2', _version: 3 },
    ],
  },
  'Query.syncOrders': { items: [{ orderDate: '2020-05-23T06:04:37.000Z' }, { orderDate: '2020-05-23T06:4:37.000Z' }] },
  'Query.loggedUser': { dob: '2019-12-19 16:59:09.966' },
  'Query.listItems': { items: [{ id: '1' }] },
  'Mutation.createUpdateTest': { items: [] },
  'Mutation.createItem': 'created',
  'Mutation.createPerson': { id: '1' },
  'Mutation.updateInput': { id: '1' },
  'Mutation.sendEmail': 'sent',
  'Subscription.onCreateTask': null,
  'Subscription.onCreateTodo': null,
};

const caller: Caller = { mode: 'API_KEY', identity: null, groups: [], label: 'test' };
const dataSources: Record<string, DataSource> = {
  none: { invoke: async (request) => ({ result: (request as { payload?: unknown }).payload ?? null }) },
};

let dir: string;
let engine: GraphQLEngine;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'appsync-errors-'));
  await writeFile(path.join(dir, 'schema.graphql'), SCHEMA);
  for (const [field, answer] of Object.entries(ANSWERS)) {
    await writeFile(
      path.join(dir, `${field}.js`),
      `export function request() { return { payload: ${JSON.stringify(answer)} }; }\n` +
        'export function response(ctx) { return ctx.result; }\n',
    );
  }
  const definition: ApiDefinition = {
    name: 'errors',
    schema: 'schema.graphql',
    auth: { default: 'API_KEY' },
    dataSources: { none: { type: 'NONE' } },
    resolvers: Object.keys(ANSWERS).map((field) => {
      const [typeName, fieldName] = field.split('.');
      return { kind: 'UNIT', typeName, fieldName, dataSource: 'none', code: `${field}.js` };
    }),
  };
  engine = await GraphQLEngine.create({ definition, rootDir: dir, dataSources });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(query: string, variables?: Record<string, unknown>) {
  return (await engine.execute({ query, variables }, caller, { headers: {}, domainName: null })).body;
}

const at = (line: number, column: number) => ({ line, column, sourceName: null });

describe('validation errors', () => {
  it('words an unknown field as graphql-java does, with the query path and the field location', async () => {
    // https://github.com/graphql/graphql-over-http/issues/81 (AppSync team, 2020-04-23): `{badfield}`, HTTP 200.
    expect(await run('{badfield}')).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [at(1, 2)],
          message:
            "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'",
        },
      ],
    });
  });

  it('reports every error, an unknown type without a query path', async () => {
    // https://github.com/aws-amplify/learn/issues/417 (2023-09-06): UnknownType, then FieldUndefined, in that order.
    const body = await run('query Sync($lastSync: Timestamp) {\n  syncNotes(lastSync: $lastSync) { id }\n}');
    expect(body.data).toBeNull();
    expect(body.errors?.map((e) => e.message)).toEqual([
      'Validation error of type UnknownType: Unknown type Timestamp',
      "Validation error of type FieldUndefined: Field 'syncNotes' in type 'Query' is undefined @ 'syncNotes'",
    ]);
    expect(body.errors?.map((e) => e.locations)).toEqual([[at(1, 23)], [at(2, 3)]]);
  });

  it('names the fields down to an undefined fragment', async () => {
    // https://github.com/aws-amplify/amplify-codegen/issues/29 (2021-01-27).
    const query =
      'query ListItemPage($id: ID!) {\n  getList(id: $id) {\n    name\n    sheets {\n      items {\n' +
      '        ...SheetParts\n      }\n    }\n  }\n}';
    expect((await run(query, { id: '1' })).errors).toEqual([
      {
        path: null,
        locations: [at(6, 9)],
        message: "Validation error of type UndefinedFragment: Undefined fragment SheetParts @ 'getList/sheets/items'",
      },
    ]);
  });

  it('prints a literal argument missing required fields as graphql-java prints AST values', async () => {
    // https://github.com/aws/aws-appsync-community/issues/273 (2023-03-13).
    const query =
      'mutation createUpdateTest {\n  createUpdateTest(input: {testa: "test"}) {\n    items {\n      id\n    }\n  }\n}';
    expect((await run(query)).errors).toEqual([
      {
        path: null,
        locations: [at(2, 20)],
        message:
          "Validation error of type WrongType: argument 'input' with value 'ObjectValue{objectFields=[ObjectField{name='testa', " +
          "value=StringValue{value='test'}}]}' is missing required fields '[test]' @ 'createUpdateTest'",
      },
    ]);
  });

  it('names the nested part of an argument an AWS scalar refuses', async () => {
    // AWSURL: https://github.com/aws-amplify/amplify-hosting/issues/497 (2020-03-09); AWSDateTime:
    // https://github.com/aws/aws-cli/issues/7078 (2022-07-01).
    const url = await run('mutation {\n  updateInput(input: {url: "https://exa mple.com"}) { id }\n}');
    expect(url.errors?.[0].message).toBe(
      "Validation error of type WrongType: argument 'input.url' with value " +
        "'StringValue{value='https://exa mple.com'}' is not a valid 'AWSURL' @ 'updateInput'",
    );
    const date = await run(
      '{ listItems(statusCreatedAt: { beginsWith: { status: "X", createdAt: "2019" } }) { items { id } } }',
    );
    expect(date.errors?.[0].message).toBe(
      "Validation error of type WrongType: argument 'statusCreatedAt.beginsWith.createdAt' with value " +
        "'StringValue{value='2019'}' is not a valid 'AWSDateTime' @ 'listItems'",
    );
  });

  it('refuses an object literal for AWSJSON', async () => {
    // https://github.com/awslabs/aws-mobile-appsync-sdk-js/issues/554 (2020-04-20).
    expect((await run('mutation { sendEmail(data: {upvotes: 10}) }')).errors?.[0].message).toBe(
      "Validation error of type WrongType: argument 'data' with value 'ObjectValue{objectFields=[ObjectField{name='upvotes', " +
        "value=IntValue{value=10}}]}' is not a valid 'AWSJSON' @ 'sendEmail'",
    );
  });

  it('words variable type mismatches, unknown and missing arguments', async () => {
    // https://github.com/apollographql/graphql-tag/issues/652 (2022-08-26),
    // https://github.com/aws-amplify/amplify-flutter/issues/3388 (2023) and
    // https://github.com/aws-amplify/amplify-swift/issues/854 (2020-10-26).
    const mismatch = await run('query getCard($cardId: String!) { getCard(id: $cardId) { name } }', { cardId: 'c' });
    expect(mismatch.errors?.[0].message).toBe(
      "Validation error of type VariableTypeMismatch: Variable type 'String!' doesn't match expected type 'ID!' @ 'getCard'",
    );
    const unknown = await run('subscription { onCreateTask(authors: "a") { id } }');
    expect(unknown.errors?.[0].message).toBe(
      "Validation error of type UnknownArgument: Unknown field argument authors @ 'onCreateTask'",
    );
    const missing = await run('subscription OnCreateTodo { onCreateTodo { id } }');
    expect(missing.errors?.[0].message).toBe(
      "Validation error of type MissingFieldArgument: Missing field argument owner @ 'onCreateTodo'",
    );
  });
});

describe('variable coercion errors', () => {
  const createPerson = 'mutation CreatePerson($input: CreatePersonInput!) { createPerson(input: $input) { id } }';

  it('names the input field a scalar refuses and points at the variable definition', async () => {
    // https://github.com/aws-amplify/amplify-flutter/issues/822 (2021-08-24): located at `$input`, line 1, column 23.
    expect(await run(createPerson, { input: { id: '1', name: 'Test with Phone', phone: '1110004444' } })).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [at(1, 23)],
          message: "Variable 'phone' has an invalid value. Unable to parse `1110004444` as a valid phone number.",
        },
      ],
    });
  });

  it("reports a missing non-null field with the variable's name and the field's type", async () => {
    // https://github.com/aws/aws-appsync-community/issues/406 (2026-01-26) and
    // https://github.com/aws-amplify/amplify-flutter/issues/4915 (2024-05-22).
    const nested = await run(
      'mutation M($outside_input: OutsideInput!) { createItem(outside_input: $outside_input) }',
      {
        outside_input: { nested: {} },
      },
    );
    expect(nested.errors?.[0].message).toBe(
      "Variable 'outside_input' has coerced Null value for NonNull type 'String!'",
    );
    const missingId = await run(createPerson, { input: { name: 'x' } });
    expect(missingId.errors?.[0]).toMatchObject({
      locations: [at(1, 23)],
      message: "Variable 'input' has coerced Null value for NonNull type 'ID!'",
    });
  });

  it('reports a null for a non-null variable', async () => {
    // https://github.com/awslabs/aws-mobile-appsync-sdk-js/issues/83 (2018-03-29).
    const body = await run('query getAccount($id: ID!) { getCard(id: $id) { name } }', { id: null });
    expect(body.errors?.[0].message).toBe("Variable 'id' has coerced Null value for NonNull type 'ID!'");
  });

  it('reports a field the input type does not have, without a location', async () => {
    // https://github.com/aws/aws-appsync-community/issues/273 (2023-03-13): the message ends with a space.
    const body = await run(
      'mutation createUpdateTest($input: [CreateUpdateTestInput!]!) { createUpdateTest(input: $input) { items { id } } }',
      { input: { test: 'a', testb: 'test' } },
    );
    expect(body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: null,
          message:
            "The variables input contains a field that is not defined for input object type 'CreateUpdateTestInput' ",
        },
      ],
    });
  });

  it("words AWS scalars' and Int's refusals as AppSync does", async () => {
    // https://github.com/aws-amplify/amplify-cli/issues/2033 (2019-08-13),
    // https://github.com/aws-amplify/amplify-swift/issues/278 (2019-12-24) and
    // https://github.com/aws-amplify/amplify-cli/issues/4572 (2020-06-16).
    const listItems =
      'query L($f: DateFilter, $d: AWSDate, $lt: Int) { listItems(statusCreatedAt: $f, date: $d, lt: $lt) { items { id } } }';
    expect((await run(listItems, { f: { beginsWith: { createdAt: '2019' } } })).errors?.[0].message).toBe(
      "Variable 'createdAt' has an invalid value. Unable to parse `2019` as a valid DateTime Object.",
    );
    expect((await run(listItems, { d: '2019-12-24T04:15:57.798Z' })).errors?.[0].message).toBe(
      "Variable 'd' has an invalid value. Unable to parse `2019-12-24T04:15:57.798Z` as a valid date.",
    );
    expect((await run(listItems, { lt: 1592265600000 })).errors?.[0].message).toBe(
      "Variable 'lt' has an invalid value. Expected type 'Int' but was 'Long'.",
    );
  });
});

describe('execution errors', () => {
  it('reports a null in a non-null field with its path and no location, and nulls the nearest nullable parent', async () => {
    // https://github.com/graphql-compose/graphql-compose/issues/121 (an AppSync response, 2018-05-30).
    expect(await run('query getMessages { getMessages(id: "a0546b5d") { id text sendBy { name } } }')).toEqual({
      data: { getMessages: null },
      errors: [
        {
          path: ['getMessages', 'sendBy'],
          locations: null,
          message: "Cannot return null for non-nullable type: 'Person' within parent 'Messages' (/getMessages/sendBy)",
        },
      ],
    });
  });

  it('writes list indexes in the path of the message', async () => {
    // https://github.com/aws/aws-appsync-community/issues/247 (2022-09-14); the same shape in
    // https://github.com/aws-amplify/amplify-category-api/issues/793.
    const body = await run('{ listIndustries { items { id _version } } }');
    expect(body.errors?.[0].message).toBe(
      "Cannot return null for non-nullable type: 'Int' within parent 'Industry' (/listIndustries/items[0]/_version)",
    );
    expect(body.data).toEqual({ listIndustries: { items: [null, { id: '2', _version: 3 }] } });
  });

  it("reports a value an AWS scalar cannot send as a serialisation error at the field's path", async () => {
    // https://github.com/aws-amplify/amplify-js/issues/5963 (2020-06-01) and
    // https://github.com/aws-amplify/amplify-category-api/issues/354 (2019-12-22).
    const orders = await run('{ syncOrders { items { orderDate } } }');
    expect(orders).toEqual({
      data: { syncOrders: { items: [{ orderDate: '2020-05-23T06:04:37.000Z' }, { orderDate: null }] } },
      errors: [
        {
          path: ['syncOrders', 'items', 1, 'orderDate'],
          locations: null,
          message:
            "Can't serialize value (/syncOrders/items[1]/orderDate) : Unable to serialize `2020-05-23T06:4:37.000Z` " +
            'as a valid DateTime Object.',
        },
      ],
    });
    expect((await run('{ loggedUser { dob } }')).errors?.[0].message).toBe(
      "Can't serialize value (/loggedUser/dob) : Unable to serialize `2019-12-19 16:59:09.966` as a valid timestamp. " +
        "Ensure that the value provided is an Integer that lies within the limits specified in this scalar's description.",
    );
  });
});

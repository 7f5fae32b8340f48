// A small API unrelated to notes, for the real-time tests: items published by a NONE-data-source mutation to
// subscriptions with basic (argument) filtering, an enhanced filter given by the client, a server-side owner filter,
// an invalidation, and fields guarded by another auth mode.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiDefinition } from '../../../../local/definition';
import { serveLocalApi, type LocalApi, type LocalApiConfig } from '../../../../local/server/serve';

export const API_KEY = 'da2-realtimetestkey';
export const apiKeyHeader = (host = '127.0.0.1') => ({ host, 'x-api-key': API_KEY });

const schema = `
type Item @aws_api_key @aws_cognito_user_pools {
  id: ID!
  name: String
  group: String
  severity: Int
  tags: [String]
  owner: String
  required: String!
  location: Location
  secret: String @aws_cognito_user_pools
}
type Location @aws_api_key @aws_cognito_user_pools {
  country: String
  address: Address
}
type Address @aws_api_key @aws_cognito_user_pools {
  city: String
  street: Street
}
type Street @aws_api_key @aws_cognito_user_pools {
  name: String
  number: Number
}
type Number @aws_api_key @aws_cognito_user_pools {
  value: Int
}
input ItemInput {
  id: ID!
  name: String
  group: String
  severity: Int
  tags: [String]
  owner: String
  required: String
  location: AWSJSON
  secret: String
  blob: String
}
type Query {
  item(id: ID!): Item
}
type Mutation {
  putItem(input: ItemInput!): Item @aws_api_key @aws_cognito_user_pools
  failItem(input: ItemInput!): Item
  closeGroup(group: String!): Boolean
  closeMany(groups: [String!]!): Boolean
}
type Subscription {
  onItem(id: ID, name: String, group: String): Item
    @aws_subscribe(mutations: ["putItem", "failItem"])
    @aws_api_key
    @aws_cognito_user_pools
  onFiltered(filter: AWSJSON!): Item @aws_subscribe(mutations: ["putItem"])
  onMine: Item @aws_subscribe(mutations: ["putItem"]) @aws_cognito_user_pools
  onGroup(group: String!): Item @aws_subscribe(mutations: ["putItem"])
  onRefused: Item @aws_subscribe(mutations: ["putItem"])
  onNothing: Item
}
`;

const files: Record<string, string> = {
  'putItem.js': `
export function request(ctx) {
  const input = ctx.args.input;
  const location = typeof input.location === 'string' ? JSON.parse(input.location) : input.location;
  return { payload: { ...input, location: location ?? null, name: input.blob ? input.blob : input.name } };
}
export function response(ctx) { return ctx.result; }
`,
  'failItem.js': `
import { util } from '@aws-appsync/utils';
export function request(ctx) { return { payload: null }; }
export function response(ctx) { util.error('refused', 'Refused'); }
`,
  // The client's own enhanced filter, as AWS's "Defining enhanced filters from the client" shows.
  'onFiltered.js': `
import { util, extensions } from '@aws-appsync/utils';
export function request(ctx) { return { payload: null }; }
export function response(ctx) {
  const filter = typeof ctx.args.filter === 'string' ? JSON.parse(ctx.args.filter) : ctx.args.filter;
  extensions.setSubscriptionFilter(filter.filterGroup ? filter : util.transform.toSubscriptionFilter(filter));
  return null;
}
`,
  'onMine.js': `
import { util, extensions } from '@aws-appsync/utils';
export function request(ctx) { return { payload: null }; }
export function response(ctx) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ owner: { eq: ctx.identity.sub } }));
  return null;
}
`,
  'onGroup.js': `
import { util, extensions } from '@aws-appsync/utils';
export function request(ctx) { return { payload: null }; }
export function response(ctx) {
  const filter = util.transform.toSubscriptionFilter({ group: { eq: ctx.args.group } });
  extensions.setSubscriptionFilter(filter);
  extensions.setSubscriptionInvalidationFilter(filter);
  return null;
}
`,
  'onRefused.js': `
import { util } from '@aws-appsync/utils';
export function request(ctx) { util.unauthorized(); }
export function response(ctx) { return null; }
`,
  'closeGroup.js': `
import { extensions } from '@aws-appsync/utils';
export function request(ctx) { return { payload: true }; }
export function response(ctx) {
  extensions.invalidateSubscriptions({ subscriptionField: 'onGroup', payload: { group: ctx.args.group } });
  return true;
}
`,
  'closeMany.js': `
import { extensions } from '@aws-appsync/utils';
export function request(ctx) { return { payload: true }; }
export function response(ctx) {
  for (const group of ctx.args.groups) {
    extensions.invalidateSubscriptions({ subscriptionField: 'onGroup', payload: { group } });
  }
  return true;
}
`,
};

const unit = (typeName: string, fieldName: string, file: string) => ({
  kind: 'UNIT' as const,
  typeName,
  fieldName,
  dataSource: 'none',
  code: `resolvers/${file}`,
});

export const definition: ApiDefinition = {
  name: 'realtime-items',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY', additional: ['AMAZON_COGNITO_USER_POOLS'] },
  dataSources: { none: { type: 'NONE' } },
  resolvers: [
    unit('Mutation', 'putItem', 'putItem.js'),
    unit('Mutation', 'failItem', 'failItem.js'),
    unit('Mutation', 'closeGroup', 'closeGroup.js'),
    unit('Mutation', 'closeMany', 'closeMany.js'),
    unit('Subscription', 'onFiltered', 'onFiltered.js'),
    unit('Subscription', 'onMine', 'onMine.js'),
    unit('Subscription', 'onGroup', 'onGroup.js'),
    unit('Subscription', 'onRefused', 'onRefused.js'),
  ],
};

export const USERS = [
  { email: 'ana@example.com', password: 'Passw0rd!ana' },
  { email: 'ben@example.com', password: 'Passw0rd!ben' },
];

export interface RealtimeApi {
  api: LocalApi;
  dir: string;
  log: string[];
  /** POSTs a GraphQL request with the API key (or the given headers). */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLBody>;
  close(): Promise<void>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<Record<string, unknown>>;
}

export async function startRealtimeApi(overrides: Partial<LocalApiConfig> = {}): Promise<RealtimeApi> {
  const dir = await mkdtemp(path.join(tmpdir(), 'realtime-api-'));
  await mkdir(path.join(dir, 'resolvers'));
  await writeFile(path.join(dir, 'schema.graphql'), schema);
  for (const [file, code] of Object.entries(files)) await writeFile(path.join(dir, 'resolvers', file), code);
  const log: string[] = [];
  const api = await serveLocalApi({
    definition,
    rootDir: dir,
    dataDir: null,
    port: 0,
    apiKeys: [API_KEY],
    users: USERS,
    tls: false,
    log: (line) => log.push(line),
    ...overrides,
  });
  return {
    api,
    dir,
    log,
    async graphql(query, variables = {}, headers = { 'x-api-key': API_KEY }) {
      const response = await fetch(api.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLBody;
    },
    async close() {
      await api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const PUT_ITEM = `mutation Put($input: ItemInput!) {
  putItem(input: $input) { id name group severity tags owner required location { country address { city street { name number { value } } } } }
}`;

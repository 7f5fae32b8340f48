// One description of an AppSync API: schema, auth, data sources, resolvers. The CDK stack wires AWS from it and the
// local server runs it, so there is no second list to drift. Plain data, no CDK or Node imports: both sides read it.
// Paths are relative to the project root.

export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'API_KEY' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/** Which attributes an index copies (DynamoDB's Projection); ALL when absent. */
export interface IndexProjection {
  type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** For INCLUDE: the attributes copied besides the keys. */
  nonKeyAttributes?: string[];
}

export interface GlobalSecondaryIndex {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection?: IndexProjection;
}

/** A local secondary index shares the table's partition key and only names another sort key. */
export interface LocalSecondaryIndex {
  indexName: string;
  sortKey: KeyAttribute;
  projection?: IndexProjection;
}

export interface TableDefinition {
  /** Logical name; the deployed table gets a generated physical name, the local one uses this. */
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalSecondaryIndexes?: GlobalSecondaryIndex[];
  localSecondaryIndexes?: LocalSecondaryIndex[];
  timeToLiveAttribute?: string;
}

/** What a Lambda data source's function may do in the uploads bucket (its env gets BUCKET_NAME). */
export type BucketAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:ListBucket';

/** Actions on the objects under one key prefix (s3:ListBucket: listing that prefix only). */
export interface BucketGrant {
  actions: BucketAction[];
  /** e.g. `uploads/`; never empty, so no grant reaches the whole bucket. */
  prefix: string;
}

/** DynamoDB operations a data source's resolvers send (AppSync's names, which are also the IAM actions'). */
export type DynamoDBOperation = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'Scan';

export interface DynamoDBDataSourceDefinition {
  type: 'AMAZON_DYNAMODB';
  table: TableDefinition;
  /**
   * The operations its resolvers use: the deployed data source's role may do exactly these on the table (and its
   * indexes, for Query and Scan). Absent: read and write, as CDK grants by default.
   */
  operations?: DynamoDBOperation[];
}

export interface LambdaDataSourceDefinition {
  type: 'AWS_LAMBDA';
  /**
   * The function's handler: a module exporting `handler` (`functions/create-upload-url.ts`), or Lambda's own
   * `file.export` form (`src/todos.create`: the export `create` of `src/todos.js`, `.mjs`, `.cjs` or `.ts`).
   * CommonJS and ES modules alike.
   */
  handler: string;
  /** Actions per key prefix, for functions that work in more than one part of the bucket. */
  bucketGrants?: BucketGrant[];
  environment?: Record<string, string>;
  /** Lambda's Timeout: an invocation running longer fails (default 30). */
  timeoutSeconds?: number;
  /** The code is already built (a CDK asset, a template's local code) and runs as it is, without bundling. */
  prebuilt?: boolean;
}

/** SigV4 signing of the requests an HTTP data source sends (AppSync's AuthorizationConfig, AWS_IAM). */
export interface HttpSigning {
  /** Absent: the API's own region (the stack's on AWS, the local server's locally). */
  signingRegion?: string;
  signingServiceName: string;
}

export interface HttpDataSourceDefinition {
  type: 'HTTP';
  /**
   * Scheme, host and optional port, e.g. `https://api.example.com`; each request adds its resourcePath. `self` is
   * this API's own endpoint: the API calling itself (a mutation published with IAM, for instance).
   */
  endpoint: string;
  authorizationConfig?: HttpSigning;
  /**
   * With `endpoint: 'self'` signed for `appsync`: the fields (`Type.field`) this data source's role may call; on AWS
   * it is allowed `appsync:GraphQL` on exactly these. (Locally every request signed with the data folder's key is
   * one IAM caller, so this narrows nothing there.)
   */
  grantedFields?: string[];
}

export interface EventBridgeDataSourceDefinition {
  type: 'AMAZON_EVENTBRIDGE';
  /** The event bus: a name (`default`) or an ARN. */
  eventBus: string;
}

export interface OpenSearchDataSourceDefinition {
  type: 'AMAZON_OPENSEARCH_SERVICE';
  /** The domain's endpoint on AWS; locally, requests go to the endpoint the server is given for this data source. */
  endpoint: string;
}

/**
 * An Aurora database reached through the RDS Data API (AppSync's RELATIONAL_DATABASE). Locally, PostgreSQL runs
 * embedded; MySQL statements are built but not run.
 */
export interface RelationalDatabaseDataSourceDefinition {
  type: 'RELATIONAL_DATABASE';
  /** The cluster's engine: which SQL the resolvers write (createPgStatement or createMySQLStatement). */
  engine: 'postgresql' | 'mysql';
  /** The database the Data API connects to; data sources naming the same one share it. */
  databaseName?: string;
  /** A SQL file that seeds the local database when it is first created. */
  seed?: string;
}

export type DataSourceDefinition =
  | DynamoDBDataSourceDefinition
  | RelationalDatabaseDataSourceDefinition
  | LambdaDataSourceDefinition
  | HttpDataSourceDefinition
  | EventBridgeDataSourceDefinition
  | OpenSearchDataSourceDefinition
  | { type: 'NONE' };

export type DataSourceType = DataSourceDefinition['type'];

/**
 * APPSYNC_JS code: a source file (`.ts` or `.js`) bundled as deployment does, or code exactly as deployed (a
 * template's inline `Code`), named for messages.
 */
export type CodeSource = string | { inline: string; name: string };

/**
 * A pipeline function (AppSync "function"): one data source and its APPSYNC_JS code. Without code on a Lambda data
 * source it is a direct Lambda function (AppSync's default request and response).
 */
export interface FunctionDefinition {
  dataSource: string;
  code?: CodeSource;
}

interface ResolverBase {
  typeName: string;
  fieldName: string;
  /** Lambda batching (BatchInvoke) for fields resolved once per list item. */
  maxBatchSize?: number;
}

export type ResolverDefinition =
  /** Without code on a Lambda data source: a direct Lambda resolver. */
  | (ResolverBase & { kind: 'UNIT'; dataSource: string; code?: CodeSource })
  | (ResolverBase & { kind: 'PIPELINE'; functions: string[]; code: CodeSource });

export interface ApiDefinition {
  name: string;
  schema: string;
  auth: { default: AuthMode; additional?: AuthMode[] };
  /** Maximum query depth AppSync enforces (1..75); absent means unlimited. */
  queryDepthLimit?: number;
  /** Maximum resolvers one request may run (1..10000); absent means AppSync's default of 10000. */
  resolverCountLimit?: number;
  dataSources: Record<string, DataSourceDefinition>;
  functions?: Record<string, FunctionDefinition>;
  resolvers: ResolverDefinition[];
}

/** The name of a code source, for messages. */
export function codeName(code: CodeSource): string {
  return typeof code === 'string' ? code : code.name;
}

/** A Lambda function's timeout when its definition names none: the notes stack deploys its functions with it. */
export const DEFAULT_LAMBDA_TIMEOUT_SECONDS = 10;

/** The source file of code that must have one (the notes API keeps all its code in files). */
export function sourceFileOf(code: CodeSource | undefined, user: string): string {
  if (typeof code !== 'string')
    throw new Error(`${user} has no source file: its code is ${code ? 'inline' : 'absent'}`);
  return code;
}

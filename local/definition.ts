// One description of an AppSync API: schema, auth, data sources, resolvers. The CDK stack wires AWS from it and the
// local server runs it, so there is no second list to drift. Plain data, no CDK or Node imports: both sides read it.
// Paths are relative to the project root.

export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'API_KEY' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

export interface TableDefinition {
  /** Logical name; the deployed table gets a generated physical name, the local one uses this. */
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalSecondaryIndexes?: Array<{ indexName: string; partitionKey: KeyAttribute; sortKey?: KeyAttribute }>;
  timeToLiveAttribute?: string;
}

/** What a Lambda data source's function may do in the uploads bucket (its env gets BUCKET_NAME). */
export type BucketAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject';

export type DataSourceDefinition =
  | { type: 'AMAZON_DYNAMODB'; table: TableDefinition }
  | {
      type: 'AWS_LAMBDA';
      /** A module exporting `handler`, e.g. `functions/create-upload-url.ts`. */
      handler: string;
      bucketActions?: BucketAction[];
      environment?: Record<string, string>;
    }
  | { type: 'NONE' };

/** A pipeline function (AppSync "function"): one data source and one APPSYNC_JS code file. */
export interface FunctionDefinition {
  dataSource: string;
  /** TypeScript source exporting `request` and `response`, bundled as deployed. */
  code: string;
}

interface ResolverBase {
  typeName: string;
  fieldName: string;
  code: string;
  /** Lambda batching (BatchInvoke) for fields resolved once per list item. */
  maxBatchSize?: number;
}

export type ResolverDefinition =
  (ResolverBase & { kind: 'UNIT'; dataSource: string }) | (ResolverBase & { kind: 'PIPELINE'; functions: string[] });

export interface ApiDefinition {
  name: string;
  schema: string;
  auth: { default: AuthMode; additional?: AuthMode[] };
  /** Maximum query depth AppSync enforces (1..75); absent means unlimited. */
  queryDepthLimit?: number;
  dataSources: Record<string, DataSourceDefinition>;
  functions?: Record<string, FunctionDefinition>;
  resolvers: ResolverDefinition[];
}

// A CloudFormation template (plain CloudFormation, CDK's synthesized one, or SAM's Function and SimpleTable) read into
// the local server's API definition: the GraphQLApi with its schema, keys, data sources, resolvers and functions, and
// the tables, functions, user pool and bucket they use. Only what the API uses is read; every other resource is
// skipped with one line, and everything the API needs that cannot run here is named together in one error.
// Property names follow the CloudFormation template reference, AWS::AppSync::* pages
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_AppSync.html).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type {
  ApiDefinition,
  AuthMode,
  CodeSource,
  DataSourceDefinition,
  FunctionDefinition,
  IndexProjection,
  KeyAttribute,
  KeyType,
  LambdaDataSourceDefinition,
  ResolverDefinition,
  TableDefinition,
} from '../definition';
import type { LifecycleRule } from '../stores/s3/lifecycle';
import { Intrinsics, NO_VALUE, TemplateError } from './intrinsics';

export interface TemplateReadOptions {
  template: Record<string, unknown>;
  /** The template's folder: local code paths and CDK assets (cdk.out) are found from it. */
  templateDir: string;
  /** Where what the template holds inline (schema, Lambda ZipFile code) is written; an absolute path. */
  generatedDir: string;
  /** `--parameter Key=Value` values. */
  parameters?: Record<string, string>;
  stackName: string;
  /** The AWS::AppSync::GraphQLApi to serve when the template declares more than one (its logical id). */
  api?: string;
  /** The value of an API key by its logical id: the caller keeps them stable across restarts. */
  apiKeyValue(logicalId: string): string;
  region: string;
  accountId: string;
  /** Now, in ms: API keys past their Expires are left out. */
  now?: number;
}

export interface TemplateApi {
  definition: ApiDefinition;
  /** Files to write before serving (absolute path → text): what the template holds inline. */
  files: Record<string, string>;
  /** The API's keys that have not expired. */
  apiKeys: string[];
  /** The one S3 bucket the API's functions use, served by the local S3 endpoint. */
  bucket?: { name: string; lifecycleRules: LifecycleRule[] };
  /** One line per resource left out, and per setting not emulated. */
  notes: string[];
}

/** Every reason the template's API cannot be served, in one message. */
export class TemplateProblems extends Error {
  constructor(readonly problems: string[]) {
    super(`The template's API cannot be served locally:\n  - ${problems.join('\n  - ')}`);
  }
}

type Properties = Record<string, unknown>;

/** A problem that follows from one already in the list (a resolver whose data source could not be read). */
class AlreadyReported extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const APPSYNC_JS = 'APPSYNC_JS';
const AUTH_MODES = new Set<AuthMode>([
  'AMAZON_COGNITO_USER_POOLS',
  'API_KEY',
  'AWS_IAM',
  'OPENID_CONNECT',
  'AWS_LAMBDA',
]);
/** Modes the local server cannot check a caller by (no OIDC provider, no authorizer function runs). */
const UNSERVED_AUTH_MODES = new Set<AuthMode>(['OPENID_CONNECT', 'AWS_LAMBDA']);
const LAMBDA_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);
const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable']);
// The properties read of each resource (the rest are never resolved).
const API_KEYS = [
  'Name',
  'ApiType',
  'AuthenticationType',
  'AdditionalAuthenticationProviders',
  'UserPoolConfig',
  'QueryDepthLimit',
  'ResolverCountLimit',
];
const CODE_KEYS = [
  'Runtime',
  'Code',
  'CodeS3Location',
  'RequestMappingTemplate',
  'ResponseMappingTemplate',
  'RequestMappingTemplateS3Location',
  'ResponseMappingTemplateS3Location',
  'SyncConfig',
  'CachingConfig',
  'MaxBatchSize',
];
const DATA_SOURCE_KEYS = [
  'Name',
  'Type',
  'DynamoDBConfig',
  'LambdaConfig',
  'HttpConfig',
  'EventBridgeConfig',
  'OpenSearchServiceConfig',
  'ElasticsearchConfig',
  'RelationalDatabaseConfig',
];
const TABLE_KEYS = [
  'AttributeDefinitions',
  'KeySchema',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'TimeToLiveSpecification',
  'PrimaryKey',
];
const LAMBDA_KEYS = [
  'Runtime',
  'Handler',
  'Code',
  'Environment',
  'Timeout',
  'PackageType',
  'CodeUri',
  'InlineCode',
  'ImageUri',
];

/** SAM's default for a function without Timeout, as Lambda's own. */
const DEFAULT_TIMEOUT_SECONDS = 3;

/** A physical name CloudFormation would generate; locally the logical id, lower case where the service needs it. */
function generatedName(logicalId: string, lowerCase = false): string {
  return lowerCase ? logicalId.toLowerCase() : logicalId;
}

/** `s3://bucket/key` → key. */
function s3Key(uri: string): string | undefined {
  const match = /^s3:\/\/[^/]+\/(.+)$/.exec(uri);
  return match?.[1];
}

export function readTemplate(options: TemplateReadOptions): TemplateApi {
  return new TemplateReader(options).read();
}

class TemplateReader {
  private readonly intrinsics: Intrinsics;
  private readonly problems: string[] = [];
  private readonly notes: string[] = [];
  private readonly files: Record<string, string> = {};
  /** Resources the API uses (read, or named by Ref or GetAtt while reading what it uses). */
  private readonly used = new Set<string>();
  private readonly buckets = new Set<string>();
  /** Resources that could not be read: what depends on them is not reported again. */
  private readonly failed = new Set<string>();
  private readonly assets: Map<string, string>;
  private readonly region: string;
  private readonly accountId: string;

  constructor(private readonly options: TemplateReadOptions) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.intrinsics = new Intrinsics({
      template: options.template,
      parameters: options.parameters ?? {},
      region: options.region,
      accountId: options.accountId,
      stackName: options.stackName,
      resources: { ref: (id) => this.ref(id), getAtt: (id, attribute) => this.getAtt(id, attribute) },
    });
    this.assets = readAssetManifests(options.templateDir);
  }

  private get resources(): Record<string, Record<string, unknown>> {
    return this.intrinsics.resources;
  }

  private typeOf(logicalId: string): string {
    return String(this.resources[logicalId]?.Type ?? '');
  }

  /** A value of the template resolved, or undefined after recording why it cannot be. */
  private attempt<T>(where: string, read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof AlreadyReported) return undefined;
      if (!(error instanceof TemplateError)) throw error;
      this.failed.add(where);
      const message = error.message.startsWith(where) ? error.message : `${where}: ${error.message}`;
      // A problem reached through several values (a parameter without a value) is named once.
      if (!this.problems.some((known) => known === message || message.endsWith(`: ${known}`))) {
        this.problems.push(message);
      }
      return undefined;
    }
  }

  /** Whether a resource of `type` named `name` could not be read (its own problem is reported already). */
  private failedNamed(type: string, name: string): boolean {
    return [...this.failed].some((id) => {
      if (this.typeOf(id) !== type) return false;
      const raw = (this.resources[id]!.Properties as Properties | undefined)?.Name;
      try {
        return this.intrinsics.resolve(raw, id) === name;
      } catch {
        return false;
      }
    });
  }

  /**
   * The named Properties of a resource, each resolved. Only what the local server reads is resolved: a value it
   * ignores (a role, a log setting) may name resources that do not exist here.
   */
  private properties(logicalId: string, keys: readonly string[]): Properties {
    const resource = this.resources[logicalId]!;
    this.used.add(logicalId);
    const raw = isObject(resource.Properties) ? resource.Properties : {};
    return this.resolveKeys(raw, keys, logicalId);
  }

  private resolveKeys(raw: Properties, keys: readonly string[], where: string): Properties {
    const out: Properties = {};
    for (const key of keys) {
      if (raw[key] === undefined) continue;
      const value = this.intrinsics.resolve(raw[key], `${where}.${key}`);
      if (value !== NO_VALUE) out[key] = value;
    }
    return out;
  }

  private exists(logicalId: string): boolean {
    const resource = this.resources[logicalId];
    if (!isObject(resource)) return false;
    return this.attempt(logicalId, () => this.intrinsics.exists(resource)) ?? false;
  }

  private ofType(...types: string[]): string[] {
    return Object.keys(this.resources).filter((id) => types.includes(this.typeOf(id)) && this.exists(id));
  }

  // What Ref and Fn::GetAtt return for each resource the local server models, per the "Return values" section of
  // each resource's reference page. Anything else the API's values name is a resource that cannot run here.
  private ref(logicalId: string, use = true): unknown {
    const type = this.typeOf(logicalId);
    if (use) {
      this.used.add(logicalId);
      if (type === 'AWS::S3::Bucket') this.buckets.add(logicalId);
    }
    const props = (this.resources[logicalId]!.Properties ?? {}) as Properties;
    const named = (key: string, lowerCase = false) =>
      props[key] === undefined
        ? generatedName(logicalId, lowerCase)
        : String(this.intrinsics.resolve(props[key], logicalId));
    switch (type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::Serverless::SimpleTable':
        return named('TableName');
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function':
        return named('FunctionName');
      case 'AWS::S3::Bucket':
        return named('BucketName', true);
      case 'AWS::Cognito::UserPool':
        return `${this.region}_${logicalId.replace(/[^0-9a-zA-Z]/g, '')}`;
      case 'AWS::Cognito::UserPoolClient':
        return logicalId.toLowerCase();
      case 'AWS::Events::EventBus':
        return named('Name');
      case 'AWS::OpenSearchService::Domain':
      case 'AWS::Elasticsearch::Domain':
        return named('DomainName', true);
      case 'AWS::RDS::DBCluster':
        return named('DBClusterIdentifier', true);
      case 'AWS::SecretsManager::SecretTargetAttachment':
        return this.intrinsics.resolve(props.SecretId, logicalId);
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${named('Name')}`;
      case 'AWS::AppSync::GraphQLApi':
        return this.apiArn(logicalId);
      case 'AWS::AppSync::ApiKey':
        return `${this.apiArn(this.ownerApi(logicalId))}/apikeys/${this.options.apiKeyValue(logicalId)}`;
      case 'AWS::AppSync::DataSource':
        return `${this.apiArn(this.ownerApi(logicalId))}/datasources/${named('Name')}`;
      case 'AWS::AppSync::FunctionConfiguration':
        return `${this.apiArn(this.ownerApi(logicalId))}/functions/${this.functionId(logicalId)}`;
      default:
        throw this.notEmulated(logicalId);
    }
  }

  private getAtt(logicalId: string, attribute: string, use = true): unknown {
    const type = this.typeOf(logicalId);
    const arnOf = (service: string, resource: string) =>
      `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
    const name = () => String(this.ref(logicalId, use));
    const attributes: Record<string, () => unknown> = {};
    switch (type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::Serverless::SimpleTable':
        attributes.Arn = () => arnOf('dynamodb', `table/${name()}`);
        break;
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function':
        attributes.Arn = () => arnOf('lambda', `function:${name()}`);
        break;
      case 'AWS::S3::Bucket':
        attributes.Arn = () => `arn:aws:s3:::${name()}`;
        attributes.DomainName = () => `${name()}.s3.amazonaws.com`;
        attributes.RegionalDomainName = () => `${name()}.s3.${this.region}.amazonaws.com`;
        break;
      case 'AWS::Cognito::UserPool':
        attributes.Arn = () => arnOf('cognito-idp', `userpool/${name()}`);
        attributes.UserPoolId = name;
        attributes.ProviderName = () => `cognito-idp.${this.region}.amazonaws.com/${name()}`;
        attributes.ProviderURL = () => `https://cognito-idp.${this.region}.amazonaws.com/${name()}`;
        break;
      case 'AWS::Cognito::UserPoolClient':
        attributes.ClientId = name;
        break;
      case 'AWS::Events::EventBus':
        attributes.Arn = () => arnOf('events', `event-bus/${name()}`);
        attributes.Name = name;
        break;
      case 'AWS::OpenSearchService::Domain':
      case 'AWS::Elasticsearch::Domain':
        attributes.Arn = () => arnOf('es', `domain/${name()}`);
        attributes.DomainArn = attributes.Arn;
        attributes.DomainEndpoint = () => `search-${name()}.${this.region}.es.amazonaws.com`;
        break;
      case 'AWS::RDS::DBCluster':
        attributes.DBClusterArn = () => arnOf('rds', `cluster:${name()}`);
        attributes['Endpoint.Address'] = () => `${name()}.cluster.${this.region}.rds.amazonaws.com`;
        attributes['Endpoint.Port'] = () => '5432';
        // ManageMasterUserPassword: the secret RDS makes for the master user.
        attributes['MasterUserSecret.SecretArn'] = () => arnOf('secretsmanager', `secret:rds!cluster-${name()}`);
        break;
      case 'AWS::SecretsManager::Secret':
        attributes.Id = name;
        break;
      case 'AWS::AppSync::GraphQLApi': {
        const id = this.apiId(logicalId);
        const host = `${id}.appsync-api.${this.region}.amazonaws.com`;
        const realtime = `${id}.appsync-realtime-api.${this.region}.amazonaws.com`;
        attributes.ApiId = () => id;
        attributes.Arn = () => this.apiArn(logicalId);
        attributes.GraphQLUrl = () => `https://${host}/graphql`;
        attributes.GraphQLDns = () => host;
        attributes.RealtimeUrl = () => `wss://${realtime}/graphql`;
        attributes.RealtimeDns = () => realtime;
        attributes.GraphQLEndpointArn = () => this.apiArn(logicalId);
        break;
      }
      case 'AWS::AppSync::ApiKey':
        attributes.ApiKey = () => this.options.apiKeyValue(logicalId);
        attributes.Arn = () => this.ref(logicalId, use);
        break;
      case 'AWS::AppSync::DataSource':
        attributes.Name = () =>
          this.intrinsics.resolve((this.resources[logicalId]!.Properties as Properties)?.Name, logicalId);
        attributes.DataSourceArn = () => this.ref(logicalId, use);
        break;
      case 'AWS::AppSync::FunctionConfiguration':
        attributes.FunctionId = () => this.functionId(logicalId);
        attributes.FunctionArn = () => this.ref(logicalId, use);
        attributes.Name = () =>
          this.intrinsics.resolve((this.resources[logicalId]!.Properties as Properties)?.Name, logicalId);
        attributes.DataSourceName = () =>
          this.intrinsics.resolve((this.resources[logicalId]!.Properties as Properties)?.DataSourceName, logicalId);
        break;
      default:
        throw this.notEmulated(logicalId);
    }
    if (use) this.used.add(logicalId);
    const value = attributes[attribute];
    if (!value)
      throw new TemplateError(`Fn::GetAtt ${logicalId}.${attribute}: ${type} has no attribute ${attribute} here`);
    return value();
  }

  private notEmulated(logicalId: string): TemplateError {
    return new TemplateError(`needs ${logicalId} (${this.typeOf(logicalId)}), which the local server does not emulate`);
  }

  /** A local API id: AppSync's are 26 lower-case letters and digits. */
  private apiId(logicalId: string): string {
    return logicalId.toLowerCase().replace(/[^0-9a-z]/g, '');
  }

  private apiArn(logicalId: string): string {
    return `arn:aws:appsync:${this.region}:${this.accountId}:apis/${this.apiId(logicalId)}`;
  }

  private functionId(logicalId: string): string {
    return logicalId.toLowerCase().replace(/[^0-9a-z]/g, '');
  }

  /** The GraphQLApi a key, data source or function belongs to (by its ApiId). */
  private ownerApi(logicalId: string): string {
    const apiId = this.intrinsics.resolve((this.resources[logicalId]!.Properties as Properties)?.ApiId, logicalId);
    const owner = this.ofType('AWS::AppSync::GraphQLApi').find((id) => this.apiId(id) === apiId);
    if (!owner)
      throw new TemplateError(`${logicalId} belongs to API ${String(apiId)}, which the template does not declare`);
    return owner;
  }

  private chooseApi(): string | undefined {
    const apis = this.ofType('AWS::AppSync::GraphQLApi');
    const sam = this.ofType('AWS::Serverless::GraphQLApi');
    for (const id of sam) {
      this.problems.push(
        `${id} is an AWS::Serverless::GraphQLApi, which needs the SAM transform; declare the API with AWS::AppSync::* resources (sam validate --debug prints them)`,
      );
    }
    if (this.options.api) {
      if (!apis.includes(this.options.api)) {
        this.problems.push(
          `--api ${this.options.api}: the template has no AWS::AppSync::GraphQLApi ${this.options.api}`,
        );
        return undefined;
      }
      return this.options.api;
    }
    if (apis.length === 0) {
      if (sam.length === 0) this.problems.push('the template declares no AWS::AppSync::GraphQLApi');
      return undefined;
    }
    if (apis.length > 1) {
      this.problems.push(
        `the template declares ${apis.length} GraphQL APIs (${apis.join(', ')}): choose one with --api`,
      );
      return undefined;
    }
    return apis[0];
  }

  private belongsTo(logicalId: string, apiLogicalId: string): boolean {
    const props = this.resources[logicalId]!.Properties as Properties | undefined;
    const apiId = this.attempt(logicalId, () => this.intrinsics.resolve(props?.ApiId, `${logicalId}.ApiId`));
    return apiId === this.apiId(apiLogicalId);
  }

  read(): TemplateApi {
    for (const problem of this.intrinsics.problems) this.problems.push(problem);
    const apiLogicalId = this.chooseApi();
    if (!apiLogicalId) throw new TemplateProblems(this.problems);
    const api = this.attempt(apiLogicalId, () => this.properties(apiLogicalId, API_KEYS)) ?? {};
    if (api.ApiType === 'MERGED') {
      this.problems.push(`${apiLogicalId} is a merged API, which the local server does not serve`);
    }
    const auth = this.readAuth(apiLogicalId, api);
    const owned = (type: string) => this.ofType(type).filter((id) => this.belongsTo(id, apiLogicalId));
    const schema = this.readSchema(apiLogicalId, owned('AWS::AppSync::GraphQLSchema'));
    const apiKeys = this.readApiKeys(owned('AWS::AppSync::ApiKey'));

    const dataSources: Record<string, DataSourceDefinition> = {};
    for (const id of owned('AWS::AppSync::DataSource')) {
      const read = this.attempt(id, () => this.readDataSource(id));
      if (read) dataSources[read.name] = read.definition;
    }
    const functionNames = new Map<string, string>();
    const functions: Record<string, FunctionDefinition> = {};
    for (const id of owned('AWS::AppSync::FunctionConfiguration')) {
      const read = this.attempt(id, () => this.readFunction(id, dataSources));
      if (read) {
        functions[read.name] = read.definition;
        functionNames.set(this.functionId(id), read.name);
      }
    }
    const resolvers: ResolverDefinition[] = [];
    for (const id of owned('AWS::AppSync::Resolver')) {
      const read = this.attempt(id, () => this.readResolver(id, dataSources, functionNames));
      if (read) resolvers.push(read);
    }

    const bucket = this.readBucket();
    this.noteSkipped();
    if (this.problems.length > 0) throw new TemplateProblems(this.problems);
    const limit = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
    const definition: ApiDefinition = {
      name: typeof api.Name === 'string' ? api.Name : apiLogicalId,
      schema: schema!,
      auth: auth!,
      // 0 or absent: no depth limit, and AppSync's default resolver count (10,000).
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-appsync-graphqlapi.html
      queryDepthLimit: limit(Number(api.QueryDepthLimit ?? 0)),
      resolverCountLimit: limit(Number(api.ResolverCountLimit ?? 0)),
      dataSources,
      functions,
      resolvers,
    };
    return { definition, files: this.files, apiKeys, bucket, notes: this.notes };
  }

  private readAuth(apiLogicalId: string, api: Properties): ApiDefinition['auth'] | undefined {
    const where = `${apiLogicalId}.AuthenticationType`;
    const modes: AuthMode[] = [];
    const pools = new Set<string>();
    const providers = [
      api,
      ...(Array.isArray(api.AdditionalAuthenticationProviders) ? api.AdditionalAuthenticationProviders : []),
    ];
    for (const provider of providers as Properties[]) {
      const mode = provider.AuthenticationType as AuthMode;
      if (!AUTH_MODES.has(mode)) {
        this.problems.push(`${where}: ${String(mode)} is not an AppSync authorization type`);
        continue;
      }
      if (UNSERVED_AUTH_MODES.has(mode)) {
        this.problems.push(`${apiLogicalId} uses ${mode} authorization, which the local server does not check`);
      }
      if (mode === 'AMAZON_COGNITO_USER_POOLS' && isObject(provider.UserPoolConfig)) {
        const config = provider.UserPoolConfig;
        pools.add(String(config.UserPoolId));
        // The default action applies to the default mode only; DENY lets only fields naming the user pool through.
        if (config.DefaultAction === 'DENY') {
          this.problems.push(`${apiLogicalId}: the user pool's DefaultAction DENY is not emulated (only ALLOW)`);
        }
      }
      modes.push(mode);
    }
    const declaredPools = this.ofType('AWS::Cognito::UserPool');
    for (const pool of pools) {
      const found = declaredPools.find((id) => this.ref(id, false) === pool);
      if (found) {
        this.used.add(found);
        // Its app clients are what clients sign in with: the local pool has one in their place.
        for (const client of this.ofType('AWS::Cognito::UserPoolClient')) {
          const props = this.resources[client]!.Properties as Properties | undefined;
          if (this.attempt(client, () => this.intrinsics.resolve(props?.UserPoolId, client)) === pool) {
            this.used.add(client);
          }
        }
      }
      if (!found) this.problems.push(`${apiLogicalId} trusts user pool ${pool}, which the template does not declare`);
    }
    if (pools.size > 1)
      this.problems.push(`${apiLogicalId} trusts ${pools.size} user pools; the local server runs one`);
    if (modes.length === 0) return undefined;
    return { default: modes[0]!, ...(modes.length > 1 ? { additional: modes.slice(1) } : {}) };
  }

  private readSchema(apiLogicalId: string, schemas: string[]): string | undefined {
    if (schemas.length !== 1) {
      this.problems.push(
        `${apiLogicalId} needs exactly one AWS::AppSync::GraphQLSchema, the template has ${schemas.length}`,
      );
      return undefined;
    }
    const id = schemas[0]!;
    const props = this.attempt(id, () => this.properties(id, ['Definition', 'DefinitionS3Location']));
    if (!props) return undefined;
    if (typeof props.Definition === 'string') {
      const file = path.join(this.options.generatedDir, 'schema.graphql');
      this.files[file] = props.Definition;
      return file;
    }
    if (typeof props.DefinitionS3Location === 'string') {
      return this.attempt(`${id}.DefinitionS3Location`, () => this.localFile(props.DefinitionS3Location as string));
    }
    this.problems.push(`${id} has neither Definition nor DefinitionS3Location`);
    return undefined;
  }

  /**
   * A file the template names: a path relative to the template (what `aws cloudformation package` reads), or an
   * `s3://` location a CDK asset in the same folder was uploaded to.
   */
  private localFile(location: string): string {
    const key = s3Key(location);
    if (key) {
      const asset = this.assets.get(key);
      if (asset) return path.resolve(this.options.templateDir, asset);
      throw new TemplateError(`${location} is in S3, and no local asset of this template was uploaded there`);
    }
    const file = path.resolve(this.options.templateDir, location);
    if (!existsSync(file)) throw new TemplateError(`${location} does not exist (looked for ${file})`);
    return file;
  }

  private readApiKeys(ids: string[]): string[] {
    const now = this.options.now ?? Date.now();
    const keys: string[] = [];
    for (const id of ids) {
      const props = this.attempt(id, () => this.properties(id, ['Expires']));
      if (!props) continue;
      // Expires: seconds since the epoch (AWS::AppSync::ApiKey).
      if (typeof props.Expires === 'number' && props.Expires * 1000 <= now) {
        this.notes.push(`API key ${id} expired at ${new Date(props.Expires * 1000).toISOString()}: not accepted`);
        continue;
      }
      keys.push(this.options.apiKeyValue(id));
    }
    return keys;
  }

  private readDataSource(id: string): { name: string; definition: DataSourceDefinition } {
    const props = this.properties(id, DATA_SOURCE_KEYS);
    const name = String(props.Name);
    const type = String(props.Type);
    const config = (key: string): Properties => (isObject(props[key]) ? props[key] : {});
    switch (type) {
      case 'NONE':
        return { name, definition: { type: 'NONE' } };
      case 'AMAZON_DYNAMODB': {
        const dynamo = config('DynamoDBConfig');
        if (dynamo.Versioned === true) {
          throw new TemplateError('versioned data sources (conflict detection) are not emulated');
        }
        return { name, definition: { type: 'AMAZON_DYNAMODB', table: this.tableNamed(String(dynamo.TableName)) } };
      }
      case 'AWS_LAMBDA':
        return { name, definition: this.lambdaAt(String(config('LambdaConfig').LambdaFunctionArn)) };
      case 'HTTP': {
        const http = config('HttpConfig');
        const endpoint = String(http.Endpoint).replace(/\/+$/, '');
        const apiHost = `${this.apiId(this.ownerApi(id))}.appsync-api.${this.region}.amazonaws.com`;
        // The API's own endpoint: locally, the server's own address.
        const self = endpoint === `https://${apiHost}`;
        const authorization = isObject(http.AuthorizationConfig) ? http.AuthorizationConfig : undefined;
        const iam = authorization && isObject(authorization.AwsIamConfig) ? authorization.AwsIamConfig : undefined;
        if (authorization && authorization.AuthorizationType !== 'AWS_IAM') {
          throw new TemplateError(`HTTP authorization ${String(authorization.AuthorizationType)} is not AWS_IAM`);
        }
        return {
          name,
          definition: {
            type: 'HTTP',
            endpoint: self ? 'self' : endpoint,
            ...(iam
              ? {
                  authorizationConfig: {
                    // Calls to itself are signed for the local server's region, which checks them.
                    ...(iam.SigningRegion && !self ? { signingRegion: String(iam.SigningRegion) } : {}),
                    signingServiceName: String(iam.SigningServiceName),
                  },
                }
              : {}),
          },
        };
      }
      case 'AMAZON_EVENTBRIDGE':
        return {
          name,
          definition: { type: 'AMAZON_EVENTBRIDGE', eventBus: String(config('EventBridgeConfig').EventBusArn) },
        };
      // Elasticsearch is OpenSearch Service's former name; AppSync keeps both types.
      case 'AMAZON_OPENSEARCH_SERVICE':
      case 'AMAZON_ELASTICSEARCH': {
        const search = config(type === 'AMAZON_ELASTICSEARCH' ? 'ElasticsearchConfig' : 'OpenSearchServiceConfig');
        const endpoint = String(search.Endpoint);
        return {
          name,
          definition: {
            type: 'AMAZON_OPENSEARCH_SERVICE',
            endpoint: /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`,
          },
        };
      }
      case 'RELATIONAL_DATABASE': {
        const rds = config('RelationalDatabaseConfig');
        const http = isObject(rds.RdsHttpEndpointConfig) ? rds.RdsHttpEndpointConfig : {};
        const cluster = String(http.DbClusterIdentifier);
        return {
          name,
          definition: {
            type: 'RELATIONAL_DATABASE',
            engine: this.clusterEngine(cluster),
            ...(typeof http.DatabaseName === 'string' ? { databaseName: http.DatabaseName } : {}),
          },
        };
      }
      default:
        throw new TemplateError(`data source type ${type} has no local implementation`);
    }
  }

  /** The engine of the Aurora cluster a relational data source names (by identifier or ARN). */
  private clusterEngine(cluster: string): 'postgresql' | 'mysql' {
    for (const id of this.ofType('AWS::RDS::DBCluster')) {
      const identifier = String(this.ref(id, false));
      if (cluster !== identifier && cluster !== this.getAtt(id, 'DBClusterArn', false)) continue;
      const engine = String(this.properties(id, ['Engine']).Engine ?? '');
      if (engine.includes('postgres')) return 'postgresql';
      if (engine.includes('mysql')) return 'mysql';
      throw new TemplateError(`cluster ${id} runs ${engine}, which AppSync's RDS data source does not reach`);
    }
    throw new TemplateError(`cluster ${cluster} is not declared in the template, so its engine is unknown`);
  }

  private tableNamed(tableName: string): TableDefinition {
    const id = this.ofType(...TABLE_TYPES).find((table) => this.ref(table, false) === tableName);
    if (!id) throw new TemplateError(`table ${tableName} is not declared in the template`);
    return this.readTable(id, tableName);
  }

  // AWS::DynamoDB::Table (and GlobalTable, with the same key properties): KeySchema names attributes typed in
  // AttributeDefinitions; indexes carry their own KeySchema and Projection.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
  // SAM's SimpleTable: PrimaryKey { Name, Type: String | Number | Binary }, `id` of type String when absent.
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-simpletable.html
  private readTable(id: string, name: string): TableDefinition {
    const props = this.properties(id, TABLE_KEYS);
    if (this.typeOf(id) === 'AWS::Serverless::SimpleTable') {
      const primary = isObject(props.PrimaryKey) ? props.PrimaryKey : { Name: 'id', Type: 'String' };
      const types: Record<string, KeyType> = { String: 'S', Number: 'N', Binary: 'B' };
      const type = types[String(primary.Type)];
      if (!type) throw new TemplateError(`PrimaryKey.Type ${String(primary.Type)} is not String, Number or Binary`);
      return { name, partitionKey: { name: String(primary.Name), type } };
    }
    const attributeTypes = new Map<string, KeyType>();
    for (const attribute of (props.AttributeDefinitions ?? []) as Properties[]) {
      attributeTypes.set(String(attribute.AttributeName), attribute.AttributeType as KeyType);
    }
    const keys = (schema: unknown, where: string): { partitionKey: KeyAttribute; sortKey?: KeyAttribute } => {
      const list = (Array.isArray(schema) ? schema : []) as Properties[];
      const key = (kind: string): KeyAttribute | undefined => {
        const entry = list.find((element) => element.KeyType === kind);
        if (!entry) return undefined;
        const attribute = String(entry.AttributeName);
        const type = attributeTypes.get(attribute);
        if (!type) throw new TemplateError(`${where}: key ${attribute} has no AttributeDefinitions entry`);
        return { name: attribute, type };
      };
      const partitionKey = key('HASH');
      if (!partitionKey) throw new TemplateError(`${where} has no HASH key`);
      const sortKey = key('RANGE');
      return { partitionKey, ...(sortKey ? { sortKey } : {}) };
    };
    const projection = (value: unknown): IndexProjection | undefined => {
      if (!isObject(value) || typeof value.ProjectionType !== 'string') return undefined;
      const type = value.ProjectionType as IndexProjection['type'];
      return {
        type,
        ...(Array.isArray(value.NonKeyAttributes) ? { nonKeyAttributes: value.NonKeyAttributes.map(String) } : {}),
      };
    };
    const withProjection = (index: Properties) => {
      const read = projection(index.Projection);
      return read ? { projection: read } : {};
    };
    const table: TableDefinition = { name, ...keys(props.KeySchema, `${id}.KeySchema`) };
    const gsis = (props.GlobalSecondaryIndexes ?? []) as Properties[];
    if (gsis.length > 0) {
      table.globalSecondaryIndexes = gsis.map((index) => ({
        indexName: String(index.IndexName),
        ...keys(index.KeySchema, `${id} index ${String(index.IndexName)}`),
        ...withProjection(index),
      }));
    }
    const lsis = (props.LocalSecondaryIndexes ?? []) as Properties[];
    if (lsis.length > 0) {
      table.localSecondaryIndexes = lsis.map((index) => {
        const indexKeys = keys(index.KeySchema, `${id} index ${String(index.IndexName)}`);
        if (!indexKeys.sortKey) throw new TemplateError(`${id} index ${String(index.IndexName)} has no RANGE key`);
        return { indexName: String(index.IndexName), sortKey: indexKeys.sortKey, ...withProjection(index) };
      });
    }
    const ttl = isObject(props.TimeToLiveSpecification) ? props.TimeToLiveSpecification : undefined;
    if (ttl && ttl.Enabled !== false && typeof ttl.AttributeName === 'string') {
      table.timeToLiveAttribute = ttl.AttributeName;
    }
    return table;
  }

  /** The Lambda data source for a function ARN (a version or alias qualifier runs the same code locally). */
  private lambdaAt(arn: string): LambdaDataSourceDefinition {
    const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::.+)?$/.exec(arn);
    const functionName = match?.[1] ?? arn;
    const id = this.ofType(...LAMBDA_TYPES).find((fn) => this.ref(fn, false) === functionName);
    if (!id) throw new TemplateError(`function ${arn} is not declared in the template`);
    return this.readLambda(id);
  }

  // AWS::Lambda::Function (Code: ZipFile inline, S3Bucket/S3Key of a CDK asset, or the asset path CDK records in
  // Metadata) and SAM's AWS::Serverless::Function (CodeUri a local folder, or InlineCode), with SAM's Globals.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
  private readLambda(id: string): LambdaDataSourceDefinition {
    const sam = this.typeOf(id) === 'AWS::Serverless::Function';
    const own = this.properties(id, [...LAMBDA_KEYS, 'FunctionName']);
    const globals = sam ? this.samGlobals() : {};
    const props: Properties = { ...globals, ...own };
    if (isObject(globals.Environment) && isObject(own.Environment)) {
      const globalVariables = isObject(globals.Environment.Variables) ? globals.Environment.Variables : {};
      const ownVariables = isObject(own.Environment.Variables) ? own.Environment.Variables : {};
      props.Environment = { Variables: { ...globalVariables, ...ownVariables } };
    }
    const runtime = String(props.Runtime ?? '');
    if (props.PackageType === 'Image' || (!sam && isObject(props.Code) && props.Code.ImageUri)) {
      throw new TemplateError('container image functions do not run locally');
    }
    if (!runtime.startsWith('nodejs')) {
      throw new TemplateError(`runtime ${runtime || '(none)'}: only Node.js functions run locally`);
    }
    const codeDir = this.lambdaCodeDir(id, props, sam);
    if (typeof props.Handler !== 'string') throw new TemplateError('has no Handler');
    const environment =
      isObject(props.Environment) && isObject(props.Environment.Variables) ? props.Environment.Variables : {};
    return {
      type: 'AWS_LAMBDA',
      // Lambda's `file.export` form, from the code's folder.
      handler: path.join(codeDir, props.Handler),
      environment: Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)])),
      timeoutSeconds:
        typeof props.Timeout === 'number' ? props.Timeout : Number(props.Timeout ?? DEFAULT_TIMEOUT_SECONDS),
      prebuilt: true,
    };
  }

  private samGlobals(): Properties {
    const globals = this.options.template.Globals;
    const fn = isObject(globals) && isObject(globals.Function) ? globals.Function : {};
    return this.resolveKeys(fn, LAMBDA_KEYS, 'Globals.Function');
  }

  /** The folder holding a function's code, relative to the template or absolute. */
  private lambdaCodeDir(id: string, props: Properties, sam: boolean): string {
    const metadata = this.resources[id]!.Metadata;
    const inline = sam ? props.InlineCode : isObject(props.Code) ? props.Code.ZipFile : undefined;
    if (typeof inline === 'string') {
      // CloudFormation writes inline code to index.js, a CommonJS module (AWS::Lambda::Function Code, ZipFile).
      const dir = path.join(this.options.generatedDir, 'functions', id);
      this.files[path.join(dir, 'index.js')] = inline;
      // Lambda's package has no package.json, so index.js is CommonJS whatever folder it is written in locally.
      this.files[path.join(dir, 'package.json')] = `${JSON.stringify({ type: 'commonjs' })}\n`;
      return dir;
    }
    let location: string | undefined;
    if (isObject(metadata) && typeof metadata['aws:asset:path'] === 'string') location = metadata['aws:asset:path'];
    else if (sam && typeof props.CodeUri === 'string') {
      location = s3Key(props.CodeUri) ? this.assetFor(s3Key(props.CodeUri)!) : props.CodeUri;
    } else if (sam && isObject(props.CodeUri)) location = this.assetFor(String(props.CodeUri.Key));
    else if (!sam && isObject(props.Code) && typeof props.Code.S3Key === 'string')
      location = this.assetFor(props.Code.S3Key);
    if (!location) throw new TemplateError('has no code this machine can read');
    const dir = path.resolve(this.options.templateDir, location);
    if (!existsSync(dir)) throw new TemplateError(`its code folder ${location} does not exist`);
    if (!statSync(dir).isDirectory()) {
      throw new TemplateError(`its code ${location} is an archive: unpack it and point the template at the folder`);
    }
    return path.relative(this.options.templateDir, dir) || '.';
  }

  private assetFor(key: string): string {
    const asset = this.assets.get(key);
    if (!asset)
      throw new TemplateError(`its code is in S3 (${key}), and no local asset of this template was uploaded there`);
    return asset;
  }

  /** APPSYNC_JS code, or undefined when there is none; VTL mapping templates are refused. */
  private readCode(id: string, props: Properties): CodeSource | undefined {
    const runtime = isObject(props.Runtime) ? props.Runtime : undefined;
    const vtl = [
      'RequestMappingTemplate',
      'ResponseMappingTemplate',
      'RequestMappingTemplateS3Location',
      'ResponseMappingTemplateS3Location',
    ].some((key) => props[key] !== undefined);
    if (!runtime) {
      if (vtl)
        throw new TemplateError('uses VTL mapping templates, which the local AppSync does not run (APPSYNC_JS only)');
      return undefined;
    }
    if (runtime.Name !== APPSYNC_JS) throw new TemplateError(`runtime ${String(runtime.Name)} is not APPSYNC_JS`);
    if (typeof props.Code === 'string') return { inline: props.Code, name: id };
    if (typeof props.CodeS3Location === 'string') {
      const file = this.localFile(props.CodeS3Location);
      return { inline: readFileSync(file, 'utf8'), name: `${id} (${path.relative(this.options.templateDir, file)})` };
    }
    throw new TemplateError('names the APPSYNC_JS runtime without Code or CodeS3Location');
  }

  private checkDataSource(dataSource: string, dataSources: Record<string, DataSourceDefinition>): void {
    if (!Object.hasOwn(dataSources, dataSource)) {
      if (this.failedNamed('AWS::AppSync::DataSource', dataSource)) throw new AlreadyReported();
      throw new TemplateError(`data source ${dataSource} is not one of the API's`);
    }
  }

  private notEmulatedSettings(id: string, props: Properties): void {
    if (props.SyncConfig !== undefined) throw new TemplateError('conflict detection (SyncConfig) is not emulated');
    if (props.CachingConfig !== undefined) {
      this.notes.push(`${id}: caching is not emulated; every request runs the resolver`);
    }
  }

  private readFunction(
    id: string,
    dataSources: Record<string, DataSourceDefinition>,
  ): { name: string; definition: FunctionDefinition } {
    const props = this.properties(id, ['Name', 'DataSourceName', ...CODE_KEYS]);
    this.notEmulatedSettings(id, props);
    const dataSource = String(props.DataSourceName);
    this.checkDataSource(dataSource, dataSources);
    const code = this.readCode(id, props);
    if (!code && dataSources[dataSource]!.type !== 'AWS_LAMBDA') {
      throw new TemplateError('has no code, and only a Lambda data source runs without it');
    }
    return { name: String(props.Name), definition: { dataSource, ...(code ? { code } : {}) } };
  }

  private readResolver(
    id: string,
    dataSources: Record<string, DataSourceDefinition>,
    functionNames: Map<string, string>,
  ): ResolverDefinition {
    const props = this.properties(id, [
      'TypeName',
      'FieldName',
      'Kind',
      'DataSourceName',
      'PipelineConfig',
      ...CODE_KEYS,
    ]);
    this.notEmulatedSettings(id, props);
    const base = {
      typeName: String(props.TypeName),
      fieldName: String(props.FieldName),
      ...(typeof props.MaxBatchSize === 'number' && props.MaxBatchSize > 0 ? { maxBatchSize: props.MaxBatchSize } : {}),
    };
    const code = this.readCode(id, props);
    if (props.Kind === 'PIPELINE') {
      const pipeline = isObject(props.PipelineConfig) ? props.PipelineConfig : {};
      const functions = (Array.isArray(pipeline.Functions) ? pipeline.Functions : []).map((functionId) => {
        const name = functionNames.get(String(functionId));
        const failed = [...this.failed].some((fn) => this.functionId(fn) === functionId);
        if (!name && failed) throw new AlreadyReported();
        if (!name) throw new TemplateError(`pipeline function ${String(functionId)} is not one of the API's functions`);
        return name;
      });
      if (!code) throw new TemplateError('is a pipeline resolver without APPSYNC_JS code');
      return { kind: 'PIPELINE', ...base, functions, code };
    }
    const dataSource = String(props.DataSourceName);
    this.checkDataSource(dataSource, dataSources);
    if (!code && dataSources[dataSource]!.type !== 'AWS_LAMBDA') {
      throw new TemplateError('has no code, and only a Lambda data source runs without it');
    }
    return { kind: 'UNIT', ...base, dataSource, ...(code ? { code } : {}) };
  }

  /**
   * The bucket the API's functions name (by Ref or GetAtt), served by the local S3 endpoint with its expiration
   * rules (LifecycleConfiguration.Rules: enabled rules with ExpirationInDays, for a Prefix or Filter.Prefix).
   */
  private readBucket(): TemplateApi['bucket'] {
    const buckets = [...this.buckets];
    if (buckets.length === 0) return undefined;
    if (buckets.length > 1) {
      this.problems.push(
        `the API's functions use ${buckets.length} buckets (${buckets.join(', ')}); the local S3 serves one`,
      );
      return undefined;
    }
    const id = buckets[0]!;
    const props = this.attempt(id, () => this.properties(id, ['LifecycleConfiguration']));
    if (!props) return undefined;
    const lifecycle = isObject(props.LifecycleConfiguration) ? props.LifecycleConfiguration : {};
    const rules = (Array.isArray(lifecycle.Rules) ? lifecycle.Rules : []) as Properties[];
    const lifecycleRules = rules
      .filter((rule) => rule.Status === 'Enabled' && typeof rule.ExpirationInDays === 'number')
      .map((rule, index) => ({
        id: typeof rule.Id === 'string' ? rule.Id : `rule-${index + 1}`,
        prefix: String(rule.Prefix ?? (isObject(rule.Filter) ? (rule.Filter.Prefix ?? '') : '')),
        expirationDays: rule.ExpirationInDays as number,
      }));
    return { name: String(this.ref(id)), lifecycleRules };
  }

  private noteSkipped(): void {
    for (const [id, resource] of Object.entries(this.resources)) {
      if (this.used.has(id)) continue;
      const type = String(resource.Type);
      if (!this.exists(id)) {
        this.notes.push(`skipped ${id} (${type}): its condition ${String(resource.Condition)} is false`);
      } else {
        this.notes.push(`skipped ${id} (${type}): the API does not need it locally`);
      }
    }
  }
}

/**
 * Where CDK's assets were uploaded (object key → path in the cloud assembly), from the `*.assets.json` manifests
 * `cdk synth` writes beside the template.
 */
function readAssetManifests(dir: string): Map<string, string> {
  const assets = new Map<string, string>();
  let entries: string[] = [];
  try {
    entries = readdirSync(dir).filter((file) => file.endsWith('.assets.json'));
  } catch {
    return assets;
  }
  for (const file of entries) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch {
      continue;
    }
    const files = isObject(manifest) && isObject(manifest.files) ? manifest.files : {};
    for (const asset of Object.values(files)) {
      if (!isObject(asset) || !isObject(asset.source) || typeof asset.source.path !== 'string') continue;
      for (const destination of Object.values(isObject(asset.destinations) ? asset.destinations : {})) {
        if (isObject(destination) && typeof destination.objectKey === 'string') {
          assets.set(destination.objectKey, asset.source.path);
        }
      }
    }
  }
  return assets;
}

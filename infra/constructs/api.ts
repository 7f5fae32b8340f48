// The AppSync API, wired from the one API definition the local server also runs: every data source, pipeline function
// and resolver comes from a loop over it, so there is no second list to drift.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CfnResource, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AppsyncFunction,
  AuthorizationType,
  BackedDataSource,
  BaseDataSource,
  type BackedDataSourceProps,
  Code,
  Definition,
  FieldLogLevel,
  FunctionRuntime,
  GraphqlApi,
  IamResource,
  IntrospectionConfig,
  Resolver,
  type IGraphqlApi,
} from 'aws-cdk-lib/aws-appsync';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Domain } from 'aws-cdk-lib/aws-opensearchservice';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Kind, parse } from 'graphql';
import {
  codeName,
  DEFAULT_LAMBDA_TIMEOUT_SECONDS,
  type ApiDefinition,
  type CodeSource,
  type DataSourceDefinition,
  type DataSourceType,
  type LambdaDataSourceDefinition,
  type ResolverDefinition,
} from '../../local/definition';
import { locateHandler } from '../../local/lambda/local-function';
import { bundleResolverSync } from '../../local/runtime/bundle';

export interface ApiProps {
  definition: ApiDefinition;
  /** Where the definition's relative paths (schema, resolver code, handlers) start. */
  projectRoot: string;
  /** Suffix for the API's name, e.g. the stage. */
  nameSuffix: string;
  userPool: IUserPool;
  /** Tables by their definition name. */
  tables: Record<string, ITable>;
  /** Bucket the Lambda data sources work in (only under `private/`). */
  bucket: IBucket;
  /** Keep logs when the stack goes: for the production stage. */
  retain: boolean;
  /** The one app client whose tokens the API accepts (AppSync's AppIdClientRegex). */
  userPoolClient: IUserPoolClient;
  /** Production: no introspection, and a WAF rate limit per client address. */
  production?: boolean;
}

/** Requests one address may make in five minutes before WAF blocks it (AppSync's limit is per API, not per caller). */
export const RATE_LIMIT_PER_5_MINUTES = 2000;

/** AppSync's code size limit for one resolver or function. */
export const APPSYNC_CODE_LIMIT_BYTES = 32 * 1024;

const NAME_PATTERN = /^[_A-Za-z][_0-9A-Za-z]*$/;

function logicalIdOf(construct: { node: { defaultChild?: unknown } }): string {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) {
    throw new Error('Expected a construct backed by one CloudFormation resource');
  }
  return Stack.of(resource).getLogicalId(resource);
}

/** Object types of the schema and their field names, for the synth-time check of every resolver. */
export function schemaFields(schemaSource: string): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  for (const node of parse(schemaSource).definitions) {
    if (node.kind === Kind.OBJECT_TYPE_DEFINITION || node.kind === Kind.OBJECT_TYPE_EXTENSION) {
      const names = fields.get(node.name.value) ?? new Set<string>();
      for (const field of node.fields ?? []) {
        names.add(field.name.value);
      }
      fields.set(node.name.value, names);
    }
  }
  return fields;
}

/** Throws, naming the problem, when the definition could not deploy as written. */
export function assertDeployableDefinition(definition: ApiDefinition, schemaSource: string): void {
  const additional = definition.auth.additional ?? [];
  if (definition.auth.default !== 'AMAZON_COGNITO_USER_POOLS' || additional.some((mode) => mode !== 'AWS_IAM')) {
    throw new Error(
      'This stack provides Cognito user pool auth, plus IAM for the API itself: auth.default must be ' +
        'AMAZON_COGNITO_USER_POOLS and auth.additional at most [AWS_IAM]',
    );
  }
  const depth = definition.queryDepthLimit;
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 1 || depth > 75)) {
    throw new Error(`queryDepthLimit must be a whole number from 1 to 75, not ${depth}`);
  }
  const resolvers = definition.resolverCountLimit;
  if (resolvers !== undefined && (!Number.isInteger(resolvers) || resolvers < 1 || resolvers > 10_000)) {
    throw new Error(`resolverCountLimit must be a whole number from 1 to 10000, not ${resolvers}`);
  }
  for (const name of [...Object.keys(definition.dataSources), ...Object.keys(definition.functions ?? {})]) {
    if (!NAME_PATTERN.test(name)) {
      throw new Error(`${name} is not a valid AppSync name (letters, digits and underscores)`);
    }
  }
  for (const [name, fn] of Object.entries(definition.functions ?? {})) {
    if (!definition.dataSources[fn.dataSource]) {
      throw new Error(`Function ${name} uses data source ${fn.dataSource}, which the definition does not declare`);
    }
  }

  const fields = schemaFields(schemaSource);
  for (const [name, dataSource] of Object.entries(definition.dataSources)) {
    if (dataSource.type !== 'HTTP' || !dataSource.grantedFields) continue;
    if (dataSource.endpoint !== 'self' || dataSource.authorizationConfig?.signingServiceName !== 'appsync') {
      throw new Error(`Data source ${name}: grantedFields needs endpoint 'self' signed for appsync`);
    }
    for (const granted of dataSource.grantedFields) {
      const [typeName, fieldName, ...rest] = granted.split('.');
      if (rest.length > 0 || !fieldName || !fields.get(typeName)?.has(fieldName)) {
        throw new Error(`Data source ${name} is granted ${granted}, which is not a Type.field of the schema`);
      }
    }
  }
  const seen = new Set<string>();
  for (const resolver of definition.resolvers) {
    const field = `${resolver.typeName}.${resolver.fieldName}`;
    if (!fields.get(resolver.typeName)?.has(resolver.fieldName)) {
      throw new Error(`Resolver ${field} names a field that does not exist in the schema`);
    }
    if (seen.has(field)) {
      throw new Error(`Resolver ${field} is defined twice`);
    }
    seen.add(field);
    if (resolver.kind === 'UNIT' && !definition.dataSources[resolver.dataSource]) {
      throw new Error(
        `Resolver ${field} uses data source ${resolver.dataSource}, which the definition does not declare`,
      );
    }
    if (resolver.kind === 'PIPELINE') {
      const missing = resolver.functions.filter((name) => !definition.functions?.[name]);
      if (missing.length > 0) {
        throw new Error(`Resolver ${field} uses undeclared functions ${missing.join(', ')}`);
      }
    }
    if (resolver.maxBatchSize !== undefined) {
      const batchSize = resolver.maxBatchSize;
      const lambda = resolver.kind === 'UNIT' && definition.dataSources[resolver.dataSource].type === 'AWS_LAMBDA';
      if (!lambda || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 2000) {
        throw new Error(
          `Resolver ${field}: maxBatchSize must be 1 to 2000, on a unit resolver with a Lambda data source`,
        );
      }
    }
  }
}

/** `https://<host>` of the API's own GraphQL URL, for an HTTP data source that calls the API itself. */
function ownOrigin(api: GraphqlApi): string {
  return Fn.join('', ['https://', Fn.select(2, Fn.split('/', api.graphqlUrl))]);
}

/** A DynamoDB data source that uses the role it is given as it is, without CDK's read/write grant. */
class ExactDynamoDbDataSource extends BackedDataSource {
  constructor(scope: Construct, id: string, props: BackedDataSourceProps & { table: ITable }) {
    super(scope, id, props, {
      type: 'AMAZON_DYNAMODB',
      dynamoDbConfig: { tableName: props.table.tableName, awsRegion: Stack.of(props.table).region },
    });
  }
}

export class Api extends Construct {
  readonly api: IGraphqlApi;
  readonly graphqlUrl: string;
  /** The Lambda functions behind AWS_LAMBDA data sources, by data source name. */
  readonly functions: Record<string, NodejsFunction> = {};

  private readonly props: ApiProps;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.props = props;
    const { definition } = props;
    const schemaPath = this.fromRoot(definition.schema);
    assertDeployableDefinition(definition, readFileSync(schemaPath, 'utf8'));

    const logRole = new Role(this, 'LogRole', { assumedBy: new ServicePrincipal('appsync.amazonaws.com') });
    const api = new GraphqlApi(this, 'Api', {
      name: `${definition.name}-${props.nameSuffix}`,
      definition: Definition.fromFile(schemaPath),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: AuthorizationType.USER_POOL,
          // Tokens of this app client only: another client of the pool (a future admin tool) is not a way in.
          userPoolConfig: {
            userPool: props.userPool,
            appIdClientRegex: `^${props.userPoolClient.userPoolClientId}$`,
          },
        },
        additionalAuthorizationModes: (definition.auth.additional ?? []).map(() => ({
          authorizationType: AuthorizationType.IAM,
        })),
      },
      // Errors only and no verbose content: request logs would otherwise copy note contents into CloudWatch.
      logConfig: {
        fieldLogLevel: FieldLogLevel.ERROR,
        excludeVerboseContent: true,
        role: logRole,
        retention: RetentionDays.ONE_MONTH,
      },
      xrayEnabled: true,
      ...(definition.queryDepthLimit ? { queryDepthLimit: definition.queryDepthLimit } : {}),
      ...(definition.resolverCountLimit ? { resolverCountLimit: definition.resolverCountLimit } : {}),
      // Production clients are built from the committed schema; nobody needs to read it from the live API.
      introspectionConfig: props.production ? IntrospectionConfig.DISABLED : IntrospectionConfig.ENABLED,
    });
    if (props.production) {
      this.addRateLimit(api);
    }
    // AppSync writes to `/aws/appsync/apis/<id>`, which the API's log-retention resource creates; its role may write
    // there and nowhere else.
    api.logGroup.grantWrite(logRole);
    logRole.addToPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogGroup'], resources: [api.logGroup.logGroupArn] }),
    );

    const dataSources: Record<string, BaseDataSource> = {};
    for (const [name, dataSource] of Object.entries(definition.dataSources)) {
      dataSources[name] = this.addDataSource(api, name, dataSource);
    }

    const functions: Record<string, AppsyncFunction> = {};
    for (const [name, fn] of Object.entries(definition.functions ?? {})) {
      functions[name] = new AppsyncFunction(this, `Function_${name}`, {
        api,
        name,
        dataSource: dataSources[fn.dataSource],
        ...this.resolverCode(fn.code),
      });
    }

    for (const resolver of definition.resolvers) {
      this.addResolver(api, resolver, dataSources, functions);
    }

    this.api = api;
    this.graphqlUrl = api.graphqlUrl;
    this.acknowledgeLoggingFindings(api, logRole);
  }

  /** A web ACL with one rate-based rule: an address over the limit is blocked until its rate falls. */
  private addRateLimit(api: GraphqlApi): void {
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: true,
    });
    const acl = new CfnWebACL(this, 'RateLimit', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metric('notes-api'),
      rules: [
        {
          name: 'rate-per-ip',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: RATE_LIMIT_PER_5_MINUTES, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: metric('notes-api-rate-per-ip'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'RateLimitAssociation', { resourceArn: api.arn, webAclArn: acl.attrArn });
  }

  private acknowledgeLoggingFindings(api: GraphqlApi, logRole: Role): void {
    const retentionResource = logicalIdOf(api.node.findChild('LogRetention'));
    // cdk-nag names the finding by the rendered ARN: pseudo parameters, or literals when the stack has an env.
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(logRole).acknowledge({
      id:
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:` +
        `<${retentionResource}.LogGroupName>:*]`,
      reason: 'AppSync names its own log streams (`:*`) inside this API’s one log group.',
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-ASC3',
      reason:
        'Request logging is on (errors, with a role); verbose content is excluded because it would copy note ' +
        'contents and tokens into CloudWatch.',
    });
    // GraphqlApi sets its log retention through CDK's shared LogRetention function, a stack-level singleton.
    const logRetention = Stack.of(this).node.children.find((child) => child.node.id.startsWith('LogRetention'));
    if (logRetention) {
      Validations.of(logRetention).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK’s log-retention helper, which only writes its own logs with this policy.',
      });
      Validations.of(logRetention).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'CDK’s log-retention helper sets retention on log groups it is given at deploy time; CDK scopes it so.',
      });
    }
  }

  private fromRoot(relativePath: string): string {
    const absolute = path.resolve(this.props.projectRoot, relativePath);
    if (!existsSync(absolute)) {
      throw new Error(`${relativePath} does not exist under ${this.props.projectRoot}`);
    }
    return absolute;
  }

  /** APPSYNC_JS code and its runtime; none at all for a direct Lambda resolver or function. */
  private resolverCode(source: CodeSource | undefined): { code?: Code; runtime?: FunctionRuntime } {
    if (source === undefined) return {};
    const bundle = typeof source === 'string' ? bundleResolverSync(this.fromRoot(source)) : source.inline;
    const size = Buffer.byteLength(bundle, 'utf8');
    if (size > APPSYNC_CODE_LIMIT_BYTES) {
      throw new Error(
        `${codeName(source)} bundles to ${size} bytes, over AppSync's ${APPSYNC_CODE_LIMIT_BYTES}-byte limit`,
      );
    }
    return { code: Code.fromInline(bundle), runtime: FunctionRuntime.JS_1_0_0 };
  }

  /** How each kind of data source is deployed; a kind of the definition missing here does not compile. */
  private readonly dataSourceBuilders: {
    [T in DataSourceType]: (
      api: GraphqlApi,
      name: string,
      dataSource: Extract<DataSourceDefinition, { type: T }>,
    ) => BaseDataSource;
  } = {
    AMAZON_DYNAMODB: (api, name, dataSource) => {
      const table = this.props.tables[dataSource.table.name];
      if (!table) {
        throw new Error(`Data source ${name} uses table ${dataSource.table.name}, which the stack did not create`);
      }
      if (!dataSource.operations) {
        // The data source role is granted read/write on this table (and its indexes) and nothing else.
        return api.addDynamoDbDataSource(name, table, { name });
      }
      // Exactly the operations the resolvers use: CDK's own DynamoDB data source always adds every read and write
      // action (Scan, Batch*, ...), so the role and the data source are built here.
      const role = new Role(this, `${name}Role`, { assumedBy: new ServicePrincipal('appsync.amazonaws.com') });
      const indexed = dataSource.operations.some((operation) => operation === 'Query' || operation === 'Scan');
      const hasIndexes =
        (dataSource.table.globalSecondaryIndexes ?? []).length + (dataSource.table.localSecondaryIndexes ?? []).length >
        0;
      role.addToPolicy(
        new PolicyStatement({
          actions: [...new Set(dataSource.operations)].map((operation) => `dynamodb:${operation}`),
          resources: [table.tableArn, ...(indexed && hasIndexes ? [`${table.tableArn}/index/*`] : [])],
        }),
      );
      return new ExactDynamoDbDataSource(this, `${name}DataSource`, { api, name, table, serviceRole: role });
    },
    AWS_LAMBDA: (api, name, dataSource) => {
      const fn = this.addLambda(name, dataSource);
      this.functions[name] = fn;
      const lambdaDataSource = api.addLambdaDataSource(name, fn, { name });
      Validations.of(lambdaDataSource).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
        reason: 'AppSync may invoke this one function and its versions or aliases (`<arn>:*`), nothing else.',
      });
      return lambdaDataSource;
    },
    HTTP: (api, name, dataSource) => {
      const signing = dataSource.authorizationConfig;
      const http = api.addHttpDataSource(name, dataSource.endpoint === 'self' ? ownOrigin(api) : dataSource.endpoint, {
        name,
        ...(signing
          ? {
              authorizationConfig: {
                signingRegion: signing.signingRegion ?? Stack.of(this).region,
                signingServiceName: signing.signingServiceName,
              },
            }
          : {}),
      });
      // The API calling itself: its role may call these fields and nothing else of the API.
      for (const granted of dataSource.grantedFields ?? []) {
        const [typeName, fieldName] = granted.split('.');
        api.grant(http, IamResource.ofType(typeName, fieldName), 'appsync:GraphQL');
      }
      return http;
    },
    AMAZON_EVENTBRIDGE: (api, name, dataSource) => {
      const bus = dataSource.eventBus.startsWith('arn:')
        ? EventBus.fromEventBusArn(this, `${name}Bus`, dataSource.eventBus)
        : EventBus.fromEventBusName(this, `${name}Bus`, dataSource.eventBus);
      return api.addEventBridgeDataSource(name, bus, { name });
    },
    AMAZON_OPENSEARCH_SERVICE: (api, name, dataSource) =>
      api.addOpenSearchDataSource(name, Domain.fromDomainEndpoint(this, `${name}Domain`, dataSource.endpoint), {
        name,
      }),
    // The definition names a database, not the Aurora cluster and secret AppSync reaches it with; a stack with a
    // cluster would add it through GraphqlApi.addRdsDataSourceV2.
    RELATIONAL_DATABASE: (_api, name) => {
      throw new Error(`Data source ${name} is a relational database: this stack deploys no Aurora cluster for it`);
    },
    NONE: (api, name) => api.addNoneDataSource(name, { name }),
  };

  private addDataSource(api: GraphqlApi, name: string, dataSource: DataSourceDefinition): BaseDataSource {
    const build = this.dataSourceBuilders[dataSource.type] as (
      api: GraphqlApi,
      name: string,
      dataSource: DataSourceDefinition,
    ) => BaseDataSource;
    return build(api, name, dataSource);
  }

  private addLambda(name: string, definition: LambdaDataSourceDefinition): NodejsFunction {
    const { bucket, retain } = this.props;
    const handler = locateHandler(this.props.projectRoot, definition.handler, { prebuilt: definition.prebuilt });
    const logGroup = new LogGroup(this, `${name}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // An explicit role: logs to its own group and the bucket actions the definition lists, instead of the broad
    // AWSLambdaBasicExecutionRole managed policy.
    const role = new Role(this, `${name}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    for (const grant of definition.bucketGrants ?? []) {
      if (!/^[^*?]+\/$/.test(grant.prefix)) {
        throw new Error(`Data source ${name}: bucket grant prefix ${JSON.stringify(grant.prefix)} must be a folder`);
      }
      const objectActions = grant.actions.filter((action) => action !== 's3:ListBucket');
      if (objectActions.length > 0) {
        role.addToPolicy(
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: [...new Set(objectActions)],
            resources: [bucket.arnForObjects(`${grant.prefix}*`)],
          }),
        );
      }
      if (grant.actions.includes('s3:ListBucket')) {
        // Listing is a bucket action: scoped to the prefix by condition.
        role.addToPolicy(
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ['s3:ListBucket'],
            resources: [bucket.bucketArn],
            conditions: { StringLike: { 's3:prefix': [`${grant.prefix}*`] } },
          }),
        );
      }
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${grant.prefix}*]`,
        reason:
          `Keys are per user and per upload, so \`${grant.prefix}*\` is the narrowest fixed scope; the function ` +
          'checks that each key is inside the caller’s own prefix before touching it.',
      });
    }

    const fn = new NodejsFunction(this, `${name}Function`, {
      entry: handler.file,
      handler: handler.exportPath,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(definition.timeoutSeconds ?? DEFAULT_LAMBDA_TIMEOUT_SECONDS),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...definition.environment,
        BUCKET_NAME: bucket.bucketName,
        NODE_OPTIONS: '--enable-source-maps',
      },
      projectRoot: this.props.projectRoot,
      depsLockFilePath: path.join(this.props.projectRoot, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK too: the pinned version is the one the tests ran (the runtime's copy may differ).
        externalModules: [],
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: X-Ray PutTraceSegments/PutTelemetryRecords accept no resource but `*`.',
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 (LTS) is the runtime this project targets and tests against; moving to 24 is a deliberate upgrade.',
    });
    return fn;
  }

  private addResolver(
    api: GraphqlApi,
    resolver: ResolverDefinition,
    dataSources: Record<string, BaseDataSource>,
    functions: Record<string, AppsyncFunction>,
  ): void {
    const shared = {
      api,
      typeName: resolver.typeName,
      fieldName: resolver.fieldName,
      ...this.resolverCode(resolver.code),
      ...(resolver.maxBatchSize ? { maxBatchSize: resolver.maxBatchSize } : {}),
    };
    const id = `Resolver_${resolver.typeName}_${resolver.fieldName}`;
    if (resolver.kind === 'UNIT') {
      new Resolver(this, id, { ...shared, dataSource: dataSources[resolver.dataSource] });
    } else {
      new Resolver(this, id, { ...shared, pipelineConfig: resolver.functions.map((name) => functions[name]) });
    }
  }
}

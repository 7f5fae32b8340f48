// The template reader: intrinsic functions, parameters, conditions, the resources it reads, skips and refuses. Each
// rule cites the CloudFormation page it follows.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../../local/template/parse';
import { readTemplate, TemplateProblems, type TemplateReadOptions } from '../../../local/template/read';

const dir = mkdtempSync(path.join(tmpdir(), 'template-read-'));
mkdirSync(path.join(dir, 'src'), { recursive: true });
writeFileSync(path.join(dir, 'src', 'app.js'), 'exports.handler = async () => null;\n');
writeFileSync(
  path.join(dir, 'resolver.js'),
  'export const request = () => ({}); export const response = (ctx) => ctx.result;\n',
);

const CODE = 'export function request() { return {}; } export function response(ctx) { return ctx.result; }';
const RUNTIME = { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' };

/** A minimal API (API key, one NONE resolver) plus the resources given. */
function template(resources: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    ...extra,
    Resources: {
      Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'test', AuthenticationType: 'API_KEY' } },
      Schema: {
        Type: 'AWS::AppSync::GraphQLSchema',
        Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Definition: 'type Query { value: String }' },
      },
      None: {
        Type: 'AWS::AppSync::DataSource',
        Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Name: 'none', Type: 'NONE' },
      },
      ...resources,
    },
  };
}

function read(tpl: Record<string, unknown>, options: Partial<TemplateReadOptions> = {}) {
  return readTemplate({
    template: tpl,
    templateDir: dir,
    generatedDir: path.join(dir, 'generated'),
    stackName: 'my-stack',
    region: 'us-east-1',
    accountId: '000000000000',
    apiKeyValue: (id) => `da2-${id.toLowerCase()}`,
    ...options,
  });
}

/** The value an expression resolves to: it becomes the code of a resolver, read back. */
function resolveValue(expression: unknown, extra: Record<string, unknown> = {}, parameters?: Record<string, string>) {
  const result = read(
    template(
      {
        Value: {
          Type: 'AWS::AppSync::Resolver',
          Properties: {
            ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
            TypeName: 'Query',
            FieldName: 'value',
            DataSourceName: 'none',
            Runtime: RUNTIME,
            Code: expression,
          },
        },
      },
      extra,
    ),
    { parameters },
  );
  const code = result.definition.resolvers[0]!.code;
  return typeof code === 'object' ? code.inline : code;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateProblems) return error.problems;
    throw error;
  }
  throw new Error('expected the template to be refused');
}

describe('YAML short forms', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html: every function
  // has a `!Name` tag; `!GetAtt A.B` is the string form of Fn::GetAtt.
  it('reads !Ref, !GetAtt A.B, !Sub with a map, and nested tags as the long forms', () => {
    const parsed = parseTemplate(
      [
        'Resources:',
        '  X:',
        '    Type: T',
        '    Properties:',
        '      A: !Ref Param',
        '      B: !GetAtt Cluster.Endpoint.Address',
        '      C: !Sub ["${a}-x", { a: !Ref Param }]',
        '      D: !Join [",", [!Ref A, !Select [0, !Split ["/", !Ref B]]]]',
        '      E: !If [Cond, yes, !Ref AWS::NoValue]',
      ].join('\n'),
      't.yaml',
    );
    expect((parsed.Resources as Record<string, { Properties: unknown }>).X.Properties).toEqual({
      A: { Ref: 'Param' },
      B: { 'Fn::GetAtt': ['Cluster', 'Endpoint.Address'] },
      C: { 'Fn::Sub': ['${a}-x', { a: { Ref: 'Param' } }] },
      D: { 'Fn::Join': [',', [{ Ref: 'A' }, { 'Fn::Select': [0, { 'Fn::Split': ['/', { Ref: 'B' }] }] }]] },
      E: { 'Fn::If': ['Cond', 'yes', { Ref: 'AWS::NoValue' }] },
    });
  });

  it('names the file when the text is neither a template nor valid', () => {
    expect(() => parseTemplate('a: [', 'bad.yaml')).toThrow(/^bad\.yaml is not valid YAML/);
    expect(() => parseTemplate('{"a": 1}', 'x.json')).toThrow(
      'x.json is not a CloudFormation template: it has no Resources',
    );
  });
});

describe('intrinsic functions', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
  it('Fn::Sub: parameters, pseudo parameters, attributes, a variable map, and ${!Literal}', () => {
    const parameters = { Parameters: { Env: { Type: 'String', Default: 'dev' } } };
    expect(resolveValue({ 'Fn::Sub': '${Env}/${AWS::Region}/${AWS::AccountId}/${AWS::StackName}' }, parameters)).toBe(
      'dev/us-east-1/000000000000/my-stack',
    );
    expect(resolveValue({ 'Fn::Sub': ['${x}-${Env}', { x: 'map' }] }, parameters)).toBe('map-dev');
    expect(resolveValue({ 'Fn::Sub': '${!Env} stays' }, parameters)).toBe('${Env} stays');
    expect(resolveValue({ 'Fn::Sub': '${Api.GraphQLUrl}' })).toBe(
      'https://api.appsync-api.us-east-1.amazonaws.com/graphql',
    );
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
  it('pseudo parameters: Partition and URLSuffix', () => {
    expect(resolveValue({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x.${AWS::URLSuffix}' })).toBe(
      'arn:aws:s3:::x.amazonaws.com',
    );
  });

  // Fn::Join, Fn::Split, Fn::Select: intrinsic-function-reference-join.html, -split.html, -select.html
  it('Fn::Join, Fn::Split and Fn::Select (CDK builds an endpoint host from a URL with them)', () => {
    const host = {
      'Fn::Join': [
        '',
        ['https://', { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Api', 'GraphQLUrl'] }] }] }],
      ],
    };
    expect(resolveValue(host)).toBe('https://api.appsync-api.us-east-1.amazonaws.com');
    expect(resolveValue({ 'Fn::Select': ['1', ['a', 'b']] })).toBe('b');
    expect(problemsOf(() => resolveValue({ 'Fn::Select': [2, ['a', 'b']] }))).toEqual([
      'Value.Code: Fn::Select index 2 is outside the list of 2',
    ]);
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html
  it('Fn::If on conditions built from Fn::Equals, Fn::And, Fn::Or, Fn::Not and Condition', () => {
    const extra = {
      Parameters: { Env: { Type: 'String', Default: 'prod' }, Count: { Type: 'Number', Default: '3' } },
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        ThreeOf: { 'Fn::Equals': [{ Ref: 'Count' }, 3] },
        Both: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'ThreeOf' }] },
        Neither: { 'Fn::Not': [{ 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'ThreeOf' }] }] },
      },
    };
    expect(resolveValue({ 'Fn::If': ['Both', 'both', 'not both'] }, extra)).toBe('both');
    expect(resolveValue({ 'Fn::If': ['Neither', 'neither', 'some'] }, extra)).toBe('some');
    expect(resolveValue({ 'Fn::If': ['IsProd', 'p', 'd'] }, extra, { Env: 'dev' })).toBe('d');
  });

  // AWS::NoValue removes the property it is the value of (pseudo-parameter-reference.html#cfn-pseudo-param-novalue).
  it('AWS::NoValue removes a list element', () => {
    expect(resolveValue({ 'Fn::Join': ['+', ['a', { Ref: 'AWS::NoValue' }, 'b']] })).toBe('a+b');
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-findinmap.html
  it('Fn::FindInMap, its keys themselves resolved', () => {
    const extra = { Mappings: { Sizes: { 'us-east-1': { Small: 'one' } } } };
    expect(resolveValue({ 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Small'] }, extra)).toBe('one');
    expect(problemsOf(() => resolveValue({ 'Fn::FindInMap': ['Sizes', 'eu-west-1', 'Small'] }, extra))).toEqual([
      'Value.Code: Fn::FindInMap finds nothing at Sizes.eu-west-1.Small',
    ]);
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html:
  // the value is another stack's export, which no single template holds.
  it('refuses Fn::ImportValue, naming the export', () => {
    expect(problemsOf(() => resolveValue({ 'Fn::ImportValue': 'shared-table' }))).toEqual([
      expect.stringContaining('Fn::ImportValue "shared-table" reads another stack\'s export'),
    ]);
  });
});

describe('parameters', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
  it('takes --parameter over Default, splits list types, and checks AllowedValues', () => {
    const extra = {
      Parameters: {
        Env: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] },
        Hosts: { Type: 'CommaDelimitedList', Default: 'a, b' },
      },
    };
    expect(
      resolveValue(
        { 'Fn::Join': ['|', [{ Ref: 'Env' }, ...[0, 1].map((i) => ({ 'Fn::Select': [i, { Ref: 'Hosts' }] }))]] },
        extra,
        { Env: 'prod' },
      ),
    ).toBe('prod|a|b');
    expect(problemsOf(() => resolveValue('x', extra, { Env: 'qa' }))).toEqual([
      "parameter Env is 'qa', not one of dev, prod",
    ]);
  });

  it('refuses a parameter without a value, and a --parameter the template does not declare, all at once', () => {
    const extra = { Parameters: { Needed: { Type: 'String' } } };
    expect(problemsOf(() => resolveValue('x', extra, { Typo: '1' }))).toEqual([
      '--parameter Typo: the template declares no parameter Typo',
      'parameter Needed has no Default: give it with --parameter Needed=<value>',
    ]);
  });

  it("leaves an SSM parameter alone until a value uses it (CDK's BootstrapVersion)", () => {
    const extra = {
      Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk/v' } },
    };
    expect(resolveValue('unused', extra)).toBe('unused');
    expect(problemsOf(() => resolveValue({ Ref: 'BootstrapVersion' }, extra))).toEqual([
      expect.stringContaining('parameter BootstrapVersion is read from SSM Parameter Store'),
    ]);
  });
});

describe('resources', () => {
  it('skips what the API does not use with one line each, and resources whose condition is false', () => {
    const result = read(
      template(
        {
          Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
          Acl: { Type: 'AWS::WAFv2::WebACL', Condition: 'Never', Properties: {} },
        },
        { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } },
      ),
    );
    expect(result.notes).toEqual([
      'skipped Role (AWS::IAM::Role): the API does not need it locally',
      'skipped Acl (AWS::WAFv2::WebACL): its condition Never is false',
    ]);
  });

  // AWS::DynamoDB::Table KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, LocalSecondaryIndexes,
  // TimeToLiveSpecification: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
  it('reads a table: keys, a GSI with its projection, an LSI, and TTL', () => {
    const result = read(
      template({
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'N' },
              { AttributeName: 'g', AttributeType: 'S' },
              { AttributeName: 'l', AttributeType: 'B' },
            ],
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            GlobalSecondaryIndexes: [
              {
                IndexName: 'byG',
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
              },
            ],
            LocalSecondaryIndexes: [
              {
                IndexName: 'byL',
                KeySchema: [
                  { AttributeName: 'pk', KeyType: 'HASH' },
                  { AttributeName: 'l', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'KEYS_ONLY' },
              },
            ],
            TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
          },
        },
        Source: {
          Type: 'AWS::AppSync::DataSource',
          Properties: {
            ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
            Name: 'table',
            Type: 'AMAZON_DYNAMODB',
            DynamoDBConfig: { TableName: { Ref: 'Table' } },
          },
        },
      }),
    );
    expect(result.definition.dataSources.table).toEqual({
      type: 'AMAZON_DYNAMODB',
      table: {
        name: 'Table',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'N' },
        globalSecondaryIndexes: [
          {
            indexName: 'byG',
            partitionKey: { name: 'g', type: 'S' },
            projection: { type: 'INCLUDE', nonKeyAttributes: ['x'] },
          },
        ],
        localSecondaryIndexes: [
          { indexName: 'byL', sortKey: { name: 'l', type: 'B' }, projection: { type: 'KEYS_ONLY' } },
        ],
        timeToLiveAttribute: 'expires',
      },
    });
  });

  // SAM: SimpleTable's PrimaryKey defaults to `id` (String); Function's Globals and CodeUri.
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-simpletable.html
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
  it("reads SAM's SimpleTable and Function with Globals", () => {
    const api = (name: string, config: Record<string, unknown>) => ({
      Type: 'AWS::AppSync::DataSource',
      Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Name: name, ...config },
    });
    const result = read(
      template(
        {
          Simple: { Type: 'AWS::Serverless::SimpleTable', Properties: { TableName: 'simple' } },
          Fn: {
            Type: 'AWS::Serverless::Function',
            Properties: { CodeUri: 'src/', Handler: 'app.handler', Environment: { Variables: { OWN: 'yes' } } },
          },
          Table: api('table', { Type: 'AMAZON_DYNAMODB', DynamoDBConfig: { TableName: { Ref: 'Simple' } } }),
          Lambda: api('fn', {
            Type: 'AWS_LAMBDA',
            LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
          }),
        },
        { Globals: { Function: { Runtime: 'nodejs20.x', Timeout: 7, Environment: { Variables: { SHARED: '1' } } } } },
      ),
    );
    expect(result.definition.dataSources.table).toEqual({
      type: 'AMAZON_DYNAMODB',
      table: { name: 'simple', partitionKey: { name: 'id', type: 'S' } },
    });
    expect(result.definition.dataSources.fn).toEqual({
      type: 'AWS_LAMBDA',
      handler: path.join('src', 'app.handler'),
      environment: { SHARED: '1', OWN: 'yes' },
      timeoutSeconds: 7,
      prebuilt: true,
    });
  });

  it('reads a pipeline: functions by FunctionId, code from CodeS3Location as a local file, a direct Lambda function', () => {
    const apiId = { 'Fn::GetAtt': ['Api', 'ApiId'] };
    const result = read(
      template({
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Code: { ZipFile: 'exports.handler = async () => 1;' },
          },
        },
        Lambda: {
          Type: 'AWS::AppSync::DataSource',
          Properties: {
            ApiId: apiId,
            Name: 'fn',
            Type: 'AWS_LAMBDA',
            LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
          },
        },
        First: {
          Type: 'AWS::AppSync::FunctionConfiguration',
          Properties: {
            ApiId: apiId,
            Name: 'first',
            DataSourceName: 'none',
            Runtime: RUNTIME,
            CodeS3Location: 'resolver.js',
          },
        },
        Direct: {
          Type: 'AWS::AppSync::FunctionConfiguration',
          Properties: { ApiId: apiId, Name: 'direct', DataSourceName: 'fn' },
        },
        Pipeline: {
          Type: 'AWS::AppSync::Resolver',
          Properties: {
            ApiId: apiId,
            TypeName: 'Query',
            FieldName: 'value',
            Kind: 'PIPELINE',
            PipelineConfig: {
              Functions: [{ 'Fn::GetAtt': ['First', 'FunctionId'] }, { 'Fn::GetAtt': ['Direct', 'FunctionId'] }],
            },
            Runtime: RUNTIME,
            Code: CODE,
          },
        },
      }),
    );
    expect(result.definition.resolvers).toEqual([
      {
        kind: 'PIPELINE',
        typeName: 'Query',
        fieldName: 'value',
        functions: ['first', 'direct'],
        code: { inline: CODE, name: 'Pipeline' },
      },
    ]);
    expect(result.definition.functions).toEqual({
      first: {
        dataSource: 'none',
        code: { inline: expect.stringContaining('export const request'), name: 'First (resolver.js)' },
      },
      direct: { dataSource: 'fn' },
    });
    // Inline Lambda code becomes index.js, CommonJS (AWS::Lambda::Function Code: "the index file ... uses the
    // extension .js ... Node.js treats the file as a CommonJS module").
    const fnDir = path.join(dir, 'generated', 'functions', 'Fn');
    expect(result.files[path.join(fnDir, 'index.js')]).toBe('exports.handler = async () => 1;');
    expect(JSON.parse(result.files[path.join(fnDir, 'package.json')]!)).toEqual({ type: 'commonjs' });
  });

  it('turns an HTTP data source aimed at the API itself into the local server', () => {
    const result = read(
      template({
        Self: {
          Type: 'AWS::AppSync::DataSource',
          Properties: {
            ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
            Name: 'self',
            Type: 'HTTP',
            HttpConfig: {
              Endpoint: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Api', 'GraphQLDns'] }]] },
              AuthorizationConfig: {
                AuthorizationType: 'AWS_IAM',
                AwsIamConfig: { SigningRegion: 'eu-west-1', SigningServiceName: 'appsync' },
              },
            },
          },
        },
      }),
    );
    expect(result.definition.dataSources.self).toEqual({
      type: 'HTTP',
      endpoint: 'self',
      authorizationConfig: { signingServiceName: 'appsync' },
    });
  });

  it('refuses, in one error, VTL templates, unserved auth, unknown data source types and unemulated resources', () => {
    const apiId = { 'Fn::GetAtt': ['Api', 'ApiId'] };
    const tpl = template({
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: 'x' },
          Environment: { Variables: { QUEUE: { Ref: 'Queue' } } },
        },
      },
      Py: {
        Type: 'AWS::Lambda::Function',
        Properties: { Runtime: 'python3.13', Handler: 'a.b', Code: { ZipFile: 'x' } },
      },
      FnSource: {
        Type: 'AWS::AppSync::DataSource',
        Properties: {
          ApiId: apiId,
          Name: 'fn',
          Type: 'AWS_LAMBDA',
          LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
        },
      },
      PySource: {
        Type: 'AWS::AppSync::DataSource',
        Properties: {
          ApiId: apiId,
          Name: 'py',
          Type: 'AWS_LAMBDA',
          LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': ['Py', 'Arn'] } },
        },
      },
      Bedrock: {
        Type: 'AWS::AppSync::DataSource',
        Properties: { ApiId: apiId, Name: 'bedrock', Type: 'AMAZON_BEDROCK_RUNTIME' },
      },
      Vtl: {
        Type: 'AWS::AppSync::Resolver',
        Properties: {
          ApiId: apiId,
          TypeName: 'Query',
          FieldName: 'value',
          DataSourceName: 'none',
          RequestMappingTemplate: '{}',
        },
      },
    });
    tpl.Resources.Api.Properties = {
      Name: 'test',
      AuthenticationType: 'API_KEY',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'OPENID_CONNECT' }],
    } as never;
    expect(problemsOf(() => read(tpl))).toEqual([
      'Api uses OPENID_CONNECT authorization, which the local server does not check',
      'FnSource: Fn.Environment.Variables.QUEUE: needs Queue (AWS::SQS::Queue), which the local server does not emulate',
      'PySource: runtime python3.13: only Node.js functions run locally',
      'Bedrock: data source type AMAZON_BEDROCK_RUNTIME has no local implementation',
      'Vtl: uses VTL mapping templates, which the local AppSync does not run (APPSYNC_JS only)',
    ]);
  });

  it("refuses SAM's GraphQLApi by name and asks which API when there are several", () => {
    expect(
      problemsOf(() => read({ Resources: { Sam: { Type: 'AWS::Serverless::GraphQLApi', Properties: {} } } })),
    ).toEqual([expect.stringMatching(/^Sam is an AWS::Serverless::GraphQLApi, which needs the SAM transform/)]);
    const two = template({
      Other: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'o', AuthenticationType: 'API_KEY' } },
    });
    expect(problemsOf(() => read(two))).toEqual([
      'the template declares 2 GraphQL APIs (Api, Other): choose one with --api',
    ]);
    expect(read(two, { api: 'Api' }).definition.name).toBe('test');
  });

  // AWS::AppSync::ApiKey Expires: seconds since the epoch.
  it('leaves out an API key past its Expires', () => {
    const apiId = { 'Fn::GetAtt': ['Api', 'ApiId'] };
    const result = read(
      template({
        Old: { Type: 'AWS::AppSync::ApiKey', Properties: { ApiId: apiId, Expires: 1_000 } },
        Current: { Type: 'AWS::AppSync::ApiKey', Properties: { ApiId: apiId, Expires: 4_000_000_000 } },
      }),
      { now: 2_000_000 },
    );
    expect(result.apiKeys).toEqual(['da2-current']);
    expect(result.notes).toContain('API key Old expired at 1970-01-01T00:16:40.000Z: not accepted');
  });
});

import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { apiDefinition } from '../../../infra/api-definition';
import { APPSYNC_CODE_LIMIT_BYTES } from '../../../infra/constructs/api';
import type { ApiDefinition, ResolverDefinition } from '../../../local/definition';
import { buildNotesStack, logicalIdOf } from '../../helpers/notes-stack';

const built = buildNotesStack();
const { template } = built;

type Resource = { Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

function resources(type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** Every statement of the inline policies attached to the role with this logical id. */
function statementsOfRole(roleLogicalId: string): Statement[] {
  return Object.values(resources('AWS::IAM::Policy'))
    .filter(({ Properties }) => JSON.stringify(Properties.Roles) === JSON.stringify([{ Ref: roleLogicalId }]))
    .flatMap(({ Properties }) => (Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function roleOf(functionLogicalId: string): string {
  const fn = resources('AWS::Lambda::Function')[functionLogicalId];
  return (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

function withDefinition(change: (definition: ApiDefinition) => void): () => unknown {
  const definition = structuredClone(apiDefinition);
  change(definition);
  return () => buildNotesStack({ definition });
}

const lambdaDataSources = Object.entries(apiDefinition.dataSources).flatMap(([name, dataSource]) =>
  dataSource.type === 'AWS_LAMBDA' ? [{ name, ...dataSource }] : [],
);
const bucketArn = { 'Fn::GetAtt': [logicalIdOf(built, built.stack.storage.bucket), 'Arn'] };
const tableId = logicalIdOf(built, built.stack.tables.notes);

describe('Api', () => {
  it('authorises with the Cognito user pool by default', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      UserPoolConfig: Match.objectLike({ UserPoolId: { Ref: logicalIdOf(built, built.stack.auth.userPool) } }),
    });
  });

  it('accepts IAM as its one additional mode, for publishing its own changes', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
    });
  });

  it('traces requests with X-Ray', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: true });
  });

  it('logs errors through its own role', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      LogConfig: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true, CloudWatchLogsRoleArn: Match.anyValue() },
    });
  });

  it('limits query depth as the definition says', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { QueryDepthLimit: apiDefinition.queryDepthLimit });
  });

  it('limits resolver runs per request to 1,000, as the local server does', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { ResolverCountLimit: 1000 });
  });

  it('deploys schema.graphql as it is', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLSchema', {
      Definition: readFileSync(apiDefinition.schema, 'utf8'),
    });
  });

  it('creates one data source per definition entry, by name', () => {
    const names = Object.values(resources('AWS::AppSync::DataSource')).map(({ Properties }) => Properties.Name);
    expect(names.sort()).toEqual(Object.keys(apiDefinition.dataSources).sort());
  });

  it('creates one resolver per definition entry', () => {
    const fields = Object.values(resources('AWS::AppSync::Resolver')).map(
      ({ Properties }) => `${Properties.TypeName}.${Properties.FieldName}`,
    );
    expect(fields.sort()).toEqual(apiDefinition.resolvers.map((r) => `${r.typeName}.${r.fieldName}`).sort());
  });

  it('creates one pipeline function per definition entry', () => {
    const names = Object.values(resources('AWS::AppSync::FunctionConfiguration')).map(
      ({ Properties }) => Properties.Name,
    );
    expect(names.sort()).toEqual(Object.keys(apiDefinition.functions ?? {}).sort());
  });

  it('runs every resolver on APPSYNC_JS 1.0.0', () => {
    const runtimes = Object.values(resources('AWS::AppSync::Resolver')).map(({ Properties }) => Properties.Runtime);
    expect(runtimes).toEqual(apiDefinition.resolvers.map(() => ({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' })));
  });

  it('runs every pipeline function on APPSYNC_JS 1.0.0', () => {
    const runtimes = Object.values(resources('AWS::AppSync::FunctionConfiguration')).map(
      ({ Properties }) => Properties.Runtime,
    );
    expect(runtimes).toEqual(
      Object.keys(apiDefinition.functions ?? {}).map(() => ({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' })),
    );
  });

  it('deploys each code bundle under AppSync’s 32 KB limit', () => {
    const codes = [
      ...Object.values(resources('AWS::AppSync::Resolver')),
      ...Object.values(resources('AWS::AppSync::FunctionConfiguration')),
    ].map(({ Properties }) => Properties.Code as string);
    expect(codes.filter((code) => Buffer.byteLength(code) >= APPSYNC_CODE_LIMIT_BYTES)).toEqual([]);
  });

  it('deploys bundles with an inline source map and no embedded sources', () => {
    const codes = Object.values(resources('AWS::AppSync::Resolver')).map(({ Properties }) => Properties.Code as string);
    const map = (code: string) =>
      JSON.parse(
        Buffer.from(code.split('sourceMappingURL=data:application/json;base64,')[1] ?? '', 'base64').toString(),
      );
    expect(codes.map((code) => 'sourcesContent' in map(code))).toEqual(codes.map(() => false));
  });

  it('keeps @aws-appsync/utils as an import for AppSync to provide', () => {
    template.hasResourceProperties('AWS::AppSync::Resolver', {
      FieldName: 'createNote',
      Code: Match.stringLikeRegexp('from "@aws-appsync/utils"'),
    });
  });

  it('wires pipeline resolvers with their functions in definition order', () => {
    const createNote = apiDefinition.resolvers.find((r) => r.fieldName === 'createNote') as ResolverDefinition & {
      functions: string[];
    };
    const functionIds = Object.entries(resources('AWS::AppSync::FunctionConfiguration')).map(([id, { Properties }]) => [
      Properties.Name,
      id,
    ]);
    const idOf = Object.fromEntries(functionIds);
    template.hasResourceProperties('AWS::AppSync::Resolver', {
      FieldName: 'createNote',
      Kind: 'PIPELINE',
      PipelineConfig: { Functions: createNote.functions.map((name) => ({ 'Fn::GetAtt': [idOf[name], 'FunctionId'] })) },
    });
  });

  it('batches Attachment.downloadUrl with the definition’s maxBatchSize', () => {
    const downloadUrl = apiDefinition.resolvers.find((r) => r.fieldName === 'downloadUrl');
    template.hasResourceProperties('AWS::AppSync::Resolver', {
      TypeName: 'Attachment',
      FieldName: 'downloadUrl',
      MaxBatchSize: downloadUrl?.maxBatchSize,
    });
  });

  it('gives AppSync’s DynamoDB role access to the notes table only', () => {
    const dynamo = Object.values(resources('AWS::AppSync::DataSource')).find(
      ({ Properties }) => Properties.Type === 'AMAZON_DYNAMODB',
    );
    const roleId = (dynamo?.Properties.ServiceRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const targets = statementsOfRole(roleId).flatMap((statement) => [statement.Resource].flat());
    const distinct = [...new Set(targets.map((target) => JSON.stringify(target)))].map((target) => JSON.parse(target));
    // The notes table has no indexes, so its ARN is the only thing the role may touch.
    expect(distinct).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
  });

  it('lets AppSync’s Lambda roles invoke only their own function', () => {
    const invoked = Object.values(resources('AWS::AppSync::DataSource'))
      .filter(({ Properties }) => Properties.Type === 'AWS_LAMBDA')
      .map(({ Properties }) => {
        const roleId = (Properties.ServiceRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const functionArn = (Properties.LambdaConfig as { LambdaFunctionArn: unknown }).LambdaFunctionArn;
        const functionId = (functionArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const targets = statementsOfRole(roleId).flatMap((statement) => [statement.Resource].flat());
        return targets.every((target) => JSON.stringify(target).includes(functionId));
      });
    expect(invoked).toEqual(lambdaDataSources.map(() => true));
  });

  it('calls its own endpoint for noteChanges, signed with IAM for appsync in the stack’s region', () => {
    const [http, ...others] = Object.values(resources('AWS::AppSync::DataSource')).filter(
      ({ Properties }) => Properties.Type === 'HTTP',
    );
    expect(others).toEqual([]);
    const apiId = logicalIdOf(built, built.stack.api.api as unknown as { node: { defaultChild?: unknown } });
    expect(http.Properties).toMatchObject({
      Name: 'noteChanges',
      HttpConfig: {
        Endpoint: {
          'Fn::Join': [
            '',
            ['https://', { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [apiId, 'GraphQLUrl'] }] }] }],
          ],
        },
        AuthorizationConfig: {
          AuthorizationType: 'AWS_IAM',
          AwsIamConfig: { SigningRegion: { Ref: 'AWS::Region' }, SigningServiceName: 'appsync' },
        },
      },
    });
  });

  it('lets the noteChanges role call Mutation.publishNoteChange and nothing else', () => {
    const http = Object.values(resources('AWS::AppSync::DataSource')).find(
      ({ Properties }) => Properties.Type === 'HTTP',
    );
    const roleId = (http?.Properties.ServiceRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const apiId = logicalIdOf(built, built.stack.api.api as unknown as { node: { defaultChild?: unknown } });
    expect(statementsOfRole(roleId)).toEqual([
      {
        Effect: 'Allow',
        Action: 'appsync:GraphQL',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':appsync:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':apis/',
              { 'Fn::GetAtt': [apiId, 'ApiId'] },
              '/types/Mutation/fields/publishNoteChange',
            ],
          ],
        },
      },
    ]);
    expect(resources('AWS::IAM::Role')[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('rejects a granted field the schema does not have, or a grant on a data source that is not the API itself', () => {
    const unknownField = withDefinition((definition) => {
      const noteChanges = definition.dataSources.noteChanges as { grantedFields?: string[] };
      noteChanges.grantedFields = ['Mutation.publishEverything'];
    });
    expect(unknownField).toThrow(/granted Mutation\.publishEverything, which is not a Type\.field of the schema/);
    const elsewhere = withDefinition((definition) => {
      definition.dataSources.noteChanges = {
        type: 'HTTP',
        endpoint: 'https://api.example.com',
        authorizationConfig: { signingServiceName: 'appsync' },
        grantedFields: ['Mutation.publishNoteChange'],
      };
    });
    expect(elsewhere).toThrow(/grantedFields needs endpoint 'self' signed for appsync/);
  });

  it.each(lambdaDataSources)('runs $handler on Node.js 22 for ARM64', ({ name }) => {
    const functionId = logicalIdOf(built, built.stack.api.functions[name]);
    expect(resources('AWS::Lambda::Function')[functionId].Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
  });

  it.each(lambdaDataSources)('tells $handler the bucket name', ({ name }) => {
    const functionId = logicalIdOf(built, built.stack.api.functions[name]);
    expect(resources('AWS::Lambda::Function')[functionId].Properties.Environment).toMatchObject({
      Variables: { BUCKET_NAME: { Ref: bucketArn['Fn::GetAtt'][0] } },
    });
  });

  it.each(lambdaDataSources)(
    'lets $handler do only the bucket actions its definition grants, each under its prefix',
    ({ name, bucketGrants }) => {
      const roleId = roleOf(logicalIdOf(built, built.stack.api.functions[name]));
      const s3Statements = statementsOfRole(roleId).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('s3:')),
      );
      const expected = (bucketGrants ?? []).flatMap(({ actions, prefix }) => {
        const objectActions = actions.filter((action) => action !== 's3:ListBucket');
        return [
          ...(objectActions.length > 0
            ? [
                {
                  Effect: 'Allow',
                  Action: objectActions.length === 1 ? objectActions[0] : objectActions,
                  Resource: { 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] },
                },
              ]
            : []),
          ...(actions.includes('s3:ListBucket')
            ? [
                {
                  Effect: 'Allow',
                  Action: 's3:ListBucket',
                  Resource: bucketArn,
                  Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
                },
              ]
            : []),
        ];
      });
      // CDK may merge statements that share an action; compare what each allows, one action and resource at a time.
      const allowed = (statements: Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>) =>
        statements
          .flatMap((statement) =>
            [statement.Action]
              .flat()
              .flatMap((action) =>
                [statement.Resource]
                  .flat()
                  .map((resource) => JSON.stringify({ action, resource, condition: statement.Condition ?? null })),
              ),
          )
          .sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(allowed(s3Statements)).toEqual(allowed(expected));
    },
  );

  it('lets the notes table data source do exactly the operations the resolvers use, on that table only', () => {
    const [dataSourceId] = Object.entries(resources('AWS::AppSync::DataSource')).find(
      ([, resource]) => resource.Properties.Name === 'notesTable',
    )!;
    const roleArn = resources('AWS::AppSync::DataSource')[dataSourceId].Properties.ServiceRoleArn as {
      'Fn::GetAtt': [string, string];
    };
    const statements = statementsOfRole(roleArn['Fn::GetAtt'][0]);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
        ],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
      },
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/Scan|Batch|\*/);
  });

  it('grants each attachment function exactly what its S3 calls need', () => {
    // CopyObject: s3:GetObject on the source, s3:PutObject on the copy; HeadObject: s3:GetObject; listing a deleted
    // note's files: s3:ListBucket on its prefix only.
    const grants = Object.fromEntries(lambdaDataSources.map(({ name, bucketGrants }) => [name, bucketGrants]));
    expect(grants).toEqual({
      createUploadUrl: [{ actions: ['s3:PutObject'], prefix: 'uploads/' }],
      attachUpload: [
        { actions: ['s3:GetObject'], prefix: 'uploads/' },
        { actions: ['s3:GetObject', 's3:PutObject'], prefix: 'private/' },
      ],
      deleteAttachment: [
        { actions: ['s3:DeleteObject'], prefix: 'uploads/' },
        { actions: ['s3:DeleteObject', 's3:ListBucket'], prefix: 'private/' },
      ],
      attachmentDownloadUrls: [{ actions: ['s3:GetObject'], prefix: 'private/' }],
    });
  });

  it.each(lambdaDataSources)('gives $handler no managed policies', ({ name }) => {
    const roleId = roleOf(logicalIdOf(built, built.stack.api.functions[name]));
    expect(resources('AWS::IAM::Role')[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('rejects a resolver for a field the schema does not have', () => {
    const build = withDefinition((definition) => {
      definition.resolvers.push({
        kind: 'UNIT',
        typeName: 'Query',
        fieldName: 'nope',
        dataSource: 'notesTable',
        code: 'resolvers/Query.getNote.ts',
      });
    });
    expect(build).toThrow('Resolver Query.nope names a field that does not exist in the schema');
  });

  it('rejects a resolver on a type the schema does not have', () => {
    const build = withDefinition((definition) => {
      definition.resolvers.push({
        kind: 'UNIT',
        typeName: 'Folder',
        fieldName: 'notes',
        dataSource: 'notesTable',
        code: 'resolvers/Query.getNote.ts',
      });
    });
    expect(build).toThrow('Resolver Folder.notes names a field that does not exist in the schema');
  });

  it('rejects the same field resolved twice', () => {
    const build = withDefinition((definition) => {
      definition.resolvers.push({ ...definition.resolvers[0] });
    });
    expect(build).toThrow(/Resolver \w+\.\w+ is defined twice/);
  });

  it('rejects a resolver on an undeclared data source', () => {
    const build = withDefinition((definition) => {
      definition.resolvers[0] = {
        ...definition.resolvers[0],
        kind: 'UNIT',
        dataSource: 'missing',
      } as ResolverDefinition;
    });
    expect(build).toThrow(/uses data source missing, which the definition does not declare/);
  });

  it('rejects a pipeline with an undeclared function', () => {
    const build = withDefinition((definition) => {
      const pipeline = definition.resolvers.find((r) => r.kind === 'PIPELINE') as ResolverDefinition & {
        functions: string[];
      };
      pipeline.functions = [...pipeline.functions, 'ghost'];
    });
    expect(build).toThrow(/uses undeclared functions ghost/);
  });

  it('rejects a code file that does not exist', () => {
    const build = withDefinition((definition) => {
      definition.resolvers[0] = { ...definition.resolvers[0], code: 'resolvers/Query.missing.ts' };
    });
    expect(build).toThrow('resolvers/Query.missing.ts does not exist');
  });

  it('rejects a resolver count limit outside 1 to 10,000', () => {
    expect(withDefinition((definition) => (definition.resolverCountLimit = 10_001))).toThrow(
      'resolverCountLimit must be a whole number from 1 to 10000, not 10001',
    );
  });

  it('rejects a query depth limit outside 1 to 75', () => {
    expect(withDefinition((definition) => (definition.queryDepthLimit = 76))).toThrow(
      'queryDepthLimit must be a whole number from 1 to 75, not 76',
    );
  });

  it('rejects batching on a data source that is not a Lambda', () => {
    const build = withDefinition((definition) => {
      definition.resolvers[0] = { ...definition.resolvers[0], maxBatchSize: 10 };
    });
    expect(build).toThrow(/maxBatchSize must be 1 to 2000, on a unit resolver with a Lambda data source/);
  });

  it('rejects an auth mode the stack does not provide', () => {
    const refused = /auth.default must be AMAZON_COGNITO_USER_POOLS and auth.additional at most \[AWS_IAM\]/;
    expect(withDefinition((definition) => (definition.auth = { default: 'API_KEY' }))).toThrow(refused);
    const withApiKey = withDefinition(
      (definition) => (definition.auth = { default: 'AMAZON_COGNITO_USER_POOLS', additional: ['API_KEY'] }),
    );
    expect(withApiKey).toThrow(refused);
  });

  it('rejects a data source name AppSync would refuse', () => {
    const build = withDefinition((definition) => {
      definition.dataSources['notes-table'] = definition.dataSources.notesTable;
    });
    expect(build).toThrow('notes-table is not a valid AppSync name (letters, digits and underscores)');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiDefinition } from '../../infra/api-definition';
import { sourceFileOf } from '../../local/definition';
import { bundleResolver } from '../../local/runtime/bundle';
import { loadResolver } from '../../local/runtime/testing';

// AppSync's limit on one resolver's or function's code.
const MAX_CODE_BYTES = 32 * 1024;

function deployedSchema(): GraphQLSchema {
  // The deployed schema relies on AppSync's built-in scalars; declare them only to parse it here.
  return buildSchema(readFileSync('codegen/appsync.graphql', 'utf8') + readFileSync(apiDefinition.schema, 'utf8'));
}

const codeFiles = [
  ...apiDefinition.resolvers.map((resolver) => sourceFileOf(resolver.code, resolver.fieldName)),
  ...Object.entries(apiDefinition.functions ?? {}).map(([name, fn]) => sourceFileOf(fn.code, name)),
];

describe('apiDefinition', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = deployedSchema();
  });

  it.each(apiDefinition.resolvers.map((r) => [`${r.typeName}.${r.fieldName}`, r] as const))(
    'resolves %s, a field the schema has',
    (_, resolver) => {
      const type = schema.getType(resolver.typeName);
      expect(isObjectType(type)).toBe(true);
      expect(isObjectType(type) && type.getFields()[resolver.fieldName]).toBeTruthy();
    },
  );

  it('resolves every query and mutation field', () => {
    const rootFields = [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}).map((field) => `${type?.name}.${field}`),
    );
    const resolved = apiDefinition.resolvers.map((r) => `${r.typeName}.${r.fieldName}`);
    expect(resolved).toEqual(expect.arrayContaining(rootFields));
  });

  it('has one resolver per field', () => {
    const fields = apiDefinition.resolvers.map((r) => `${r.typeName}.${r.fieldName}`);
    expect(new Set(fields).size).toBe(fields.length);
  });

  it('names each resolver file after its type and field', () => {
    for (const resolver of apiDefinition.resolvers) {
      expect(resolver.code).toBe(`resolvers/${resolver.typeName}.${resolver.fieldName}.ts`);
    }
  });

  it('uses only defined data sources', () => {
    const used = [
      ...apiDefinition.resolvers.flatMap((r) => (r.kind === 'UNIT' ? [r.dataSource] : [])),
      ...Object.values(apiDefinition.functions ?? {}).map((fn) => fn.dataSource),
    ];
    for (const name of used) {
      expect(apiDefinition.dataSources).toHaveProperty(name);
    }
  });

  it('uses only defined pipeline functions, and every defined one', () => {
    const used = apiDefinition.resolvers.flatMap((r) => (r.kind === 'PIPELINE' ? r.functions : []));
    expect(new Set(used)).toEqual(new Set(Object.keys(apiDefinition.functions ?? {})));
  });

  it('gives AppSync function names it accepts', () => {
    for (const name of Object.keys(apiDefinition.functions ?? {})) {
      expect(name).toMatch(/^[_A-Za-z][_0-9A-Za-z]*$/);
    }
  });

  it('points every Lambda data source at a handler file that exists', () => {
    for (const source of Object.values(apiDefinition.dataSources)) {
      if (source.type === 'AWS_LAMBDA') {
        expect(existsSync(source.handler), source.handler).toBe(true);
      }
    }
  });

  it('keys the notes table by owner and note id', () => {
    const table = apiDefinition.dataSources.notesTable;
    expect(table).toMatchObject({
      type: 'AMAZON_DYNAMODB',
      table: { partitionKey: { name: 'userId', type: 'S' }, sortKey: { name: 'noteId', type: 'S' } },
    });
  });

  it('batches download URLs so a 100-note page costs one invocation', () => {
    const downloadUrl = apiDefinition.resolvers.find((r) => r.typeName === 'Attachment');
    expect(downloadUrl).toMatchObject({ fieldName: 'downloadUrl', kind: 'UNIT', maxBatchSize: 100 });
  });

  it('requires a user pool user by default, with IAM only for the API publishing its own changes', () => {
    expect(apiDefinition.auth).toEqual({ default: 'AMAZON_COGNITO_USER_POOLS', additional: ['AWS_IAM'] });
    // A root field open to IAM would be open to any principal with appsync:GraphQL on it: only the publisher.
    const iamRootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap(
      (type) =>
        Object.values(type?.getFields() ?? {})
          .filter((field) => field.astNode?.directives?.some((d) => d.name.value === 'aws_iam'))
          .map((field) => `${type?.name}.${field.name}`),
    );
    expect(iamRootFields).toEqual(['Mutation.publishNoteChange']);
  });

  it('limits query depth within what AppSync allows', () => {
    expect(apiDefinition.queryDepthLimit).toBeGreaterThanOrEqual(4);
    expect(apiDefinition.queryDepthLimit).toBeLessThanOrEqual(75);
  });

  describe.each(codeFiles.map((file) => [file]))('%s', (file) => {
    it('bundles under AppSync’s 32 KB code limit', async () => {
      const bundle = await bundleResolver(file);
      expect(Buffer.byteLength(bundle, 'utf8')).toBeLessThan(MAX_CODE_BYTES);
    });

    it('is code AppSync accepts, using only what its guide lists, exporting request and response', async () => {
      const bundle = (await loadResolver(file, { strict: true })).code;
      expect(bundle).toMatch(/export\s*\{[^}]*\brequest\b[^}]*\}/);
      expect(bundle).toMatch(/export\s*\{[^}]*\bresponse\b[^}]*\}/);
    });

    it('never scans the table', async () => {
      const bundle = await bundleResolver(file);
      expect(bundle).not.toMatch(/['"]Scan['"]|\bscan\(/);
    });
  });
});

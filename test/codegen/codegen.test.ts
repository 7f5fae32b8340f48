import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  Kind,
  buildClientSchema,
  buildSchema,
  lexicographicSortSchema,
  parse,
  print,
  printSchema,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import * as documents from '../../client/src/operations.generated';
import * as texts from '../../client/src/operation-text.generated';

const run = promisify(execFile);
const OPERATIONS_DIR = 'client/operations';

function operationsDocument(): DocumentNode {
  const sources = readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(`${OPERATIONS_DIR}/${file}`, 'utf8'));
  return parse(sources.join('\n'));
}

describe('codegen', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildSchema(readFileSync('codegen/appsync.graphql', 'utf8') + readFileSync('schema.graphql', 'utf8'));
  });

  it('has committed generated files that match the schema and operations', async () => {
    // `--check` exits non-zero when any output would change.
    await expect(run('npx', ['graphql-codegen', '--config', 'codegen.yml', '--check'])).resolves.toBeDefined();
  }, 120_000);

  it('keeps AppSync scalars and directives out of the deployed schema', () => {
    const declared = parse(readFileSync('schema.graphql', 'utf8')).definitions.flatMap((definition) =>
      definition.kind === Kind.SCALAR_TYPE_DEFINITION || definition.kind === Kind.DIRECTIVE_DEFINITION
        ? [definition.name.value]
        : [],
    );
    expect(declared).toEqual([]);
  });

  it('needs the AppSync declarations to build the deployed schema', () => {
    expect(() => buildSchema(readFileSync('schema.graphql', 'utf8'))).toThrow(/AWSDateTime|AWSURL/);
  });

  it('has client operations that are valid against the schema', () => {
    expect(validate(schema, operationsDocument())).toEqual([]);
  });

  it('has a client operation for every query, mutation and subscription a user can call', () => {
    const used = new Set<string>();
    const roots = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };
    for (const definition of operationsDocument().definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind === Kind.FIELD) used.add(`${roots[definition.operation]}.${selection.name.value}`);
      }
    }
    // Fields only IAM may call (the API's own publishNoteChange) are not for clients.
    const iamOnly = (field: { astNode?: { directives?: ReadonlyArray<{ name: { value: string } }> } | null }) => {
      const directives = (field.astNode?.directives ?? []).map((d) => d.name.value);
      return directives.length === 1 && directives[0] === 'aws_iam';
    };
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.values(type?.getFields() ?? {})
        .filter((field) => !iamOnly(field))
        .map((field) => `${type?.name}.${field.name}`),
    );
    expect(rootFields).not.toContain('Mutation.publishNoteChange');
    expect([...used].sort()).toEqual(rootFields.sort());
  });

  it('exports a parsed document per operation that is a valid request on its own', () => {
    const exported = Object.entries(documents).filter(
      ([name]) => name.endsWith('Document') && !name.endsWith('FragmentDoc'),
    );
    expect(exported.map(([name]) => name).sort()).toEqual(
      [
        'CloseNoteSubscriptions',
        'CreateNote',
        'CreateUploadUrl',
        'DeleteNote',
        'GetNote',
        'ListNotes',
        'OnNoteChange',
        'UpdateNote',
      ].map((n) => `${n}Document`),
    );
    for (const [name, document] of exported) {
      expect((document as DocumentNode).kind, name).toBe(Kind.DOCUMENT);
      expect(validate(schema, document as DocumentNode), name).toEqual([]);
    }
  });

  it('sends the same operations as text as it exports parsed', () => {
    const parsed = Object.entries(documents).filter(([name]) => name.endsWith('Document'));
    for (const [name, document] of parsed) {
      const text = (texts as Record<string, unknown>)[name];
      expect(text, name).toBeDefined();
      expect(print(parse(String(text))), name).toBe(print(document as DocumentNode));
    }
  });

  it('publishes an introspection result of exactly the schema, AppSync scalars included', () => {
    const introspection = JSON.parse(readFileSync('client/introspection.generated.json', 'utf8')) as IntrospectionQuery;
    const fromIntrospection = buildClientSchema(introspection);
    expect(printSchema(lexicographicSortSchema(fromIntrospection))).toBe(printSchema(lexicographicSortSchema(schema)));
    expect(fromIntrospection.getType('AWSDateTime')).toBeDefined();
  });
});

// What docs/mobile.md tells iOS and Android developers to feed their code generators: the committed introspection
// JSON and client/operations. No Swift or Gradle toolchain runs here, so this checks those inputs as the generators
// read them: the schema is built from the JSON alone (as Apollo iOS and Apollo Kotlin do), every operation validates
// against it with the fragments it spreads, and every custom scalar an operation touches has a mapping in the guide.
import { readFileSync, readdirSync } from 'node:fs';
import {
  Kind,
  buildClientSchema,
  getNamedType,
  isScalarType,
  parse,
  specifiedScalarTypes,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';

const OPERATIONS_DIR = 'client/operations';
const GUIDE = readFileSync('docs/mobile.md', 'utf8');

function operationFiles(): Array<{ file: string; document: DocumentNode }> {
  return readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => ({ file, document: parse(readFileSync(`${OPERATIONS_DIR}/${file}`, 'utf8')) }));
}

describe('the inputs of mobile code generation', () => {
  let schema: GraphQLSchema;
  const files = operationFiles();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { document } of files) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
  }

  beforeAll(() => {
    const json = JSON.parse(readFileSync('client/introspection.generated.json', 'utf8')) as IntrospectionQuery;
    schema = buildClientSchema(json);
  });

  /** The operation with every fragment it spreads, directly or through another fragment. */
  function withFragments(document: DocumentNode): DocumentNode {
    const needed = new Map<string, FragmentDefinitionNode>();
    const collect = (node: DocumentNode | FragmentDefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !needed.has(fragment.name.value)) {
            needed.set(fragment.name.value, fragment);
            collect(fragment);
          }
        },
      });
    collect(document);
    const own = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    return { kind: Kind.DOCUMENT, definitions: [...own, ...needed.values()] };
  }

  it('reads a schema with a query, mutation and subscription root from the introspection JSON', () => {
    expect(schema.getQueryType()?.name).toBe('Query');
    expect(schema.getMutationType()?.name).toBe('Mutation');
    expect(schema.getSubscriptionType()?.name).toBe('Subscription');
  });

  it.each(files.filter(({ document }) => document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)))(
    'validates $file against it with the fragments it spreads',
    ({ document }) => {
      expect(validate(schema, withFragments(document))).toEqual([]);
    },
  );

  it('validates all operation files together, as one generator run compiles them', () => {
    const all: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: files.flatMap(({ document }) => document.definitions),
    };
    expect(validate(schema, all)).toEqual([]);
  });

  it('maps, in the guide, every custom scalar the operations send or receive', () => {
    const used = new Set<string>();
    for (const { document } of files) {
      visit(document, {
        VariableDefinition(variable) {
          let type = variable.type;
          while (type.kind !== Kind.NAMED_TYPE) type = type.type;
          const named = schema.getType(type.name.value);
          if (named && isScalarType(named)) used.add(named.name);
        },
      });
    }
    // Scalars reached through selections: every field of every type the schema holds (the generators emit them all).
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !('getFields' in type)) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        if (isScalarType(named)) used.add(named.name);
      }
    }
    const builtIn = new Set(specifiedScalarTypes.map((scalar) => scalar.name).filter((name) => name !== 'ID'));
    const custom = [...used].filter((name) => !builtIn.has(name));
    const mapped = new Set([...GUIDE.matchAll(/^\| `(\w+)` +\| (?:string|number) /gm)].map((match) => match[1]));
    expect(custom.length).toBeGreaterThan(0);
    for (const scalar of custom) expect(mapped, `docs/mobile.md maps ${scalar}`).toContain(scalar);
  });

  it('pins the tool versions the guide was written for', () => {
    for (const tool of ['Apollo iOS', 'Apollo Kotlin', 'Amplify Swift', 'Amplify Android', 'Amplify Flutter']) {
      expect(GUIDE, tool).toMatch(new RegExp(`^\\| ${tool}[^|]*\\| \\d+\\.\\d+\\.\\d+ +\\|`, 'm'));
    }
    // The Kotlin snippet uses the version the table pins.
    const kotlin = /^\| Apollo Kotlin[^|]*\| (\S+)/m.exec(GUIDE)?.[1];
    expect(GUIDE).toContain(`id("com.apollographql.apollo") version "${kotlin}"`);
  });
});

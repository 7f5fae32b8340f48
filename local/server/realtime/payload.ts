// What a mutation publishes and what each subscriber receives [data]:
//   - the published payload is the mutation's response as the mutating client selected it (keyed here by schema
//     field name, aliases undone, so that filters and arguments name fields as the schema does);
//   - each subscriber gets its own selection of that payload: a field the mutation did not select is null, or an
//     error when the schema makes it non-null. No resolver runs again for a subscriber.
//   [data] https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-data.html
import {
  execute,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Caller } from '../engine';
import { fromGraphQLError, FieldError, type AppSyncError } from '../errors';
import { isAllowed, type FieldRule } from '../auth/field-rules';

export interface SelectionContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

function included(node: { directives?: readonly unknown[] }, variables: Record<string, unknown>): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, variables);
  return include?.if !== false;
}

/**
 * The fields a selection set picks on a type, by response key in document order, fragments spread. A fragment on
 * another concrete type is left out; on an abstract type whose concrete type is unknown, every fragment counts.
 */
export function collectFields(
  sets: readonly SelectionSetNode[],
  typeName: string | undefined,
  ctx: SelectionContext,
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const applies = (condition: string | undefined) => {
    if (!condition || !typeName || condition === typeName) return true;
    const conditionType = ctx.schema.getType(condition);
    const runtimeType = ctx.schema.getType(typeName);
    return (
      conditionType !== undefined &&
      isAbstractType(conditionType) &&
      isObjectType(runtimeType) &&
      ctx.schema.isSubType(conditionType, runtimeType)
    );
  };
  const visit = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (!included(selection, ctx.variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        fields.set(key, [...(fields.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = ctx.fragments[name];
        if (!fragment || seen.has(name) || !applies(fragment.typeCondition.name.value)) continue;
        visit(fragment.selectionSet, new Set([...seen, name]));
      }
    }
  };
  for (const set of sets) visit(set, new Set());
  return fields;
}

/** A response value re-keyed by schema field name, following the selection that produced it. */
export function byFieldName(
  value: unknown,
  type: GraphQLOutputType,
  nodes: readonly FieldNode[],
  ctx: SelectionContext,
): unknown {
  if (value === null || value === undefined) return value ?? null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return Array.isArray(value) ? value.map((item) => byFieldName(item, nullable.ofType, nodes, ctx)) : value;
  }
  const named = getNamedType(nullable);
  if (!isObjectType(named) && !isAbstractType(named)) return value;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  const runtime = isObjectType(named) ? named : runtimeTypeOf(source, sets, ctx);
  const out: Record<string, unknown> = {};
  for (const [key, fieldNodes] of collectFields(sets, runtime?.name, ctx)) {
    const name = fieldNodes[0].name.value;
    if (!Object.hasOwn(source, key) || Object.hasOwn(out, name)) continue;
    if (name === '__typename') {
      out[name] = source[key];
      continue;
    }
    const parent = runtime ?? (named as GraphQLObjectType);
    const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
    out[name] = field ? byFieldName(source[key], field.type, fieldNodes, ctx) : source[key];
  }
  return out;
}

/** The concrete type of an abstract-typed value, when the mutation selected __typename (under any alias). */
function runtimeTypeOf(
  source: Record<string, unknown>,
  sets: readonly SelectionSetNode[],
  ctx: SelectionContext,
): GraphQLObjectType | undefined {
  for (const [key, nodes] of collectFields(sets, undefined, ctx)) {
    if (nodes[0].name.value !== '__typename') continue;
    const type = ctx.schema.getType(String(source[key]));
    if (isObjectType(type)) return type;
  }
  return undefined;
}

export interface Rendering {
  /** `{"data":...}` or `{"data":...,"errors":[...]}`, ready for a data frame. */
  json: string;
  bytes: number;
}

/**
 * A subscriber's selection of a published payload, executed by graphql-js so that aliases, fragments, __typename,
 * non-null checks and scalar serialisation behave as in any response. Fields are read, never resolved; field-level
 * authorization applies with the subscriber's identity.
 */
export function renderForSubscriber(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string;
  variables: Record<string, unknown>;
  fieldName: string;
  payload: unknown;
  caller: Caller;
  rules: ReadonlyMap<string, FieldRule>;
}): Rendering {
  const { caller, rules } = options;
  const readField: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
    if (!isAllowed(rules.get(`${info.parentType.name}.${info.fieldName}`), caller)) {
      throw new FieldError({
        message: `Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`,
        errorType: 'Unauthorized',
      });
    }
    return source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[info.fieldName] : null;
  };
  const result = execute({
    schema: options.schema,
    document: options.document,
    rootValue: { [options.fieldName]: options.payload },
    variableValues: options.variables,
    operationName: options.operationName,
    fieldResolver: readField,
  });
  if (result instanceof Promise) throw new Error('a subscriber rendering never waits');
  const body: { data: unknown; errors?: AppSyncError[] } = { data: result.data ?? null };
  if (result.errors?.length) body.errors = result.errors.map(fromGraphQLError);
  const json = JSON.stringify(body);
  return { json, bytes: Buffer.byteLength(json) };
}

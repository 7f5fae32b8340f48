// GraphQL validation as AppSync answers it. AppSync runs on graphql-java, and its validation errors read the way
// graphql-java 9 words them ("Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined
// @ 'badfield'"): the rule's error type, a description, and the query path (the names of the fields, and of the
// fragment, that the rule was inside when it found the problem). graphql-js checks the same rules; this module runs
// them, notes which rule raised each error, and words the error as graphql-java would, from the error's nodes.
// Each error is `{ path: null, locations, message }`: AppSync sends no errorType with them.
//
// Where graphql-js has a rule graphql-java 9 lacks (unique input field names), the document is still refused (the
// stricter reading), worded in the same style.
import {
  GraphQLError,
  Kind,
  TypeInfo,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  specifiedRules,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type ASTNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type TypeNode,
  type ValidationRule,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { locationsOfNodes, locationsOf, type AppSyncError } from './errors';

/** graphql-js's rules, each reporting through its own view of the context, which marks errors with the rule. */
const ruleOfError = new WeakMap<GraphQLError, string>();
const MARKED_RULES: ValidationRule[] = specifiedRules.map((rule) => {
  const marked: ValidationRule = (context) => {
    const own = Object.create(context) as typeof context;
    own.reportError = (error: GraphQLError) => {
      ruleOfError.set(error, rule.name);
      context.reportError(error);
    };
    return rule(own);
  };
  return marked;
});

/** Validates `document`; its errors in AppSync's words (none when it is valid). */
export function validateAsAppSync(schema: GraphQLSchema, document: DocumentNode): AppSyncError[] {
  const errors = validate(schema, document, MARKED_RULES);
  if (errors.length === 0) return [];
  const walk = walkTo(schema, document, new Set(errors.flatMap((error) => error.nodes ?? [])));
  const reported = new Set<ASTNode>();
  const worded: AppSyncError[] = [];
  for (const error of errors) {
    const described = describe(error, ruleOfError.get(error), walk, reported);
    if (!described) continue;
    const first = error.nodes?.[0];
    const at = described.at ?? (first?.kind === Kind.NAME ? (parentOf(first, walk) ?? first) : first);
    const path = described.path === 'none' || !at ? [] : queryPath(at, walk, described.path === 'enclosing');
    worded.push({
      path: null,
      locations: locationsOf(locationsOfNodes(described.locatedAt ?? (at ? [at] : []))),
      message:
        `Validation error of type ${described.type}: ${described.description}` +
        (path.length > 0 ? ` @ '${path.join('/')}'` : ''),
    });
  }
  return worded;
}

interface Described {
  /** graphql-java's ValidationErrorType. */
  type: string;
  description: string;
  /** The node graphql-java reports at, when not the error's first. */
  at?: ASTNode;
  /** Where the error is located, when not at `at`. */
  locatedAt?: readonly ASTNode[];
  /**
   * The query path: of `at` itself (default), of what encloses it, or none (errors graphql-java finds after
   * leaving every field).
   */
  path?: 'enclosing' | 'none';
}

interface Walk {
  ancestors: Map<ASTNode, readonly ASTNode[]>;
  argumentTypes: Map<ArgumentNode, GraphQLInputType>;
}

// graphql-js's messages hold names in double quotes; this reads the n-th one back.
const quoted = (message: string, n = 0): string => [...message.matchAll(/"([^"]*)"/g)][n]?.[1] ?? '';

const nameOf = (node: ASTNode | undefined): string =>
  node && 'name' in node && node.name && 'value' in node.name ? node.name.value : '';

function describe(
  error: GraphQLError,
  rule: string | undefined,
  walk: Walk,
  reported: Set<ASTNode>,
): Described | undefined {
  // Some rules report a name (`...Name`'s `Name`); graphql-java reports the node it names.
  const nodes = (error.nodes ?? []).map((n) => (n.kind === Kind.NAME ? (parentOf(n, walk) ?? n) : n));
  const node = nodes[0];
  const message = error.message;
  switch (rule) {
    case 'ExecutableDefinitionsRule':
      return {
        type: 'NonExecutableDefinition',
        description: `The ${node?.kind === Kind.SCHEMA_DEFINITION ? 'schema' : `'${nameOf(node)}'`} definition is not executable.`,
      };
    case 'UniqueOperationNamesRule':
      return {
        type: 'DuplicateOperationName',
        description: `There can be only one operation named '${quoted(message)}'`,
        at: nodes[nodes.length - 1],
      };
    case 'LoneAnonymousOperationRule':
      return { type: 'LoneAnonymousOperationViolation', description: 'Anonymous operation with other operations.' };
    case 'SingleFieldSubscriptionsRule':
      return {
        type: 'SubscriptionMultipleRootFields',
        description: 'Subscription operations must only include one field',
        path: 'none',
      };
    case 'KnownTypeNamesRule':
      return { type: 'UnknownType', description: `Unknown type ${nameOf(node)}` };
    case 'FragmentsOnCompositeTypesRule':
      // graphql-js points at the type condition, graphql-java at the fragment.
      return parentOf(node, walk)?.kind === Kind.INLINE_FRAGMENT
        ? {
            type: 'InlineFragmentTypeConditionInvalid',
            description: 'Inline fragment type condition is invalid, must be on Object/Interface/Union',
            at: parentOf(node, walk),
          }
        : {
            type: 'FragmentTypeConditionInvalid',
            description: 'Fragment type condition is invalid, must be on Object/Interface/Union',
            at: parentOf(node, walk),
          };
    case 'VariablesAreInputTypesRule':
      return { type: 'NonInputTypeOnVariable', description: 'Wrong type for a variable' };
    case 'ScalarLeafsRule':
      // graphql-js points at a leaf's selection set, graphql-java at the field.
      return message.includes('must not have a selection')
        ? {
            type: 'SubSelectionNotAllowed',
            description: `Sub selection not allowed on leaf type ${quoted(message, 1)} of field ${quoted(message)}`,
            at: parentOf(node, walk),
          }
        : {
            type: 'SubSelectionRequired',
            description: `Sub selection required for type ${quoted(message, 1)} of field ${quoted(message)}`,
          };
    case 'FieldsOnCorrectTypeRule':
      return {
        type: 'FieldUndefined',
        description: `Field '${nameOf(node)}' in type '${quoted(message, 1)}' is undefined`,
      };
    case 'UniqueFragmentNamesRule':
      return {
        type: 'DuplicateFragmentName',
        description: `There can be only one fragment named '${quoted(message)}'`,
        at: nodes[nodes.length - 1],
      };
    case 'KnownFragmentNamesRule':
      return { type: 'UndefinedFragment', description: `Undefined fragment ${nameOf(node)}` };
    case 'NoUnusedFragmentsRule':
      return { type: 'UnusedFragment', description: `Unused fragment ${nameOf(node)}`, path: 'none' };
    case 'PossibleFragmentSpreadsRule':
      return node?.kind === Kind.FRAGMENT_SPREAD
        ? {
            type: 'InvalidFragmentType',
            description:
              `Fragment ${nameOf(node)} cannot be spread here as objects of type ${quoted(message, 1)} ` +
              `can never be of type ${quoted(message, 2)}`,
          }
        : {
            type: 'InvalidFragmentType',
            description:
              `Fragment cannot be spread here as objects of type ${quoted(message, 0)} ` +
              `can never be of type ${quoted(message, 1)}`,
          };
    case 'NoFragmentCyclesRule':
      // graphql-java finds a cycle as it reads the fragment's definition: the path is that fragment's name.
      return {
        type: 'FragmentCycle',
        description: 'Fragment cycles not allowed',
        at: walk.ancestors.get(node!)?.find((a) => a.kind === Kind.FRAGMENT_DEFINITION),
        locatedAt: nodes,
      };
    case 'UniqueVariableNamesRule':
      return {
        type: 'DuplicateVariableName',
        description: `There can be only one variable named '${quoted(message).replace(/^\$/, '')}'`,
        at: parentOf(nodes[nodes.length - 1], walk),
      };
    case 'NoUndefinedVariablesRule':
      return { type: 'UndefinedVariable', description: `Undefined variable ${nameOf(node)}` };
    case 'NoUnusedVariablesRule':
      return {
        type: 'UnusedVariable',
        description: `Unused variable ${nameOf((node as VariableDefinitionNode | undefined)?.variable)}`,
        path: 'none',
      };
    case 'KnownDirectivesRule':
      return message.startsWith('Unknown directive')
        ? { type: 'UnknownDirective', description: `Unknown directive ${nameOf(node)}` }
        : { type: 'MisplacedDirective', description: `Directive ${nameOf(node)} not allowed here` };
    case 'UniqueDirectivesPerLocationRule':
      return {
        type: 'DuplicateDirectiveName',
        description:
          `Directives must be uniquely named within a location. The directive '${nameOf(node)}' used on a ` +
          `'${parentOf(node, walk)?.kind ?? 'Unknown'}' is not unique.`,
        at: parentOf(node, walk),
      };
    case 'KnownArgumentNamesRule':
      return message.includes('on directive')
        ? { type: 'UnknownDirective', description: `Unknown directive argument ${nameOf(node)}` }
        : { type: 'UnknownArgument', description: `Unknown field argument ${nameOf(node)}` };
    case 'UniqueArgumentNamesRule':
      return {
        type: 'DuplicateArgumentNames',
        description: `There can be only one argument named '${nameOf(node)}'`,
        at: parentOf(node, walk),
      };
    case 'UniqueInputFieldNamesRule':
      return {
        type: 'WrongType',
        description: `There can be only one input field named '${quoted(message)}'`,
        at: nodes[nodes.length - 1],
      };
    case 'ValuesOfCorrectTypeRule':
      return wrongValue(node, walk, reported);
    case 'ProvidedRequiredArgumentsRule':
      return node?.kind === Kind.DIRECTIVE
        ? { type: 'MissingDirectiveArgument', description: `Missing directive argument ${quoted(message, 1)}` }
        : { type: 'MissingFieldArgument', description: `Missing field argument ${quoted(message, 1)}` };
    case 'VariablesInAllowedPositionRule':
      return {
        type: 'VariableTypeMismatch',
        description: `Variable type '${quoted(message, 1)}' doesn't match expected type '${quoted(message, 2)}'`,
        at: nodes[nodes.length - 1],
      };
    case 'OverlappingFieldsCanBeMergedRule':
      return { type: 'FieldsConflict', description: conflict(message), locatedAt: nodes, path: 'enclosing' };
    default:
      return { type: 'InvalidSyntax', description: message, path: 'none' };
  }
}

function parentOf(node: ASTNode | undefined, walk: Walk): ASTNode | undefined {
  const chain = node ? walk.ancestors.get(node) : undefined;
  return chain?.[chain.length - 1];
}

/**
 * graphql-js: `Fields "a" conflict because "b" and "c" are different fields. Use different aliases ...`;
 * graphql-java: `a: b and c are different fields`.
 */
function conflict(message: string): string {
  const match = /^Fields "([^"]+)" conflict because (.*?)\. Use different aliases/s.exec(message);
  return match ? `${match[1]}: ${conflictReason(match[2])}` : message;
}

function conflictReason(text: string): string {
  const nested = /^subfields "([^"]+)" conflict because (.*)$/s.exec(text);
  if (nested) return `(${nested[1]}: ${conflictReason(nested[2])})`;
  const fields = /^"([^"]+)" and "([^"]+)" are different fields$/.exec(text);
  if (fields) return `${fields[1]} and ${fields[2]} are different fields`;
  const types = /^they return conflicting types "([^"]+)" and "([^"]+)"$/.exec(text);
  if (types) return `they return differing types ${types[1]} and ${types[2]}`;
  if (text.startsWith('they have differing arguments')) return 'they have differing arguments';
  return text;
}

/**
 * A value of the wrong type, as graphql-java's ArgumentsOfCorrectType words it: the argument with the path to the
 * first offending part (`input.url`, `ids[2]`), that part as graphql-java prints AST values, and what is wrong;
 * one error per argument however many parts are wrong. In a variable's default: `Bad default value ...`.
 */
function wrongValue(node: ASTNode | undefined, walk: Walk, reported: Set<ASTNode>): Described | undefined {
  const chain = node ? (walk.ancestors.get(node) ?? []) : [];
  const argument = chain.findLast((a): a is ArgumentNode => a.kind === Kind.ARGUMENT);
  const variable = chain.findLast((a): a is VariableDefinitionNode => a.kind === Kind.VARIABLE_DEFINITION);
  const owner = argument ?? variable;
  if (!owner || reported.has(owner)) return undefined;
  reported.add(owner);
  if (!argument) {
    return {
      type: 'BadValueForDefaultArg',
      description: `Bad default value ${javaValue(variable!.defaultValue!)} for type ${typeText(variable!.type)}`,
      at: variable,
    };
  }
  const type = walk.argumentTypes.get(argument);
  const problem = type ? firstProblem(argument.value, type) : undefined;
  return {
    type: 'WrongType',
    description:
      `argument '${argument.name.value}${problem?.path ?? ''}' with value ` +
      `'${javaValue(problem?.value ?? argument.value)}' ${problem?.description ?? 'is not valid'}`,
    at: argument,
  };
}

interface Problem {
  path: string;
  value: ValueNode;
  description: string;
}

/** graphql-java's check of a literal against `type`: the first problem, with the path to it. */
function firstProblem(value: ValueNode, type: GraphQLInputType): Problem | undefined {
  if (value.kind === Kind.NULL) {
    return isNonNullType(type) ? { path: '', value, description: 'must not be null' } : undefined;
  }
  if (value.kind === Kind.VARIABLE) return undefined;
  if (isNonNullType(type)) return firstProblem(value, type.ofType);
  if (isLeafType(type)) {
    let parsed: unknown;
    try {
      parsed = type.parseLiteral(value, undefined);
    } catch {
      parsed = undefined;
    }
    return parsed === undefined ? { path: '', value, description: `is not a valid '${type.name}'` } : undefined;
  }
  if (isListType(type)) {
    if (value.kind !== Kind.LIST) return firstProblem(value, type.ofType);
    for (const [index, item] of value.values.entries()) {
      const inner = firstProblem(item, type.ofType);
      if (inner) return { ...inner, path: `[${index}]${inner.path}` };
    }
    return undefined;
  }
  if (!isInputObjectType(type)) return undefined;
  if (value.kind !== Kind.OBJECT) return { path: '', value, description: 'must be an object type' };
  const given = new Set(value.fields.map((field) => field.name.value));
  const fields = type.getFields();
  const missing = Object.values(fields)
    .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined && !given.has(field.name))
    .map((field) => field.name);
  if (missing.length > 0) {
    return { path: '', value, description: `is missing required fields '[${missing.join(', ')}]'` };
  }
  for (const field of value.fields) {
    const definition = fields[field.name.value];
    if (!definition) {
      return { path: '', value, description: `contains a field not in '${type.name}': '${field.name.value}'` };
    }
    const inner = firstProblem(field.value, definition.type);
    if (inner) return { ...inner, path: `.${field.name.value}${inner.path}` };
  }
  return undefined;
}

/** An AST value as graphql-java prints one (`ObjectValue{objectFields=[ObjectField{name='a', value=...}]}`). */
export function javaValue(value: ValueNode): string {
  switch (value.kind) {
    case Kind.STRING:
      return `StringValue{value='${value.value}'}`;
    case Kind.INT:
      return `IntValue{value=${value.value}}`;
    case Kind.FLOAT:
      return `FloatValue{value=${value.value}}`;
    case Kind.BOOLEAN:
      return `BooleanValue{value=${value.value}}`;
    case Kind.NULL:
      return 'NullValue{}';
    case Kind.ENUM:
      return `EnumValue{name='${value.value}'}`;
    case Kind.VARIABLE:
      return `VariableReference{name='${value.name.value}'}`;
    case Kind.LIST:
      return `ArrayValue{values=[${value.values.map(javaValue).join(', ')}]}`;
    case Kind.OBJECT:
      return `ObjectValue{objectFields=[${value.fields
        .map((field) => `ObjectField{name='${field.name.value}', value=${javaValue(field.value)}}`)
        .join(', ')}]}`;
  }
}

function typeText(type: TypeNode): string {
  if (type.kind === Kind.NON_NULL_TYPE) return `${typeText(type.type)}!`;
  if (type.kind === Kind.LIST_TYPE) return `[${typeText(type.type)}]`;
  return type.name.value;
}

/**
 * graphql-java's query path at `node`: the names of the fields and the fragment definition it is in, and its own
 * when it is one of those (unless only what encloses it counts).
 */
function queryPath(node: ASTNode, walk: Walk, enclosingOnly = false): string[] {
  const chain = enclosingOnly ? (walk.ancestors.get(node) ?? []) : [...(walk.ancestors.get(node) ?? []), node];
  return chain.flatMap((a) => (a.kind === Kind.FIELD || a.kind === Kind.FRAGMENT_DEFINITION ? [a.name.value] : []));
}

const ENCLOSING = new Set<string>([
  Kind.ARGUMENT,
  Kind.VARIABLE_DEFINITION,
  Kind.FIELD,
  Kind.FRAGMENT_SPREAD,
  Kind.FRAGMENT_DEFINITION,
  Kind.INLINE_FRAGMENT,
  Kind.DIRECTIVE,
  Kind.NAMED_TYPE,
  Kind.VARIABLE,
  Kind.SELECTION_SET,
]);

/**
 * One walk of the document that notes the ancestors of `targets` (and of the arguments that hold them) and, from
 * the schema, the type of every argument on the way.
 */
function walkTo(schema: GraphQLSchema, document: DocumentNode, targets: ReadonlySet<ASTNode>): Walk {
  const walk: Walk = { ancestors: new Map(), argumentTypes: new Map() };
  const typeInfo = new TypeInfo(schema);
  const chain: ASTNode[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        if (targets.has(node)) {
          walk.ancestors.set(node, [...chain]);
          // What encloses the target, for errors graphql-java reports there (a name's node, a value's argument).
          for (const [index, ancestor] of chain.entries()) {
            if (ENCLOSING.has(ancestor.kind) && !walk.ancestors.has(ancestor)) {
              walk.ancestors.set(ancestor, chain.slice(0, index));
            }
          }
        }
        if (node.kind === Kind.ARGUMENT) {
          const type = typeInfo.getArgument()?.type;
          if (type) walk.argumentTypes.set(node, type);
        }
        chain.push(node);
      },
      leave() {
        chain.pop();
      },
    }),
  );
  return walk;
}

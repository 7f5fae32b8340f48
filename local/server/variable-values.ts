// Variables checked the way AppSync checks them, before anything runs: graphql-java 9 coerces each variable in the
// order they are defined and stops at the first problem, which is the request's one error (`data: null`). Its
// words, and where they point:
// - a missing or null value for a non-null type: "Variable 'input' has coerced Null value for NonNull type 'ID!'"
//   (the variable's name with the type of the part that is null, however deep), at the variable's definition;
// - a value a scalar or enum cannot take: "Variable 'phone' has an invalid value. Unable to parse `1110004444` as a
//   valid phone number." (the name of the input field that holds it, or the variable's), at the definition;
// - a field the input type does not have: "The variables input contains a field that is not defined for input
//   object type 'T' ", with no location.
// Built-in scalars take only their own JSON type (graphql-java would turn "12" into an Int: the stricter reading).
import {
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { locationsOf, locationsOfNodes, type AppSyncError } from './errors';

/** The first problem with `variables` for `operation`, as AppSync reports it; undefined when they coerce. */
export function variablesError(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): AppSyncError | undefined {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue; // validation has refused the document already
    const given = Object.prototype.hasOwnProperty.call(variables, name);
    if (definition.defaultValue && (!given || variables[name] === null)) continue;
    if (!given && !isNonNullType(type)) continue;
    const problem = coerce(definition, name, type, given ? variables[name] : null);
    if (problem) return problem;
  }
  return undefined;
}

function coerce(
  definition: VariableDefinitionNode,
  inputName: string,
  type: GraphQLInputType,
  value: unknown,
): AppSyncError | undefined {
  const at = (message: string): AppSyncError => ({
    path: null,
    locations: locationsOf(locationsOfNodes([definition])),
    message,
  });
  if (isNonNullType(type)) {
    if (value === null || value === undefined) {
      return at(
        `Variable '${definition.variable.name.value}' has coerced Null value for NonNull type '${String(type)}'`,
      );
    }
    return coerce(definition, inputName, type.ofType, value);
  }
  if (value === null || value === undefined) return undefined;
  if (isListType(type)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = coerce(definition, inputName, type.ofType, item);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      return at(
        `Variable '${inputName}' has an invalid value. Expected type 'Map' but was '${javaType(value)}'. ` +
          "Variables for input objects must be an instance of type 'Map'.",
      );
    }
    const fields = type.getFields();
    const given = value as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!fields[key]) {
        return {
          path: null,
          locations: null,
          message: `The variables input contains a field that is not defined for input object type '${type.name}' `,
        };
      }
    }
    for (const field of Object.values(fields)) {
      const present = Object.prototype.hasOwnProperty.call(given, field.name);
      if (!present && (field.defaultValue !== undefined || !isNonNullType(field.type))) continue;
      if (present && given[field.name] === null && field.defaultValue !== undefined) continue;
      const problem = coerce(definition, field.name, field.type, present ? given[field.name] : null);
      if (problem) return problem;
    }
    return undefined;
  }
  const detail = isEnumType(type)
    ? enumProblem(
        type.name,
        type.getValues().map((v) => v.name),
        value,
      )
    : isScalarType(type)
      ? scalarProblem(type.name, value, () => type.parseValue(value))
      : undefined;
  return detail === undefined ? undefined : at(`Variable '${inputName}' has an invalid value. ${detail}`);
}

function enumProblem(name: string, values: string[], value: unknown): string | undefined {
  if (typeof value === 'string' && values.includes(value)) return undefined;
  return `Invalid input for Enum '${name}'. No value found for name '${javaText(value)}'`;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** What is wrong with `value` for the scalar `name`, in graphql-java's words (AppSync's for its own scalars). */
function scalarProblem(name: string, value: unknown, parse: () => unknown): string | undefined {
  const expected = (ok: boolean) => (ok ? undefined : `Expected type '${name}' but was '${javaType(value)}'.`);
  switch (name) {
    case 'Int':
      return expected(Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX);
    case 'Float':
      return expected(typeof value === 'number' && Number.isFinite(value));
    case 'String':
      return expected(typeof value === 'string');
    case 'Boolean':
      return expected(typeof value === 'boolean');
    case 'ID':
      return expected(typeof value === 'string' || Number.isInteger(value));
    default:
      try {
        parse();
        return undefined;
      } catch (error) {
        return error instanceof GraphQLError || error instanceof Error ? error.message : String(error);
      }
  }
}

/** The Java class a JSON value becomes in AppSync (Jackson's defaults), as graphql-java names it in errors. */
export function javaType(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'Double';
    if (value >= INT_MIN && value <= INT_MAX) return 'Integer';
    return Math.abs(value) <= 2 ** 63 ? 'Long' : 'BigInteger';
  }
  if (Array.isArray(value)) return 'ArrayList';
  return 'LinkedHashMap';
}

function javaText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

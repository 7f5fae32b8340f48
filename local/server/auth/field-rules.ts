// Field-level authorization from the schema's AppSync directives, resolved as AppSync does: a field's own
// directives win; otherwise its type's; otherwise the API's default mode. A type or field that names any mode does
// not implicitly allow the default one.
import {
  getDirectiveValues,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  isObjectType,
} from 'graphql';
import type { AuthMode } from '../../definition';

const MODE_OF_DIRECTIVE: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

export interface FieldRule {
  modes: ReadonlySet<AuthMode>;
  /** User-pool callers must belong to one of these groups, when given. */
  cognitoGroups?: readonly string[];
}

export interface Caller {
  mode: AuthMode;
  groups: readonly string[];
}

type DirectiveHolder = GraphQLObjectType | GraphQLField<unknown, unknown>;

function ruleOf(holder: DirectiveHolder, schema: GraphQLSchema): FieldRule | undefined {
  const modes = new Set<AuthMode>();
  let cognitoGroups: string[] | undefined;
  for (const directive of holder.astNode?.directives ?? []) {
    const mode = MODE_OF_DIRECTIVE[directive.name.value];
    if (!mode) continue;
    modes.add(mode);
    const definition = schema.getDirective(directive.name.value);
    const values = definition ? getDirectiveValues(definition, { directives: [directive] }) : undefined;
    const groups = values?.cognito_groups as string[] | undefined;
    if (groups) cognitoGroups = [...(cognitoGroups ?? []), ...groups];
  }
  return modes.size > 0 ? { modes, cognitoGroups } : undefined;
}

/** Precomputes every object field's rule; the lookup at request time is one map read. */
export function fieldRules(schema: GraphQLSchema, defaultMode: AuthMode): Map<string, FieldRule> {
  const rules = new Map<string, FieldRule>();
  const fallback: FieldRule = { modes: new Set([defaultMode]) };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRule = ruleOf(type, schema);
    for (const field of Object.values(type.getFields())) {
      rules.set(`${type.name}.${field.name}`, ruleOf(field, schema) ?? typeRule ?? fallback);
    }
  }
  return rules;
}

export function isAllowed(rule: FieldRule | undefined, caller: Caller): boolean {
  if (!rule) return true; // introspection and other fields outside the schema's object types
  if (!rule.modes.has(caller.mode)) return false;
  if (caller.mode === 'AMAZON_COGNITO_USER_POOLS' && rule.cognitoGroups) {
    return rule.cognitoGroups.some((group) => caller.groups.includes(group));
  }
  return true;
}

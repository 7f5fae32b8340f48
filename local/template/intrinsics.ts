// CloudFormation's intrinsic functions, evaluated locally: what a template's values become once deployed, with the
// local server's region and account and the physical names the reader gives resources. Each rule follows the
// function's page in the CloudFormation template reference
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html).

/** `Ref: AWS::NoValue`: the property (or list element) is removed, as if it were never written. */
export const NO_VALUE = Symbol('AWS::NoValue');

/** Something the template asks for that cannot be given locally; the reader collects these into one error. */
export class TemplateError extends Error {}

/** What Ref and Fn::GetAtt of a resource give: the reader's model of each resource it serves. */
export interface ResourceValues {
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
}

export interface IntrinsicsOptions {
  template: Record<string, unknown>;
  /** Values given on the command line (`--parameter Key=Value`). */
  parameters: Record<string, string>;
  region: string;
  accountId: string;
  stackName: string;
  resources: ResourceValues;
}

type Json = unknown;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sectionOf(template: Record<string, unknown>, name: string): Record<string, Record<string, unknown>> {
  const section = template[name];
  return isObject(section) ? (section as Record<string, Record<string, unknown>>) : {};
}

/** Parameter types whose value is a list (CommaDelimitedList, List<...>). */
function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || /^List<.*>$/.test(type);
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${where} must be a string, not ${JSON.stringify(value)}`);
}

function asList(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new TemplateError(`${where} must be a list, not ${JSON.stringify(value)}`);
}

export class Intrinsics {
  private readonly parameterValues = new Map<string, string | string[]>();
  private readonly conditionValues = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();
  private readonly parameterProblems = new Map<string, string>();
  /** Parameters whose value CloudFormation would read from SSM Parameter Store. */
  private readonly ssmParameters = new Set<string>();
  readonly resources: Record<string, Record<string, unknown>>;

  constructor(private readonly options: IntrinsicsOptions) {
    this.resources = sectionOf(options.template, 'Resources');
    const declared = sectionOf(options.template, 'Parameters');
    for (const name of Object.keys(options.parameters)) {
      if (!Object.hasOwn(declared, name)) {
        this.parameterProblems.set(name, `--parameter ${name}: the template declares no parameter ${name}`);
      }
    }
    for (const [name, declaration] of Object.entries(declared)) this.readParameter(name, declaration);
  }

  /** Problems with the parameters: each is reported whether or not a value uses it, as CloudFormation does. */
  get problems(): string[] {
    return [...this.parameterProblems.values()];
  }

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html: a parameter
  // without Default must be given; AllowedValues and AllowedPattern check the value; list types are comma-separated;
  // SSM parameter types hold the *name* of an SSM parameter, whose value CloudFormation reads from Parameter Store.
  private readParameter(name: string, declaration: Record<string, unknown>): void {
    const type = typeof declaration.Type === 'string' ? declaration.Type : 'String';
    const given = this.options.parameters[name];
    if (type.startsWith('AWS::SSM::Parameter::Value<') && given === undefined) {
      // Its value lives in Parameter Store: only a use of it is an error (CDK's BootstrapVersion is never used).
      this.parameterValues.set(name, []);
      this.ssmParameters.add(name);
      return;
    }
    const raw = given ?? (declaration.Default === undefined ? undefined : String(declaration.Default));
    if (raw === undefined) {
      this.parameterProblems.set(name, `parameter ${name} has no Default: give it with --parameter ${name}=<value>`);
      return;
    }
    const allowed = Array.isArray(declaration.AllowedValues) ? declaration.AllowedValues.map(String) : undefined;
    const values = isListType(type) ? (raw === '' ? [] : raw.split(',').map((v) => v.trim())) : [raw];
    for (const value of values) {
      if (allowed && !allowed.includes(value)) {
        this.parameterProblems.set(name, `parameter ${name} is '${value}', not one of ${allowed.join(', ')}`);
        return;
      }
      if (
        typeof declaration.AllowedPattern === 'string' &&
        !new RegExp(`^(?:${declaration.AllowedPattern})$`).test(value)
      ) {
        this.parameterProblems.set(name, `parameter ${name} ('${value}') does not match ${declaration.AllowedPattern}`);
        return;
      }
    }
    this.parameterValues.set(name, isListType(type) ? values : raw);
  }

  /** The pseudo parameters. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html */
  private pseudo(name: string): unknown {
    const { region, accountId, stackName } = this.options;
    switch (name) {
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        throw new TemplateError(`Ref ${name}: CloudFormation has no such pseudo parameter`);
    }
  }

  /** Ref: a pseudo parameter, a parameter's value, or a resource's physical id. */
  ref(name: string): unknown {
    if (name.startsWith('AWS::')) return this.pseudo(name);
    const problem = this.parameterProblems.get(name);
    if (problem) throw new TemplateError(problem);
    if (this.ssmParameters.has(name)) {
      throw new TemplateError(
        `parameter ${name} is read from SSM Parameter Store, which is not emulated: give it with --parameter ${name}=<value>`,
      );
    }
    if (this.parameterValues.has(name)) return this.parameterValues.get(name);
    if (Object.hasOwn(this.resources, name)) return this.options.resources.ref(name);
    throw new TemplateError(`Ref ${name}: the template has no parameter or resource ${name}`);
  }

  /** A named condition's value (Conditions section), each evaluated once. */
  condition(name: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const conditions = sectionOf(this.options.template, 'Conditions');
    if (!Object.hasOwn(conditions, name)) throw new TemplateError(`the template has no condition ${name}`);
    if (this.evaluating.has(name)) throw new TemplateError(`condition ${name} depends on itself`);
    this.evaluating.add(name);
    try {
      const value = this.conditionExpression(conditions[name], `condition ${name}`);
      this.conditionValues.set(name, value);
      return value;
    } finally {
      this.evaluating.delete(name);
    }
  }

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html
  private conditionExpression(expression: unknown, where: string): boolean {
    if (typeof expression === 'boolean') return expression;
    if (!isObject(expression) || Object.keys(expression).length !== 1) {
      throw new TemplateError(`${where} must be a condition function (Fn::Equals, Fn::And, ...)`);
    }
    const [fn, args] = Object.entries(expression)[0]!;
    switch (fn) {
      case 'Condition':
        return this.condition(asString(args, where));
      case 'Fn::Equals': {
        const [a, b] = asList(args, `${where}: Fn::Equals`).map((arg) => this.resolve(arg, where));
        return JSON.stringify(normalizeScalars(a)) === JSON.stringify(normalizeScalars(b));
      }
      case 'Fn::Not': {
        const [inner] = asList(args, `${where}: Fn::Not`);
        return !this.conditionExpression(inner, where);
      }
      case 'Fn::And':
        return asList(args, `${where}: Fn::And`).every((inner) => this.conditionExpression(inner, where));
      case 'Fn::Or':
        return asList(args, `${where}: Fn::Or`).some((inner) => this.conditionExpression(inner, where));
      default:
        throw new TemplateError(`${where}: ${fn} is not a condition function`);
    }
  }

  /** Whether a resource (or output) with a `Condition` attribute exists. */
  exists(entry: Record<string, unknown>): boolean {
    return typeof entry.Condition === 'string' ? this.condition(entry.Condition) : true;
  }

  /** A value with every intrinsic function evaluated; AWS::NoValue removes keys and list elements. */
  resolve(value: Json, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(item, where)).filter((item) => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
      return this.call(keys[0]!, value[keys[0]!], where);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = this.resolve(value[key], `${where}.${key}`);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private call(fn: string, args: unknown, where: string): unknown {
    try {
      return this.evaluate(fn, args, where);
    } catch (error) {
      // Problems name the property they were found in, once.
      if (error instanceof TemplateError && !error.message.startsWith(where.split('.')[0]!)) {
        throw new TemplateError(`${where}: ${error.message}`);
      }
      throw error;
    }
  }

  private evaluate(fn: string, args: unknown, where: string): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(asString(this.resolve(args, where), `${where}: Ref`));
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html:
      // [logicalId, attribute] or "logicalId.attribute"; the attribute may be given by a Ref.
      case 'Fn::GetAtt': {
        const parts =
          typeof args === 'string'
            ? splitOnce(args)
            : asList(args, `${where}: Fn::GetAtt`).map((a) => this.resolve(a, where));
        const [logicalId, attribute] = parts.map((part) => asString(part, `${where}: Fn::GetAtt`));
        if (!logicalId || !attribute) throw new TemplateError(`${where}: Fn::GetAtt needs a resource and an attribute`);
        if (!Object.hasOwn(this.resources, logicalId)) {
          throw new TemplateError(
            `${where}: Fn::GetAtt ${logicalId}.${attribute}: the template has no resource ${logicalId}`,
          );
        }
        return this.options.resources.getAtt(logicalId, attribute);
      }
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-join.html
      case 'Fn::Join': {
        const [delimiter, list] = asList(args, `${where}: Fn::Join`);
        const items = asList(this.resolve(list, where), `${where}: Fn::Join's values`);
        return items
          .map((item) => asString(item, `${where}: Fn::Join`))
          .join(asString(delimiter, `${where}: Fn::Join`));
      }
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-split.html
      case 'Fn::Split': {
        const [delimiter, source] = asList(args, `${where}: Fn::Split`);
        return asString(this.resolve(source, where), `${where}: Fn::Split`).split(asString(delimiter, where));
      }
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-select.html:
      // the index is a number (or a numeric string) within the list.
      case 'Fn::Select': {
        const [indexValue, list] = asList(args, `${where}: Fn::Select`);
        const index = Number(this.resolve(indexValue, where));
        const items = asList(this.resolve(list, where), `${where}: Fn::Select's list`);
        if (!Number.isInteger(index) || index < 0 || index >= items.length) {
          throw new TemplateError(
            `${where}: Fn::Select index ${String(indexValue)} is outside the list of ${items.length}`,
          );
        }
        return items[index];
      }
      case 'Fn::Sub':
        return this.sub(args, where);
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = asList(args, `${where}: Fn::If`);
        return this.condition(asString(name, `${where}: Fn::If`))
          ? this.resolve(whenTrue, where)
          : this.resolve(whenFalse, where);
      }
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-findinmap.html
      case 'Fn::FindInMap': {
        const [map, top, second] = asList(args, `${where}: Fn::FindInMap`).map((a) =>
          asString(this.resolve(a, where), `${where}: Fn::FindInMap`),
        );
        const mapping = sectionOf(this.options.template, 'Mappings')[map!];
        const level = isObject(mapping) ? mapping[top!] : undefined;
        if (!isObject(level) || !Object.hasOwn(level, second!)) {
          throw new TemplateError(`${where}: Fn::FindInMap finds nothing at ${map}.${top}.${second}`);
        }
        return level[second!];
      }
      case 'Fn::Base64':
        return Buffer.from(asString(this.resolve(args, where), `${where}: Fn::Base64`)).toString('base64');
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getavailabilityzones.html
      case 'Fn::GetAZs': {
        const region = asString(this.resolve(args, where), `${where}: Fn::GetAZs`) || this.options.region;
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      // The AWS::LanguageExtensions transform's functions.
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(args, where));
      case 'Fn::Length':
        return asList(this.resolve(args, where), `${where}: Fn::Length`).length;
      case 'Fn::ImportValue': {
        const name = this.resolve(args, where);
        throw new TemplateError(
          `${where}: Fn::ImportValue ${JSON.stringify(name)} reads another stack's export, which a single template cannot give; put the value in a parameter`,
        );
      }
      default:
        throw new TemplateError(`${where}: ${fn} is not supported locally`);
    }
  }

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html:
  // `${Name}` is a Ref (or a variable of the map), `${Resource.Attribute}` a GetAtt, and `${!Literal}` writes
  // `${Literal}` as it is.
  private sub(args: unknown, where: string): string {
    const [text, variables] = Array.isArray(args) ? args : [args, {}];
    const source = asString(text, `${where}: Fn::Sub`);
    const vars = isObject(variables) ? variables : {};
    return source.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (Object.hasOwn(vars, name)) return asString(this.resolve(vars[name], where), `${where}: Fn::Sub \${${name}}`);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        const [logicalId, attribute] = splitOnce(name);
        return asString(this.call('Fn::GetAtt', [logicalId, attribute], where), `${where}: Fn::Sub \${${name}}`);
      }
      return asString(this.ref(name), `${where}: Fn::Sub \${${name}}`);
    });
  }
}

function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** Parameter values are strings, so Fn::Equals compares a template's numbers and booleans as their text. */
function normalizeScalars(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(normalizeScalars);
  return value;
}

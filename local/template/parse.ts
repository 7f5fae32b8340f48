// Reading a CloudFormation template's text: JSON, or YAML with CloudFormation's short-form tags (`!Ref X`,
// `!GetAtt A.B`, `!Sub [...]`), each turned into the long form (`{ Ref: X }`, `{ "Fn::GetAtt": ["A", "B"] }`).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html (short forms)
import { createRequire } from 'node:module';
import type { Tags } from 'yaml';

// yaml is loaded when a YAML template is read, not at every start of the CLI (it was a thirteenth of the CLI's bundle,
// read and compiled by starts that serve a config file and read no template).
const loadYaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** The functions with a `!Name` short form; Ref and Condition keep their names, the rest are `Fn::Name`. */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
];

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

const customTags: Tags = SHORT_FORMS.flatMap((name) => [
  {
    tag: `!${name}`,
    // `!GetAtt Resource.Attribute`: the attribute name may itself hold dots (`Endpoint.Address`).
    resolve: (text: string) => {
      if (name !== 'GetAtt') return { [longName(name)]: text };
      const dot = text.indexOf('.');
      return { [longName(name)]: dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)] };
    },
  },
  ...(['seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    collection,
    resolve: (node: { toJSON(): unknown }) => ({ [longName(name)]: node.toJSON() }),
  })),
]);

/** A template's text as plain data; the error names the file and, for YAML, the line. */
export function parseTemplate(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  if (/^\s*[{[]/.test(text)) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    // YAML 1.2's core schema: `yes`, `on` and dates stay strings, as template values are compared as text.
    const doc = loadYaml().parseDocument(text, { customTags, uniqueKeys: true });
    if (doc.errors.length > 0) throw new Error(`${file} is not valid YAML: ${doc.errors[0]!.message}`);
    parsed = doc.toJS({ maxAliasCount: 1000 });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file} is not a CloudFormation template (an object with Resources)`);
  }
  const template = parsed as Record<string, unknown>;
  if (template.Resources === null || typeof template.Resources !== 'object') {
    throw new Error(`${file} is not a CloudFormation template: it has no Resources`);
  }
  return template;
}

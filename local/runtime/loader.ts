// Turns a resolver's ES module (exactly as deployed) into the source of a factory function the realm can run:
//
//   (function (__appsync_modules, __appsync_tick, globalThis, <unsupported globals...>) {
//     return (function () { "use strict"; <module body, imports and exports rewritten>; return { request, ... }; })();
//   })
//
// The inner function lets module code declare names that shadow the parameters. Calling the factory runs the module
// body afresh, so no module-level state survives from one evaluation to the
// next. Globals AppSync does not offer are parameters left undefined, hiding them from resolver code. Every function
// entry and loop iteration calls __appsync_tick(), which enforces the time limit. The wrapper sits on a line of its
// own and edits never add lines, so runtime error lines match the deployed code.
import type { Node } from 'acorn';
import { acorn, acornWalk } from './parsers';
import type { CodeError } from './validate';

const RESERVED_PREFIX = '__appsync_';

interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface CompiledModule {
  /** The factory's source, or undefined when the module cannot be loaded. */
  factorySource?: string;
  exportNames: string[];
  codeErrors: CodeError[];
}

// acorn's nodes are read structurally here: the walker hands every node type to one callback.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- narrowing each ESTree shape adds nothing here
type AnyNode = Node & Record<string, any>;

function codeError(node: AnyNode, value: string, source: string): CodeError {
  const { line, column } = node.loc!.start;
  return {
    errorType: 'MODULE_ERROR',
    value,
    location: { line, column, span: Math.min(node.end, source.length) - node.start },
  };
}

/** Keeps the line count of the replaced text, so later lines do not move. */
function sameLines(original: string, text: string): string {
  const newlines = original.split('\n').length - 1;
  return text + '\n'.repeat(newlines);
}

function importEdit(node: AnyNode, source: string): Edit {
  const specifier = JSON.stringify(node.source.value);
  const bindings: string[] = [];
  const named: string[] = [];
  for (const spec of node.specifiers as AnyNode[]) {
    if (spec.type === 'ImportNamespaceSpecifier')
      bindings.push(`const ${spec.local.name} = ${RESERVED_PREFIX}modules[${specifier}];`);
    else if (spec.type === 'ImportDefaultSpecifier')
      bindings.push(`const ${spec.local.name} = ${RESERVED_PREFIX}modules[${specifier}].default;`);
    else {
      const imported = spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value;
      named.push(`${JSON.stringify(imported)}: ${spec.local.name}`);
    }
  }
  if (named.length > 0) bindings.push(`const { ${named.join(', ')} } = ${RESERVED_PREFIX}modules[${specifier}];`);
  return { start: node.start, end: node.end, text: sameLines(source.slice(node.start, node.end), bindings.join(' ')) };
}

function declaredNames(declaration: AnyNode): string[] {
  if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration')
    return [declaration.id.name];
  if (declaration.type === 'VariableDeclaration') {
    return (declaration.declarations as AnyNode[]).filter((d) => d.id.type === 'Identifier').map((d) => d.id.name);
  }
  return [];
}

/** Rewrites imports and exports; returns the export map (exported name → expression). */
function rewriteModuleSyntax(
  program: AnyNode,
  source: string,
  allowedModules: ReadonlySet<string>,
  edits: Edit[],
  errors: CodeError[],
): Map<string, string> {
  const exportMap = new Map<string, string>();
  let defaultCount = 0;
  for (const node of program.body as AnyNode[]) {
    switch (node.type) {
      case 'ImportDeclaration':
        if (!allowedModules.has(node.source.value)) {
          errors.push(
            codeError(
              node,
              `Cannot import '${node.source.value}': this runtime provides only ${[...allowedModules].join(' and ')}.`,
              source,
            ),
          );
        } else {
          edits.push(importEdit(node, source));
        }
        break;
      case 'ExportNamedDeclaration':
        if (node.declaration) {
          edits.push({ start: node.start, end: node.declaration.start, text: '' });
          for (const name of declaredNames(node.declaration)) exportMap.set(name, name);
        } else if (node.source) {
          errors.push(codeError(node, 'Re-exporting from another module is not supported.', source));
        } else {
          for (const spec of node.specifiers as AnyNode[]) {
            const exported = spec.exported.type === 'Identifier' ? spec.exported.name : spec.exported.value;
            exportMap.set(exported, spec.local.name);
          }
          edits.push({ start: node.start, end: node.end, text: sameLines(source.slice(node.start, node.end), '') });
        }
        break;
      case 'ExportDefaultDeclaration': {
        const local = `${RESERVED_PREFIX}default${defaultCount++}`;
        const declaration = node.declaration as AnyNode;
        if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
          edits.push({ start: node.start, end: declaration.start, text: '' });
          exportMap.set('default', declaration.id.name);
        } else {
          edits.push({ start: node.start, end: declaration.start, text: `const ${local} = ` });
          exportMap.set('default', local);
        }
        break;
      }
      case 'ExportAllDeclaration':
        errors.push(codeError(node, 'Re-exporting from another module is not supported.', source));
        break;
      default:
        break;
    }
  }
  return exportMap;
}

const TICK = `${RESERVED_PREFIX}tick();`;

/** Adds a tick to every function entry and loop iteration. */
function instrument(program: AnyNode, edits: Edit[]): void {
  const tickBlockStart = (block: AnyNode) => edits.push({ start: block.start + 1, end: block.start + 1, text: TICK });
  const tickBody = (body: AnyNode) => {
    if (body.type === 'BlockStatement') tickBlockStart(body);
    else {
      edits.push({ start: body.start, end: body.start, text: `{${TICK}` });
      edits.push({ start: body.end, end: body.end, text: '}' });
    }
  };
  acornWalk().full(program, (node: AnyNode) => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        tickBlockStart(node.body);
        break;
      case 'ArrowFunctionExpression':
        if (node.body.type === 'BlockStatement') tickBlockStart(node.body);
        else {
          edits.push({ start: node.body.start, end: node.body.start, text: `(${RESERVED_PREFIX}tick(), ` });
          edits.push({ start: node.body.end, end: node.body.end, text: ')' });
        }
        break;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        tickBody(node.body);
        break;
      default:
        break;
    }
  });
}

function findReservedIdentifiers(program: AnyNode, source: string, errors: CodeError[]): void {
  acornWalk().full(program, (node: AnyNode) => {
    if (node.type === 'Identifier' && node.name.startsWith(RESERVED_PREFIX)) {
      errors.push(
        codeError(node, `Identifiers starting with '${RESERVED_PREFIX}' are reserved by the local runtime.`, source),
      );
    }
  });
}

function applyEdits(source: string, edits: Edit[]): string {
  // Stable order: by position, insertions before replacements at the same start, original order otherwise.
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index);
  let out = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    if (edit.start < cursor) continue; // inside a replaced range (e.g. an import statement)
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + source.slice(cursor);
}

export function compileModule(
  source: string,
  allowedModules: ReadonlySet<string>,
  shadowedGlobals: readonly string[],
): CompiledModule {
  let program: AnyNode;
  try {
    program = acorn().parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true }) as AnyNode;
  } catch (thrown) {
    const error = thrown as SyntaxError & { loc?: { line: number; column: number } };
    return {
      exportNames: [],
      codeErrors: [
        {
          errorType: 'PARSER_ERROR',
          value: error.message,
          location: { line: error.loc?.line ?? 1, column: error.loc?.column ?? 0, span: 1 },
        },
      ],
    };
  }
  const errors: CodeError[] = [];
  const edits: Edit[] = [];
  findReservedIdentifiers(program, source, errors);
  const exportMap = rewriteModuleSyntax(program, source, allowedModules, edits, errors);
  if (errors.length > 0) return { exportNames: [...exportMap.keys()], codeErrors: errors };
  instrument(program, edits);

  const body = applyEdits(source, edits);
  const exportObject = [...exportMap].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  const params = [`${RESERVED_PREFIX}modules`, `${RESERVED_PREFIX}tick`, 'globalThis', ...shadowedGlobals].join(', ');
  const factorySource =
    `(function (${params}) { return (function () { "use strict";\n` + `${body}\n;return { ${exportObject} }; })(); })`;
  return { factorySource, exportNames: [...exportMap.keys()], codeErrors: [] };
}

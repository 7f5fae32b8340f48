// Builders shared by the validator's test files: resolver code around a snippet, and where a piece of it sits.
import type { CodeError } from '../../local/runtime/validate';

/** A resolver module whose `request` handler runs `body` (which starts on line 3). */
export function resolverWith(body: string): string {
  return [
    "import { util } from '@aws-appsync/utils';",
    'export function request(ctx) {',
    body,
    '}',
    'export function response(ctx) {',
    '  return ctx.result;',
    '}',
    '',
  ].join('\n');
}

/**
 * Where the `occurrence`-th appearance of `text` sits in `code`: 1-based line and column, span = its length.
 * Computed by plain string search, independently of the validator.
 */
export function locationOf(code: string, text: string, occurrence = 0): CodeError['location'] {
  let index = -1;
  for (let seen = 0; seen <= occurrence; seen += 1) {
    index = code.indexOf(text, index + 1);
    if (index < 0) throw new Error(`"${text}" does not occur ${occurrence + 1} time(s) in the code`);
  }
  const linesBefore = code.slice(0, index).split('\n');
  return { line: linesBefore.length, column: linesBefore[linesBefore.length - 1].length + 1, span: text.length };
}

/** The LINT_ERROR AppSync reports for `text` (the offending node's source) in `code`. */
export function lintError(code: string, text: string, value: string, occurrence = 0): CodeError {
  return { errorType: 'LINT_ERROR', value, location: locationOf(code, text, occurrence) };
}

// Builders for EvaluateCode inputs, so tests read as "this code, this context".
import { evaluateCode, type EvaluateCodeOutput } from '../../local/runtime/evaluate-code';

export const APPSYNC_JS = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' } as const;

export const IMPORTS =
  "import { util, runtime, extensions } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\n";

/** A module whose request handler returns `expression`, as the recorded expression cases were evaluated. */
export function moduleReturning(expression: string): string {
  return `${IMPORTS}export function request(ctx) {\n  return ${expression};\n}\nexport function response(ctx) {\n  return ctx.result;\n}\n`;
}

export function evaluate(
  code: string,
  context: Record<string, unknown> | string = {},
  fn: 'request' | 'response' = 'request',
): EvaluateCodeOutput {
  return evaluateCode({ runtime: APPSYNC_JS, code, context, function: fn });
}

/** The parsed evaluation result; fails the test with the error when there is none. */
export function resultOf(output: EvaluateCodeOutput): unknown {
  if (output.evaluationResult === undefined) {
    throw new Error(`expected a result, got error: ${JSON.stringify(output.error)}`);
  }
  return JSON.parse(output.evaluationResult);
}

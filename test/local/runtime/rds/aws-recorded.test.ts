// Every `@aws-appsync/utils/rds` case recorded from AWS's EvaluateCode API must evaluate to the recorded value here:
// the statements, variable maps and type hints createPgStatement / createMySQLStatement build, toJsonObject's
// records, and AWS's own message for each input the module refuses. Source: fixtures/recorded-rds.json (its `source`
// names the recording).
import { describe, expect, it } from 'vitest';
import recorded from '../fixtures/recorded-rds.json';
import { evaluate, resultOf } from '../../../helpers/evaluate';

interface RecordedCase {
  name: string;
  code: string;
  context: Record<string, unknown>;
  function: 'request' | 'response';
  expected?: unknown;
  expectedError?: string;
}

const RDS_IMPORTS = "import { util } from '@aws-appsync/utils';\nimport * as rds from '@aws-appsync/utils/rds';\n";

// AWS reports an error thrown inside the module with the position of the call first (`code.js:4:15: message`);
// the recording keeps the message only.
function withoutPosition(message: string | undefined): string | undefined {
  return message?.replace(/^code\.js:\d+:\d+: /, '');
}

const cases = recorded.cases as RecordedCase[];

describe('@aws-appsync/utils/rds (recorded from AWS)', () => {
  it('has the whole recorded table', () => {
    expect(cases.length).toBe(200);
  });

  for (const recordedCase of cases) {
    it(recordedCase.name, () => {
      const output = evaluate(RDS_IMPORTS + recordedCase.code, recordedCase.context, recordedCase.function);
      if (recordedCase.expectedError !== undefined) {
        expect(output.evaluationResult).toBeUndefined();
        expect(withoutPosition(output.error?.message)).toBe(recordedCase.expectedError);
      } else {
        expect(resultOf(output)).toEqual(recordedCase.expected);
      }
    });
  }
});

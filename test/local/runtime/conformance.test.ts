// Every case recorded from AWS's EvaluateCode API must evaluate to the recorded value here.
import { describe, expect, it } from 'vitest';
import recorded from './fixtures/recorded-evaluate-code.json';
import { IMPORTS, evaluate, moduleReturning, resultOf } from '../../helpers/evaluate';

interface RecordedCase {
  name: string;
  kind: 'expression' | 'resolver';
  expression?: string;
  code?: string;
  function?: 'request' | 'response';
  context?: Record<string, unknown>;
  expected?: unknown;
  expectedError?: { message: string };
}

const cases = recorded.cases as RecordedCase[];

describe('recorded EvaluateCode outputs', () => {
  it('has the whole recorded table', () => {
    expect(cases.length).toBe(38);
  });

  for (const recordedCase of cases) {
    it(`matches AWS for ${recordedCase.name}`, () => {
      const code =
        recordedCase.kind === 'expression' ? moduleReturning(recordedCase.expression!) : IMPORTS + recordedCase.code!;
      const output = evaluate(code, recordedCase.context ?? {}, recordedCase.function ?? 'request');
      if (recordedCase.expectedError) {
        expect(output.evaluationResult).toBeUndefined();
        expect(output.error?.message).toBe(recordedCase.expectedError.message);
      } else {
        expect(resultOf(output)).toEqual(recordedCase.expected);
      }
    });
  }
});

// What a Lambda handler logs, and the context the runtime hands it. Powertools Logger writes one JSON line per entry
// to the process's standard streams, as in Lambda, so the test reads them there.
import type { Context } from 'aws-lambda';

export interface CapturedLogs {
  stop(): void;
  /** Every line written that parses as JSON. */
  json(): Array<Record<string, unknown>>;
}

export function captureStdout(): CapturedLogs {
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof stream.write;
  }
  return {
    stop() {
      streams.forEach((stream, index) => (stream.write = originals[index]));
    },
    json() {
      return lines
        .flatMap((text) => text.split('\n'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        });
    },
  };
}

export function lambdaContext(awsRequestId: string, functionName = 'notes-test-function'): Context {
  return {
    awsRequestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

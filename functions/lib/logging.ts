// What a caller sees of a failure nobody planned for: a generic error carrying the invocation's request id, never the
// error itself (S3 and SDK messages name ARNs, the account id, bucket and key). The details go to the function's
// structured JSON logs (Powertools Logger), where the request id finds them. Expected failures are returned as values
// (lib/errors.ts) and pass through untouched.
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

export const logger = new Logger({ serviceName: 'notes-api' });

/** The only thing an unexpected failure tells the caller; AppSync shows it as the field's error message. */
export class InternalFailure extends Error {
  constructor(readonly requestId: string) {
    super(`Internal error; quote request id ${requestId} when reporting it`);
    this.name = 'InternalFailure';
  }
}

/** Wraps a handler so that anything it throws is logged in full and rethrown as an InternalFailure. */
export function withRequestLogging<E, R>(
  functionName: string,
  handle: (event: E) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    const requestId = context?.awsRequestId ?? randomUUID();
    if (context) logger.addContext(context);
    try {
      return await handle(event);
    } catch (error) {
      const info = (event as { info?: { parentTypeName?: string; fieldName?: string } } | null)?.info;
      logger.error('Unexpected failure', {
        function: functionName,
        requestId,
        field: info ? `${info.parentTypeName}.${info.fieldName}` : undefined,
        error: error as Error,
      });
      throw new InternalFailure(requestId);
    }
  };
}

// Calls to the Lambda data sources. Every payload is shaped like `AppSyncResolverEvent` from @types/aws-lambda, the
// type the functions are written against.
import { util, type Context } from '@aws-appsync/utils';

export interface LambdaRequest {
  operation: 'Invoke' | 'BatchInvoke';
  payload: {
    arguments: Record<string, unknown>;
    identity: Context['identity'];
    source: Record<string, unknown> | null;
    info: { fieldName: string; parentTypeName: string; variables: Record<string, unknown> };
  };
}

export function invoke(ctx: Context, args: Record<string, unknown>): LambdaRequest {
  return { operation: 'Invoke', payload: eventFor(ctx, args) };
}

/** AppSync collects these per field into one array (up to the resolver's maxBatchSize) and invokes once. */
export function batchInvoke(ctx: Context, args: Record<string, unknown>): LambdaRequest {
  return { operation: 'BatchInvoke', payload: eventFor(ctx, args) };
}

function eventFor(ctx: Context, args: Record<string, unknown>): LambdaRequest['payload'] {
  return {
    arguments: args,
    identity: ctx.identity,
    source: ctx.source ?? null,
    info: {
      fieldName: ctx.info.fieldName,
      parentTypeName: ctx.info.parentTypeName,
      variables: ctx.info.variables,
    },
  };
}

/** A failure the function reports as a value, so that its type survives (a thrown one arrives as Lambda:Unhandled). */
interface HandledFailure {
  errorMessage: string;
  errorType?: string;
  data?: unknown;
}

export function isHandledFailure(value: unknown): value is HandledFailure {
  return typeof value === 'object' && value !== null && typeof (value as HandledFailure).errorMessage === 'string';
}

/**
 * The function's result, or its failure raised as the field's error: a thrown error (ctx.error, type
 * `Lambda:Unhandled`) keeps AppSync's message and type; a returned `{ errorMessage, errorType }` keeps its own.
 */
export function lambdaResultOrFail(ctx: Context): unknown {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const result: unknown = ctx.result;
  if (isHandledFailure(result)) {
    util.error(result.errorMessage, result.errorType, result.data ?? null);
  }
  return result;
}

/**
 * One item of a BatchInvoke result. AppSync's convention for per-item errors: each item is `{ data }`, or
 * `{ data, errorMessage, errorType }` for an item that failed alone; a thrown error fails the whole batch.
 */
export function batchItemOrFail(ctx: Context): unknown {
  const item = lambdaResultOrFail(ctx);
  if (item === null || item === undefined) {
    return null;
  }
  const data = (item as { data?: unknown }).data;
  return data === undefined ? null : data;
}

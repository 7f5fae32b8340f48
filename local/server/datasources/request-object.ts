// The request object a resolver hands a data source: the shape checks every kind makes of it, and how one AppSync
// would refuse fails the field (a `MappingTemplate` error, whatever the response handler would do).
import type { DataSourceOutcome } from './types';

/** A request object AppSync would refuse before calling the data source; reported as a `MappingTemplate` error. */
export class RequestShapeError extends Error {}

/** The outcome of a request object AppSync would refuse. */
export function mappingTemplateError(message: string): DataSourceOutcome {
  return { requestError: { type: 'MappingTemplate', message } };
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

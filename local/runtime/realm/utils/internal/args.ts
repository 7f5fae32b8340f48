// Argument checks shared by the util families: a resolver that passes the wrong kind of value gets an error that
// names the function and the argument, instead of a TypeError from deep inside a helper.

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function requireString(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`${fn}: ${name} must be a string, got ${describeValue(value)}`);
  return value;
}

export function requireNumber(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${fn}: ${name} must be a number, got ${describeValue(value)}`);
  }
  return value;
}

export function requireInteger(fn: string, name: string, value: unknown): number {
  const number = requireNumber(fn, name, value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`${fn}: ${name} must be an integer, got ${number}`);
  return number;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(fn: string, name: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw new TypeError(`${fn}: ${name} must be an object, got ${describeValue(value)}`);
  return value;
}

/**
 * A JSON-safe copy of `value`, taken when a util records it: later changes by the resolver must not leak into what
 * was recorded, and whatever leaves the realm has to be plain data.
 */
export function jsonCopy(fn: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${fn}: value cannot be converted to JSON (${(error as Error).message})`);
  }
  return text === undefined ? undefined : JSON.parse(text);
}

// Reads AppSync's typed DynamoDB values (`{ S: 'x' }`, `{ N: 1 }`, `{ M: {...} }`) back into plain JSON, to answer a
// scripted write with the item it would have stored.
export function plainItem(values: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, typed] of Object.entries(values as Record<string, Record<string, unknown>>)) {
    out[name] = plainValue(typed);
  }
  return out;
}

function plainValue(typed: Record<string, unknown>): unknown {
  if ('S' in typed) return typed.S;
  if ('N' in typed) return Number(typed.N);
  if ('BOOL' in typed) return typed.BOOL;
  if ('NULL' in typed) return null;
  if ('M' in typed) return plainItem(typed.M);
  if ('L' in typed) return (typed.L as Record<string, unknown>[]).map(plainValue);
  throw new Error(`Unexpected typed value ${JSON.stringify(typed)}`);
}

/** The item a PutItem request would store: its key and attribute values together. */
export function itemPutBy(request: unknown): Record<string, unknown> {
  const { key, attributeValues } = request as { key: unknown; attributeValues: unknown };
  return { ...plainItem(key), ...plainItem(attributeValues) };
}

// The realm bundle (driver, util, dynamodb module): everything under realm/ as one script, built once per change of
// its sources (see bundle-cache.ts). Kept apart from realm.ts so that the evaluation worker, which gets the bundle
// from its host, carries no file or build code.
import { cachedBundle } from '../bundle-cache';

let driverSource: string | undefined;

export function realmDriverSource(): string {
  driverSource ??= cachedBundle(
    'realm',
    new URL('./realm/entry.ts', import.meta.url),
    [new URL('./realm', import.meta.url)],
    {
      format: 'iife',
      platform: 'neutral',
      target: 'es2022',
      extension: 'js',
    },
  ).text;
  return driverSource;
}

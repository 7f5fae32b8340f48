// The sandbox's only doors to the host. The host installs these functions on the realm's global object before the
// realm bundle runs; the bundle captures them here and the global names are deleted before any resolver code runs.
// They take and return primitives only, so no host object (and no host Function constructor) ever enters the realm.
//
// Under plain Node (unit tests of realm code) the fallbacks below are used.

export interface HostFunctions {
  /** `n` cryptographically random bytes, as lowercase hex. */
  randomHex(n: number): string;
}

declare const __appsyncHost: HostFunctions | undefined;

function fallbackRandomHex(n: number): string {
  let out = '';
  for (let i = 0; i < n; i += 1)
    out += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}

export const host: HostFunctions =
  typeof __appsyncHost !== 'undefined' ? __appsyncHost : { randomHex: fallbackRandomHex };

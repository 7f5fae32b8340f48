// Where the local AppSync listens and the one address it tells clients to use.
//
// A phone on the LAN or the Android emulator (which reaches the host's loopback as 10.0.2.2) cannot dial 127.0.0.1,
// and presigned URLs and token issuers carry a host that must be the one the device sends. So each run has a bind
// host (what the sockets listen on) and a public host (what every advertised URL, presigned URL and issuer names).
import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { isWildcardHost } from '../stores/shared';

export const DEFAULT_BIND_HOST = '127.0.0.1';

export interface Addresses {
  /** The address the servers listen on. */
  bindHost: string;
  /** The host every advertised URL carries. */
  publicHost: string;
  /** How the public host was chosen, for the banner. */
  publicHostReason: string;
  /** True when something other than this machine can connect. */
  beyondLoopback: boolean;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4) return bare.slice(7).startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
}

// Hostnames as RFC 1123 allows them (labels of letters, digits and inner hyphens), for --host and --public-host.
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Throws a clear error unless `host` is an IP address or a hostname (no scheme, port or path). */
export function checkHost(host: string, flag: string): string {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) !== 0 || (HOSTNAME.test(bare) && !/^\d+(\.\d+)*$/.test(bare))) return bare;
  throw new Error(`${flag} must be an IP address or a host name (no scheme or port), got ${JSON.stringify(host)}`);
}

// Interfaces of containers and virtual machines: an address there is rarely what a phone on the LAN can reach.
const VIRTUAL_INTERFACE = /^(docker|br-|veth|virbr|vmnet|vboxnet|cni|flannel|tailscale|utun|zt)/;

function isPrivateIPv4(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/**
 * The address a device on the same network most likely reaches this machine at: an IPv4 address of a physical
 * interface, private ranges (10/8, 172.16/12, 192.168/16) first. Undefined when the machine has none.
 */
export function lanAddress(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): { address: string; interfaceName: string } | undefined {
  const candidates: Array<{ address: string; interfaceName: string; rank: number }> = [];
  for (const [interfaceName, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal || info.family !== 'IPv4' || info.address.startsWith('169.254.')) continue;
      const rank = (VIRTUAL_INTERFACE.test(interfaceName) ? 2 : 0) + (isPrivateIPv4(info.address) ? 0 : 1);
      candidates.push({ address: info.address, interfaceName, rank });
    }
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const [best] = candidates;
  return best && { address: best.address, interfaceName: best.interfaceName };
}

/**
 * The bind host and public host of a run. The public host is the one given; otherwise the bind host when it names
 * one address; for a wildcard bind (0.0.0.0, ::) a LAN address of this machine, or loopback when there is none.
 */
export function resolveAddresses(
  options: { host?: string; publicHost?: string },
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>,
): Addresses {
  const bindHost = options.host ?? DEFAULT_BIND_HOST;
  const beyondLoopback = !isLoopbackHost(bindHost);
  if (options.publicHost) {
    return { bindHost, publicHost: options.publicHost, publicHostReason: 'as given', beyondLoopback };
  }
  if (!isWildcardHost(bindHost)) {
    return { bindHost, publicHost: bindHost, publicHostReason: 'the address bound', beyondLoopback };
  }
  const lan = lanAddress(interfaces);
  if (lan) {
    return {
      bindHost,
      publicHost: lan.address,
      publicHostReason: `picked from ${lan.interfaceName}; set --public-host to choose another`,
      beyondLoopback,
    };
  }
  return {
    bindHost,
    publicHost: DEFAULT_BIND_HOST,
    publicHostReason: 'no LAN address found; set --public-host',
    beyondLoopback,
  };
}

/**
 * Browser origins the local bucket's CORS rule always allows: any page served from this machine's loopback, on any
 * port, over http or https. Written as S3 CORS patterns (one '*' each), as a deployed rule could hold them.
 */
export const LOOPBACK_ORIGINS = ['localhost', '127.0.0.1', '[::1]'].flatMap((host) =>
  ['http', 'https'].flatMap((scheme) => [`${scheme}://${host}`, `${scheme}://${host}:*`]),
);

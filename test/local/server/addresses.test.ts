// The bind host and the public host of a run, and the origins the local bucket always allows.
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  checkHost,
  isLoopbackHost,
  lanAddress,
  LOOPBACK_ORIGINS,
  resolveAddresses,
} from '../../../local/server/addresses';
import { endpointUrl } from '../../../local/stores/shared';

function ipv4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: null };
}

function ipv6(address: string): NetworkInterfaceInfo {
  return {
    address,
    netmask: 'ffff::',
    family: 'IPv6',
    mac: '02:00:00:00:00:01',
    internal: false,
    cidr: null,
    scopeid: 0,
  };
}

const LAPTOP = {
  lo: [ipv4('127.0.0.1', true)],
  docker0: [ipv4('172.17.0.1')],
  wlan0: [ipv6('fe80::1'), ipv4('192.168.1.20')],
};

describe('isLoopbackHost', () => {
  it('recognises every loopback spelling', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('treats wildcard and LAN addresses as reachable from elsewhere', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.2.2', 'fd00::2', 'notes.local']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('checkHost', () => {
  it('accepts addresses and host names, without brackets', () => {
    expect(checkHost('192.168.1.20', '--host')).toBe('192.168.1.20');
    expect(checkHost('[fd00::2]', '--host')).toBe('fd00::2');
    expect(checkHost('my-laptop.local', '--public-host')).toBe('my-laptop.local');
  });

  it('refuses a URL, a port or an impossible address with the flag named', () => {
    expect(() => checkHost('http://192.168.1.20', '--public-host')).toThrow(
      '--public-host must be an IP address or a host name (no scheme or port), got "http://192.168.1.20"',
    );
    expect(() => checkHost('192.168.1.20:4000', '--host')).toThrow('--host must be an IP address');
    expect(() => checkHost('999.1.1.1', '--host')).toThrow('--host must be an IP address');
    expect(() => checkHost('', '--host')).toThrow('--host must be an IP address');
  });
});

describe('lanAddress', () => {
  it('prefers a private IPv4 address of a physical interface over container bridges', () => {
    expect(lanAddress(LAPTOP)).toEqual({ address: '192.168.1.20', interfaceName: 'wlan0' });
  });

  it('falls back to a bridge, then to nothing, never to loopback or link-local', () => {
    expect(lanAddress({ lo: LAPTOP.lo, docker0: LAPTOP.docker0 })).toEqual({
      address: '172.17.0.1',
      interfaceName: 'docker0',
    });
    expect(lanAddress({ lo: LAPTOP.lo, eth0: [ipv4('169.254.10.1'), ipv6('fe80::2')] })).toBeUndefined();
  });
});

describe('resolveAddresses', () => {
  it('stays on loopback by default', () => {
    expect(resolveAddresses({}, LAPTOP)).toEqual({
      bindHost: '127.0.0.1',
      publicHost: '127.0.0.1',
      publicHostReason: 'the address bound',
      beyondLoopback: false,
    });
  });

  it('advertises a specific bind host as it is', () => {
    expect(resolveAddresses({ host: '192.168.1.20' }, LAPTOP)).toMatchObject({
      publicHost: '192.168.1.20',
      beyondLoopback: true,
    });
  });

  it('picks a LAN address for a wildcard bind and says where it came from', () => {
    expect(resolveAddresses({ host: '0.0.0.0' }, LAPTOP)).toEqual({
      bindHost: '0.0.0.0',
      publicHost: '192.168.1.20',
      publicHostReason: 'picked from wlan0; set --public-host to choose another',
      beyondLoopback: true,
    });
    expect(resolveAddresses({ host: '::' }, { lo: LAPTOP.lo })).toMatchObject({
      publicHost: '127.0.0.1',
      publicHostReason: 'no LAN address found; set --public-host',
    });
  });

  it('uses the public host given, also for a loopback bind (the Android emulator reaches it as 10.0.2.2)', () => {
    expect(resolveAddresses({ publicHost: '10.0.2.2' }, LAPTOP)).toEqual({
      bindHost: '127.0.0.1',
      publicHost: '10.0.2.2',
      publicHostReason: 'as given',
      beyondLoopback: false,
    });
  });
});

describe('URLs at the public host (endpointUrl)', () => {
  it('brackets IPv6 hosts', () => {
    expect(endpointUrl('10.0.2.2', 4002)).toBe('http://10.0.2.2:4002');
    expect(endpointUrl('fd00::2', 4002)).toBe('http://[fd00::2]:4002');
  });
});

describe('LOOPBACK_ORIGINS', () => {
  it('covers localhost, 127.0.0.1 and [::1] on any port, over http and https, as S3 patterns', () => {
    expect(LOOPBACK_ORIGINS).toEqual(
      expect.arrayContaining([
        'http://localhost:*',
        'http://127.0.0.1:*',
        'http://[::1]:*',
        'https://localhost:*',
        'http://localhost',
      ]),
    );
    // S3 allows one '*' per origin pattern.
    for (const origin of LOOPBACK_ORIGINS) expect(origin.split('*').length).toBeLessThanOrEqual(2);
  });
});

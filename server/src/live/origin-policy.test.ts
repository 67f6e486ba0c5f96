import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { type OriginPolicy, isOriginAllowed, listedOrigins, listeningAddresses, ownHostNames } from './origin-policy.js';

const local: OriginPolicy = { kind: 'local', protocol: 'http:', port: 8080, addresses: new Set(['192.168.1.10', '[fd00::10]']) };

describe('isOriginAllowed without configuration', () => {
  it.each<[string, string, boolean]>([
    ['localhost on the port', 'http://localhost:8080', true],
    ['a 127/8 address', 'http://127.0.0.2:8080', true],
    ['IPv6 loopback', 'http://[::1]:8080', true],
    ['a LAN address the server listens on', 'http://192.168.1.10:8080', true],
    ['an IPv6 address the server listens on', 'http://[fd00::10]:8080', true],
    ['a host name, even one pointed at this server (DNS rebinding)', 'http://evil.example:8080', false],
    ['a name that starts like loopback', 'http://127.0.0.1.evil.example:8080', false],
    ['a name ending in localhost', 'http://evil.localhost.example:8080', false],
    ['another port', 'http://localhost:9090', false],
    ['the default port when the server is on 8080', 'http://192.168.1.10', false],
    ['another scheme', 'https://localhost:8080', false],
    ['an address the server does not listen on', 'http://192.168.1.11:8080', false],
    ['not a URL', 'null', false],
    ['a path is not an origin', 'http://localhost:8080/x', false],
  ])('%s: %s → %s', (_why, origin, allowed) => {
    expect(isOriginAllowed(origin, local)).toBe(allowed);
  });

  it('takes the scheme default port', () => {
    expect(isOriginAllowed('https://10.0.0.5', { kind: 'local', protocol: 'https:', port: 443, addresses: new Set(['10.0.0.5']) })).toBe(true);
  });
});

describe('listedOrigins', () => {
  it('prefers ALLOWED_ORIGINS, else PUBLIC_URL, else none', () => {
    const both = listedOrigins({ allowedOrigins: ['https://ops.example'], publicUrl: 'https://app.example' });
    expect(both && isOriginAllowed('https://ops.example', both)).toBe(true);
    expect(both && isOriginAllowed('https://app.example', both)).toBe(false);
    const publicOnly = listedOrigins({ allowedOrigins: undefined, publicUrl: 'https://app.example:8443' });
    expect(publicOnly && isOriginAllowed('https://app.example:8443', publicOnly)).toBe(true);
    expect(publicOnly && isOriginAllowed('http://localhost:8443', publicOnly)).toBe(false);
    expect(listedOrigins({ allowedOrigins: undefined, publicUrl: undefined })).toBeUndefined();
  });
});

describe('listeningAddresses', () => {
  const info = (address: string, family: 'IPv4' | 'IPv6') => ({ address, family }) as os.NetworkInterfaceInfo;
  const interfaces = {
    lo: [info('127.0.0.1', 'IPv4'), info('::1', 'IPv6')],
    wlan0: [info('192.168.1.10', 'IPv4'), info('fe80::1%wlan0', 'IPv6'), info('fd00::10', 'IPv6')],
  };

  it('lists every IPv4 interface for 0.0.0.0, and IPv6 too for ::', () => {
    expect([...listeningAddresses('0.0.0.0', interfaces)]).toEqual(['127.0.0.1', '192.168.1.10']);
    expect([...listeningAddresses('::', interfaces)]).toEqual(['127.0.0.1', '[::1]', '192.168.1.10', '[fd00::10]']);
  });

  it('is the bound address alone otherwise', () => {
    expect([...listeningAddresses('192.168.1.10', interfaces)]).toEqual(['192.168.1.10']);
    expect([...listeningAddresses('fd00::10', interfaces)]).toEqual(['[fd00::10]']);
  });
});

describe('ownHostNames', () => {
  it('gives the machine name and its mDNS .local form, in lower case', () => {
    expect([...ownHostNames('Field-Laptop')]).toEqual(['field-laptop', 'field-laptop.local']);
    expect([...ownHostNames('box.mission.lan')]).toEqual(['box.mission.lan']);
    expect([...ownHostNames('not a name')]).toEqual([]);
  });

  it('admits the machine by its own name, and still no other name', () => {
    const named: OriginPolicy = { kind: 'local', protocol: 'http:', port: 8080, addresses: ownHostNames('field-laptop') };
    expect(isOriginAllowed('http://field-laptop.local:8080', named)).toBe(true);
    expect(isOriginAllowed('http://field-laptop:8080', named)).toBe(true);
    expect(isOriginAllowed('http://field-laptop.evil.example:8080', named)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress } from './client-address.js';

describe('clientAddress', () => {
  it.each<[string, string, string | undefined, number, string]>([
    ['peer when no proxy is trusted', '10.0.0.1', '1.2.3.4', 0, '10.0.0.1'],
    ['unwraps IPv4-mapped IPv6', '::ffff:10.0.0.1', undefined, 0, '10.0.0.1'],
    ['one trusted proxy: the entry it appended', '10.0.0.1', '6.6.6.6, 1.2.3.4', 1, '1.2.3.4'],
    ['one trusted proxy: forged entries on the left change nothing', '10.0.0.1', '9.9.9.9, 8.8.8.8, 1.2.3.4', 1, '1.2.3.4'],
    ['two trusted proxies', '10.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.2', 2, '1.2.3.4'],
    ['more proxies trusted than hops: the leftmost', '10.0.0.1', '1.2.3.4', 5, '1.2.3.4'],
    ['no header behind a proxy: the peer', '10.0.0.1', undefined, 1, '10.0.0.1'],
  ])('%s', (_why, remote, header, trust, expected) => {
    expect(clientAddress(remote, header, trust)).toBe(expected);
  });

  it('joins repeated X-Forwarded-For headers in order, so a forged first header is still further left', () => {
    expect(clientAddress('10.0.0.1', ['6.6.6.6', '1.2.3.4'], 1)).toBe('1.2.3.4');
  });
});

describe('addressKey', () => {
  it.each<[string, string, string]>([
    ['an IPv4 address as is', '203.0.113.7', '203.0.113.7'],
    ['IPv6 by its /64', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['another address of the same /64: the same key', '2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['the next /64: another key', '2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['leading zeros and letter case do not matter', '2001:0DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['a compressed prefix', '2001:db8::1', '2001:db8:0:0::/64'],
    ['loopback', '::1', '0:0:0:0::/64'],
    ['a zone id is dropped', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['a dotted IPv4 tail', '64:ff9b::203.0.113.7', '64:ff9b:0:0::/64'],
    ['garbage is its own key', 'not:an::address::', 'not:an::address::'],
    ['unknown', 'unknown', 'unknown'],
  ])('%s', (_why, address, expected) => {
    expect(addressKey(address)).toBe(expected);
  });
});

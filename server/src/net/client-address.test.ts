import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.js';

describe('clientAddress', () => {
  it.each<[string, string, string | undefined, number, string]>([
    ['peer when no proxy is trusted', '10.0.0.1', '1.2.3.4', 0, '10.0.0.1'],
    ['unwraps IPv4-mapped IPv6', '::ffff:10.0.0.1', undefined, 0, '10.0.0.1'],
    ['one trusted proxy: the entry it appended', '10.0.0.1', '6.6.6.6, 1.2.3.4', 1, '1.2.3.4'],
    ['two trusted proxies', '10.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.2', 2, '1.2.3.4'],
    ['more proxies trusted than hops: the leftmost', '10.0.0.1', '1.2.3.4', 5, '1.2.3.4'],
    ['no header behind a proxy: the peer', '10.0.0.1', undefined, 1, '10.0.0.1'],
  ])('%s', (_why, remote, header, trust, expected) => {
    expect(clientAddress(remote, header, trust)).toBe(expected);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestAccount, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { expectHttpError } from '../support/errors.js';
// The one gate every scrypt of the (in-process) server passes; counting through it is how a
// test sees that no hash ran, without timing anything.
import { scryptGate } from '../../server/src/auth/passwords.js';

const FREE_FAILURES = 5;
const PER_ADDRESS = 30;

/** Sign-ins as a client behind the one trusted proxy: `forwardedFor` is the header the proxy passes on. */
function signIn(server: TestServer, username: string, password: string, forwardedFor: string) {
  return api<{ token?: string; error?: { retryAfterMs?: number } }>(server.url, 'POST', '/api/auth/login', {
    body: { username, password },
    headers: { 'x-forwarded-for': forwardedFor },
  });
}

function hashesWhile<T>(work: () => Promise<T>): Promise<{ result: T; changes: number }> {
  let changes = 0;
  const stop = scryptGate.observe(() => (changes += 1));
  return work().then(
    (result) => {
      stop();
      return { result, changes };
    },
    (error: unknown) => {
      stop();
      throw error;
    },
  );
}

describe('sign-in limits', () => {
  let server: TestServer;
  let accounts: readonly TestAccount[];

  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: '1' } });
    accounts = await createUsers(server, ['monitor', 'monitor', 'monitor'] as const);
  });
  afterAll(() => server.close());

  it('makes a stranger guessing from one address wait, before hashing, while the account signs in from elsewhere', async () => {
    const { username } = accounts[0]!.user;
    for (let i = 0; i < FREE_FAILURES + 1; i++) {
      expectHttpError(await signIn(server, username, 'wrong-password', '198.51.100.1'), 'unauthorized');
    }
    const { result: refused, changes } = await hashesWhile(() => signIn(server, username, accounts[0]!.password, '198.51.100.1'));
    expectHttpError(refused, 'rate_limited');
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.body.error?.retryAfterMs).toBeGreaterThan(20_000);
    expect(refused.body.error?.retryAfterMs).toBeLessThanOrEqual(30_000);
    // Refused before any password was hashed.
    expect(changes).toBe(0);
    // The monitor, from their own address, is not locked out by the stranger.
    expect((await signIn(server, username, accounts[0]!.password, '198.51.100.99')).status).toBe(200);
    // Another account is not affected either.
    expect((await signIn(server, accounts[1]!.user.username, accounts[1]!.password, '198.51.100.1')).status).toBe(200);
  });

  it('limits one address over many usernames, an IPv6 address by its /64, and a forged left-most entry changes nothing', async () => {
    const from = (i: number) => `6.6.6.${i % 250}, 2001:db8:77:1::${i.toString(16)}`;
    for (let i = 0; i < PER_ADDRESS; i++) {
      expectHttpError(await signIn(server, `nobody-${i}`, 'wrong-password', from(i)), 'unauthorized');
    }
    const { result: refused, changes } = await hashesWhile(() =>
      signIn(server, accounts[2]!.user.username, accounts[2]!.password, from(PER_ADDRESS)),
    );
    expectHttpError(refused, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(changes).toBe(0);
    // The next /64 is another subscriber.
    expect((await signIn(server, accounts[2]!.user.username, accounts[2]!.password, '2001:db8:77:2::1')).status).toBe(200);
  });

  it('runs at most 2 password hashes at once, however many sign-ins arrive together', async () => {
    let peak = 0;
    const { result } = await hashesWhile(async () => {
      const stop = scryptGate.observe((running) => (peak = Math.max(peak, running)));
      try {
        return await Promise.all(
          Array.from({ length: 12 }, (_, i) => signIn(server, `parallel-${i}`, 'wrong-password', `203.0.113.${i + 1}`)),
        );
      } finally {
        stop();
      }
    });
    for (const res of result) expectHttpError(res, 'unauthorized');
    expect(peak).toBe(2);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../app-error.js';
import { LOGIN_LIMITS, LoginLimiter } from './login-limiter.js';

const SEC = 1_000;

async function refusal(attempt: Promise<unknown>): Promise<AppError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  expect(error.code).toBe('rate_limited');
  return error;
}

describe('LoginLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function fail(limiter: LoginLimiter, address: string, username: string): Promise<void> {
    await (await limiter.begin(address, username)).failed();
  }

  it('lets 5 failures from one address through, then makes each next attempt from it wait longer, up to 15 minutes', async () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < LOGIN_LIMITS.freeFailures; i++) await fail(limiter, '198.51.100.7', 'Alice');
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await fail(limiter, '198.51.100.7', 'alice');
      const error = await refusal(limiter.begin('198.51.100.7', 'ALICE'));
      waits.push(error.retryAfterMs!);
      vi.advanceTimersByTime(error.retryAfterMs!);
    }
    expect(waits.map((ms) => ms / SEC)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('never holds back the account from another address while a stranger keeps guessing from theirs', async () => {
    const limiter = new LoginLimiter();
    // A patient stranger: one guess each time the wait runs out, for a day.
    for (let hour = 0; hour < 24; hour++) {
      for (let i = 0; i < 4; i++) {
        const attempt = await limiter.begin('203.0.113.66', 'alice').catch((e: unknown) => e);
        if (!(attempt instanceof AppError)) await (attempt as Awaited<ReturnType<LoginLimiter['begin']>>).failed();
        vi.advanceTimersByTime(15 * 60 * SEC);
      }
      // The monitor, from their own address, at any moment of it.
      await (await limiter.begin('198.51.100.20', 'alice')).succeeded();
    }
  });

  it('holds back only addresses the account never signed in from, when guesses come from many addresses', async () => {
    const limiter = new LoginLimiter();
    await (await limiter.begin('198.51.100.20', 'alice')).succeeded();
    for (let i = 0; i < LOGIN_LIMITS.perUsername; i++) await fail(limiter, `10.${i >> 8}.${i & 255}.1`, 'alice');
    const error = await refusal(limiter.begin('192.0.2.200', 'alice'));
    expect(error.retryAfterMs).toBeLessThanOrEqual(LOGIN_LIMITS.perUsernameWindowSec * SEC);
    await (await limiter.begin('198.51.100.20', 'alice')).succeeded();
    vi.advanceTimersByTime(LOGIN_LIMITS.perUsernameWindowSec * SEC);
    await (await limiter.begin('192.0.2.200', 'alice')).succeeded();
  });

  it('forgets the failures on a success', async () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i <= LOGIN_LIMITS.freeFailures; i++) await fail(limiter, '198.51.100.1', 'alice');
    await refusal(limiter.begin('198.51.100.1', 'alice'));
    vi.advanceTimersByTime(30 * SEC);
    await (await limiter.begin('198.51.100.1', 'alice')).succeeded();
    for (let i = 0; i < LOGIN_LIMITS.freeFailures; i++) await fail(limiter, '198.51.100.1', 'alice');
  });

  it('of many parallel attempts on one name from one address, lets through only the free ones and one more', async () => {
    const limiter = new LoginLimiter();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => limiter.begin('198.51.100.9', 'alice')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(LOGIN_LIMITS.freeFailures + 1);
  });

  it('limits one address over many usernames, an IPv6 address by its /64', async () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) await fail(limiter, `2001:db8:1:2::${i.toString(16)}`, `user${i}`);
    const error = await refusal(limiter.begin('2001:db8:1:2:ffff::9', 'someone-else'));
    expect(error.retryAfterMs).toBe(LOGIN_LIMITS.perAddressWindowSec * SEC);
    // The neighbouring /64 is another subscriber.
    await fail(limiter, '2001:db8:1:3::1', 'someone-else');
    vi.advanceTimersByTime(LOGIN_LIMITS.perAddressWindowSec * SEC);
    await fail(limiter, '2001:db8:1:2::1', 'someone-else');
  });

  it('does not count successful sign-ins against the address', async () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < LOGIN_LIMITS.perAddress * 2; i++) await (await limiter.begin('203.0.113.1', `user${i}`)).succeeded();
    await fail(limiter, '203.0.113.1', 'another');
  });

  it('keeps no key past its window: memory is bounded by the attempts of the last day', async () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 500; i++) await fail(limiter, `10.0.${i >> 8}.${i & 255}`, `user${i}`);
    // rate-limiter-flexible's memory store deletes each key with its own timer: one per address,
    // per username and per username and address.
    expect(vi.getTimerCount()).toBe(1_500);
    vi.advanceTimersByTime(LOGIN_LIMITS.failuresForgottenSec * SEC);
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error.js';
import { BUSY_RETRY_MS, ReadLimits } from './read-limits.js';

async function refusal(limits: ReadLimits, account: string): Promise<AppError> {
  const error: unknown = await limits.admit(account).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('ReadLimits', () => {
  it('admits perMinute reads of an account, then refuses with rate_limited and the wait', async () => {
    const limits = new ReadLimits({ perMinute: 3, concurrency: 0 });
    for (let i = 0; i < 3; i++) (await limits.admit('a')).release();
    const refused = await refusal(limits, 'a');
    expect(refused.code).toBe('rate_limited');
    expect(refused.message).toMatch(/READ_RATE_LIMIT/);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Per account.
    (await limits.admit('b')).release();
  });

  it.each([
    [0, 1],
    [1, 1],
    [1000, 1],
    [1001, 2],
    [2500, 3],
    [10_000, 10],
  ])('charges a read that served %i items %i point(s)', async (items, points) => {
    const limits = new ReadLimits({ perMinute: 10, concurrency: 0 });
    const ticket = await limits.admit('a');
    ticket.served(items);
    ticket.release();
    for (let left = 10 - points; left > 0; left--) (await limits.admit('a')).release();
    expect((await refusal(limits, 'a')).code).toBe('rate_limited');
  });

  it('refuses a read over the in-flight gate at once, and admits again once one is released', async () => {
    const limits = new ReadLimits({ perMinute: 0, concurrency: 2 });
    const first = await limits.admit('a');
    await limits.admit('a');
    const refused = await refusal(limits, 'a');
    expect(refused).toMatchObject({ code: 'rate_limited', retryAfterMs: BUSY_RETRY_MS });
    expect(refused.message).toMatch(/READ_CONCURRENCY/);
    (await limits.admit('b')).release();

    first.release();
    first.release();
    expect(limits.inFlightOf('a')).toBe(1);
    await limits.admit('a');
    expect(limits.inFlightOf('a')).toBe(2);
  });

  it('frees the slot of a read the rate refused', async () => {
    const limits = new ReadLimits({ perMinute: 1, concurrency: 1 });
    (await limits.admit('a')).release();
    expect((await refusal(limits, 'a')).message).toMatch(/READ_RATE_LIMIT/);
    expect(limits.inFlightOf('a')).toBe(0);
  });

  it('with both set to 0, admits everything', async () => {
    const limits = new ReadLimits({ perMinute: 0, concurrency: 0 });
    const held = await Promise.all(Array.from({ length: 1000 }, () => limits.admit('a')));
    for (const ticket of held) ticket.served(10_000);
    await limits.admit('a');
  });
});

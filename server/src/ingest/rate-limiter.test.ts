import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

function clock(start = 0) {
  const state = { now: start };
  return { state, now: () => state.now };
}

describe('RateLimiter', () => {
  it('allows a burst of the limit, then asks to wait for one refill', () => {
    const c = clock();
    const limiter = new RateLimiter(6, c.now);
    for (let i = 0; i < 6; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10_000);
    c.state.now = 9_999;
    expect(limiter.take('a')).toBeGreaterThan(0);
    c.state.now = 10_000;
    expect(limiter.take('a')).toBe(0);
  });

  it('keeps accounts apart', () => {
    const limiter = new RateLimiter(1, clock().now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('b')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0, clock().now);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0);
  });

  it('forgets accounts whose bucket refilled', () => {
    const c = clock();
    const limiter = new RateLimiter(2, c.now);
    limiter.take('a');
    c.state.now = 60_000;
    limiter.sweep();
    // A fresh bucket again: two in a row pass.
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(0);
  });
});

/** Takes one submission token for an account: 0 when allowed, else how many ms until one is available. */
export interface SubmissionLimiter {
  take(key: string): number | Promise<number>;
  /** Drops state nobody needs any more (called once a minute). */
  sweep(): void;
}

/**
 * Per-account token bucket: `perMinute` submissions in any minute, refilled continuously.
 * `0` disables it (load tests). In memory, for one process; with `REDIS_URL` the same bucket
 * lives in Redis (`redis-rate-limiter.ts`).
 */
export class RateLimiter implements SubmissionLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns 0 when allowed, else how many ms until one is available. */
  take(key: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / ratePerMs);
  }

  /** Drops full buckets so memory stays bounded by the accounts active in the last minute. */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000 >= this.perMinute) this.buckets.delete(key);
    }
  }
}

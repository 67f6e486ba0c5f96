import type { Logger } from 'pino';
import type { RedisConnection } from '../redis/redis-client.js';
import { RateLimiter, type SubmissionLimiter } from './rate-limiter.js';

/**
 * The same token bucket as `RateLimiter`, kept in Redis so that all processes draw on one
 * bucket per account: `RATE_LIMIT` a minute in all, not per process. A Lua script makes the
 * refill-and-take one atomic step and reads Redis's clock, so processes with skewed clocks agree.
 * (`rate-limiter-flexible`'s `RateLimiterRedis` counts fixed windows, which lets twice the
 * limit through across a window boundary; the sign-in limits use it, where that does not matter.)
 * The key expires once the bucket would be full again, as `sweep()` drops it in memory.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[1])
local rate = cap / 60000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) / rate) + 1000)
return wait
`;

export class RedisRateLimiter implements SubmissionLimiter {
  /** While Redis is away each process limits on its own, as a single process would. */
  private readonly fallback: RateLimiter;
  private lastLogged = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly perMinute: number,
    private readonly log: Logger,
  ) {
    this.fallback = new RateLimiter(perMinute);
  }

  async take(key: string): Promise<number> {
    if (this.perMinute <= 0) return 0;
    try {
      const wait = await this.redis.client.eval(TAKE, { keys: [`${this.redis.prefix}:rate:${key}`], arguments: [String(this.perMinute)] });
      return Number(wait);
    } catch (error) {
      const now = Date.now();
      if (now - this.lastLogged >= 10_000) {
        this.lastLogged = now;
        this.log.warn({ err: error }, 'shared rate limit unavailable (Redis); limiting per process meanwhile');
      }
      return this.fallback.take(key);
    }
  }

  sweep(): void {
    this.fallback.sweep();
  }
}

import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisConnection } from '../redis/redis-client.js';
import type { LimiterFactory } from './login-limiter.js';

/**
 * The sign-in limits kept in Redis, so a guesser spreading attempts over the processes behind a
 * load balancer meets one count. Each limiter is insured by a memory one: while Redis is away
 * every process still limits on its own instead of letting every attempt through or refusing all.
 * The addresses a user signed in from (which exempt them from the per-username limit) stay per
 * process: a monitor whose success another process saw may meet that limit once, never a lock-out.
 */
export function redisLoginLimiters(redis: RedisConnection): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({
      storeClient: redis.client,
      useRedisPackage: true,
      ...options,
      keyPrefix: `${redis.prefix}:${options.keyPrefix}`,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}

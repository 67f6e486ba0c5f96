import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../redis/redis-client.js';
import type { SharedConnectionCounts } from './engine-connection-cap.js';

/** A process that dies without closing its connections (SIGKILL) stops refreshing them: they stop counting after this long. */
const TTL_MS = 60_000;
const REFRESH_MS = TTL_MS / 3;

/**
 * `MAX_CONNECTIONS_PER_IP` over all processes: per address a sorted set of open connections
 * (`<process>:<connection>`) scored by when they expire. Each process refreshes its own every
 * 20 s, so the count is exact while processes live and forgets a killed one's within a minute.
 */
export class RedisConnectionCounts implements SharedConnectionCounts {
  private readonly process = randomUUID();
  /** This process's open connections by address: what the refresh renews. */
  private readonly local = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisConnection,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  private key(address: string): string {
    return `${this.redis.prefix}:conn:${address}`;
  }

  async opened(address: string, id: string): Promise<number> {
    const member = `${this.process}:${id}`;
    let ids = this.local.get(address);
    if (!ids) this.local.set(address, (ids = new Set()));
    ids.add(member);
    const now = this.now();
    const key = this.key(address);
    const replies = await this.redis.client
      .multi()
      .zRemRangeByScore(key, '-inf', now)
      .zAdd(key, { score: now + TTL_MS, value: member })
      .zCard(key)
      .pExpire(key, TTL_MS)
      .exec();
    return Number(replies[2]);
  }

  closed(address: string, id: string): void {
    const member = `${this.process}:${id}`;
    const ids = this.local.get(address);
    ids?.delete(member);
    if (ids?.size === 0) this.local.delete(address);
    // Lost while Redis is away: the entry then expires with the TTL.
    this.redis.client.zRem(this.key(address), member).catch(() => undefined);
  }

  async countOf(address: string): Promise<number> {
    return this.redis.client.zCount(this.key(address), this.now(), '+inf');
  }

  /** Renews this process's connections (and puts back those an outage of Redis lost). */
  async refresh(): Promise<void> {
    if (this.local.size === 0) return;
    const expires = this.now() + TTL_MS;
    const batch = this.redis.client.multi();
    for (const [address, ids] of this.local) {
      const key = this.key(address);
      batch.zAdd(key, [...ids].map((value) => ({ score: expires, value })));
      batch.pExpire(key, TTL_MS);
    }
    await batch.exec();
  }

  close(): void {
    clearInterval(this.timer);
  }
}

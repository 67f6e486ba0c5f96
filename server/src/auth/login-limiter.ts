import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../app-error.js';
import { addressKey } from '../net/client-address.js';

/** Makes one limiter; memory by default, a shared store (`RateLimiterRedis`, `RateLimiterPostgres`) when processes scale out. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/**
 * The limits, chosen so that a stranger can slow down their own guessing but never lock a
 * monitor out of their account:
 * - per username and address (an IPv6 address by its /64): 5 attempts in a row without a
 *   success are free, then each next attempt must wait 30 s, 1, 2, 4, 8 and at most 15 minutes
 *   after the previous one; a success clears it, and so do 24 hours after the first failure. A
 *   stranger guessing from their address waits; the monitor, from theirs, does not.
 * - per address: 30 unsuccessful attempts in 15 minutes over any usernames, then none until the
 *   15 minutes are over (one address guessing many names).
 * - per username over all addresses: 100 unsuccessful attempts an hour (a guess spread over
 *   many addresses), then attempts from addresses this account has not signed in from are
 *   refused until the hour is over; addresses it signed in from before (the last
 *   {@link KNOWN_ADDRESSES_PER_USER}, remembered in memory) are never held back by it.
 */
export const LOGIN_LIMITS = {
  freeFailures: 5,
  firstWaitSec: 30,
  maxWaitSec: 15 * 60,
  failuresForgottenSec: 24 * 60 * 60,
  perAddress: 30,
  perAddressWindowSec: 15 * 60,
  perUsername: 100,
  perUsernameWindowSec: 60 * 60,
} as const;

/** How many addresses a username's successful sign-ins are remembered from. */
export const KNOWN_ADDRESSES_PER_USER = 16;

/** One attempt let through: say how it ended, once. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** The password was never checked (the server was busy, the store failed): it does not count. */
  abandoned(): Promise<void>;
}

function refused(msBeforeNext: number): AppError {
  const wait = Math.max(1_000, Math.ceil(msBeforeNext));
  const text = wait >= 90_000 ? `${Math.ceil(wait / 60_000)} minutes` : `${Math.ceil(wait / 1_000)} seconds`;
  return new AppError('rate_limited', `Too many sign-in attempts; try again in ${text}.`, undefined, wait);
}

async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (error) {
    throw error instanceof RateLimiterRes ? refused(error.msBeforeNext) : error;
  }
}

/**
 * Sign-in limits (also for password changes: they test a password too). An attempt is counted
 * before its password is hashed and refused before any scrypt runs, so a burst cannot queue
 * work: twenty parallel attempts on one name from one address hash at most `freeFailures + 1` times.
 */
export class LoginLimiter {
  /** Consecutive unsuccessful attempts per username and address (in-flight ones included). */
  private readonly failures: RateLimiterAbstract;
  /** One point: held by the attempt that set the current wait, so nobody else passes until it ends. */
  private readonly wait: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;
  private readonly perUsername: RateLimiterAbstract;
  /** Addresses each username signed in from, most recent last. */
  private readonly known = new Map<string, string[]>();

  constructor(make: LimiterFactory = memoryLimiters) {
    const l = LOGIN_LIMITS;
    this.failures = make({ keyPrefix: 'login-fail', points: Number.MAX_SAFE_INTEGER, duration: l.failuresForgottenSec });
    this.wait = make({ keyPrefix: 'login-wait', points: 1, duration: l.maxWaitSec });
    this.perAddress = make({ keyPrefix: 'login-addr', points: l.perAddress, duration: l.perAddressWindowSec });
    this.perUsername = make({ keyPrefix: 'login-user', points: l.perUsername, duration: l.perUsernameWindowSec });
  }

  private isKnown(user: string, from: string): boolean {
    return this.known.get(user)?.includes(from) ?? false;
  }

  private remember(user: string, from: string): void {
    const list = (this.known.get(user) ?? []).filter((a) => a !== from);
    list.push(from);
    if (list.length > KNOWN_ADDRESSES_PER_USER) list.shift();
    this.known.set(user, list);
  }

  /** Counts an attempt by `username` from `address`, or throws `rate_limited` with the wait. */
  async begin(address: string, username: string): Promise<LoginAttempt> {
    const user = username.toLowerCase();
    const from = addressKey(address);
    const pair = `${user}|${from}`;
    const blocked = await this.wait.get(pair);
    if (blocked && blocked.consumedPoints > 1) throw refused(blocked.msBeforeNext);
    const known = this.isKnown(user, from);
    if (!known) await consumeOrRefuse(this.perUsername, user);
    try {
      await consumeOrRefuse(this.perAddress, from);
    } catch (error) {
      if (!known) await this.perUsername.reward(user);
      throw error;
    }
    const attempt = (await this.failures.consume(pair)).consumedPoints;
    const giveBack = () => Promise.all([this.failures.reward(pair), this.perAddress.reward(from), known ? undefined : this.perUsername.reward(user)]);
    const over = attempt - LOGIN_LIMITS.freeFailures;
    if (over > 0) {
      // Taking the one point is atomic in every store: of parallel attempts, one passes.
      try {
        await this.wait.consume(pair);
      } catch (error) {
        await giveBack();
        throw error instanceof RateLimiterRes ? refused(error.msBeforeNext) : error;
      }
      const waitSec = Math.min(LOGIN_LIMITS.maxWaitSec, LOGIN_LIMITS.firstWaitSec * 2 ** (over - 1));
      await this.wait.block(pair, waitSec);
    }
    let settled = false;
    return {
      succeeded: async () => {
        if (settled) return;
        settled = true;
        this.remember(user, from);
        await Promise.all([this.failures.delete(pair), this.wait.delete(pair), this.perAddress.reward(from), known ? undefined : this.perUsername.reward(user)]);
      },
      failed: () => {
        settled = true;
        return Promise.resolve();
      },
      abandoned: async () => {
        if (settled) return;
        settled = true;
        await giveBack();
      },
    };
  }
}

import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../app-error.js';

/**
 * Items (reports, incidents, areas) that one point of the read budget pays for. A thousand is
 * the largest page of `reports:sync` and of `GET /api/reports`, so one such page costs one point,
 * a 10,000-report `GET /api/sync` page costs what the ten socket pages it replaces would, and an
 * unfiltered incident list of 30,000 costs thirty: the cost follows the work of encoding and
 * sending the answer, which is what slowed everyone else down. Every request costs at least one.
 */
export const ITEMS_PER_POINT = 1_000;

/** What a caller refused for having too many reads in flight is told to wait: about one page's time. */
export const BUSY_RETRY_MS = 1_000;

export interface ReadLimitsOptions {
  /** Points per account per minute; 0 = no rate limit. */
  perMinute: number;
  /** Reads per account in flight at once; 0 = no gate. */
  concurrency: number;
}

/** An admitted read: it holds one of its account's in-flight slots until released. */
export interface ReadTicket {
  /** Charges the answer's items beyond the point its admission took. */
  served(items: number): void;
  /** Frees the slot; calling it again does nothing. */
  release(): void;
}

/**
 * The read budget of each account, shared by the HTTP list, sync and export routes and the
 * `reports:sync` socket event: a rate in points per minute (a fixed one-minute window per
 * account, `rate-limiter-flexible`) and a gate on reads in flight. In memory, like the
 * submission limiter: with several processes each enforces its own share.
 */
export class ReadLimits {
  private readonly rate: RateLimiterMemory | undefined;
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly options: ReadLimitsOptions) {
    this.rate = options.perMinute > 0 ? new RateLimiterMemory({ points: options.perMinute, duration: 60, keyPrefix: 'read' }) : undefined;
  }

  /** Admits one read of `accountId`, or throws `rate_limited` with how long to wait. */
  async admit(accountId: string): Promise<ReadTicket> {
    // The slot is taken before the rate check awaits, so parallel requests cannot all slip past the gate.
    this.occupy(accountId);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.vacate(accountId);
    };
    try {
      await this.rate?.consume(accountId, 1);
    } catch (rejection) {
      release();
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterMs = Math.max(1, rejection.msBeforeNext);
      throw new AppError(
        'rate_limited',
        `This account has read a lot in the last minute; try again in ${Math.ceil(retryAfterMs / 1000)} s (READ_RATE_LIMIT).`,
        undefined,
        retryAfterMs,
      );
    }
    return {
      served: (items) => {
        const extra = Math.ceil(items / ITEMS_PER_POINT) - 1;
        // An in-memory penalty cannot fail; it only adds to the window's count.
        if (extra > 0 && this.rate) void this.rate.penalty(accountId, extra);
      },
      release,
    };
  }

  /** Reads `accountId` has in flight (for tests and diagnostics). */
  inFlightOf(accountId: string): number {
    return this.inFlight.get(accountId) ?? 0;
  }

  private occupy(accountId: string): void {
    const open = this.inFlight.get(accountId) ?? 0;
    const { concurrency } = this.options;
    if (concurrency > 0 && open >= concurrency) {
      throw new AppError(
        'rate_limited',
        `This account already has ${open} reads in progress; try again when one has finished (READ_CONCURRENCY).`,
        undefined,
        BUSY_RETRY_MS,
      );
    }
    this.inFlight.set(accountId, open + 1);
  }

  private vacate(accountId: string): void {
    const left = (this.inFlight.get(accountId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(accountId, left);
    else this.inFlight.delete(accountId);
  }
}

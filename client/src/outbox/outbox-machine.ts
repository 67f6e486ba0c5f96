import type { ApiError, Report, ReportInputDraft } from '@truceline/shared';

/**
 * One report's life on the device:
 *
 *   saved ──send──▶ sending ──accepted──▶ confirmed
 *     ▲               │  └────rejected───▶ failed ──retry──▶ saved
 *     └──lost─────────┘      (retryable errors carry `retryAt`: sent again when due)
 *
 * `lost` (timeout, disconnect, page closed mid-flight) puts the report back in the queue unchanged.
 * The id was fixed when the report was created, so resending can never make a second report.
 */
export type OutboxState = 'saved' | 'sending' | 'confirmed' | 'failed';

export interface OutboxItem {
  id: string;
  /** Account that created it: only that account may send it. */
  userId: string;
  /** Its name, to tell the person at the sign-in screen whose reports wait here. */
  username: string;
  draft: ReportInputDraft;
  state: OutboxState;
  createdAt: number;
  updatedAt: number;
  attempts: number;
  error?: ApiError;
  /** For a retryable failure: when to send again (epoch ms). */
  retryAt?: number;
  /** The stored report's `seq` once confirmed. */
  seq?: number;
}

export type OutboxEvent =
  | { type: 'send'; at: number }
  | { type: 'accepted'; at: number; report: Report }
  | { type: 'rejected'; at: number; error: ApiError }
  | { type: 'lost'; at: number }
  | { type: 'retry'; at: number };

/** Errors that may go away by themselves; anything else needs a person (fix or discard). */
const RETRYABLE = new Set<ApiError['code']>(['rate_limited', 'unavailable', 'internal', 'unauthorized']);
const DEFAULT_RETRY_MS = 30_000;

export function createOutboxItem(draft: ReportInputDraft & { id: string }, user: { id: string; username: string }, at: number): OutboxItem {
  return { id: draft.id, userId: user.id, username: user.username, draft, state: 'saved', createdAt: at, updatedAt: at, attempts: 0 };
}

/** The transition function; an event that does not apply in the current state leaves the item as is. */
export function transition(item: OutboxItem, event: OutboxEvent): OutboxItem {
  switch (event.type) {
    case 'send':
      if (item.state !== 'saved' && item.state !== 'failed') return item;
      if (item.state === 'failed' && (item.retryAt === undefined || item.retryAt > event.at)) return item;
      return { ...item, state: 'sending', attempts: item.attempts + 1, updatedAt: event.at };
    case 'accepted': {
      if (item.state === 'confirmed') return item;
      const { error: _e, retryAt: _r, ...rest } = item;
      return { ...rest, state: 'confirmed', seq: event.report.seq, updatedAt: event.at };
    }
    case 'rejected': {
      if (item.state !== 'sending') return item;
      const retryable = RETRYABLE.has(event.error.code);
      const { retryAt: _r, ...rest } = item;
      return {
        ...rest,
        state: 'failed',
        error: event.error,
        updatedAt: event.at,
        ...(retryable ? { retryAt: event.at + (event.error.retryAfterMs ?? DEFAULT_RETRY_MS) } : {}),
      };
    }
    case 'lost':
      if (item.state !== 'sending') return item;
      return { ...item, state: 'saved', updatedAt: event.at };
    case 'retry': {
      if (item.state !== 'failed') return item;
      const { error: _e, retryAt: _r, ...rest } = item;
      return { ...rest, state: 'saved', updatedAt: event.at };
    }
  }
}

/** Not yet confirmed: what the page warns about before closing, and what sign-out asks about. */
export function isUnsent(item: OutboxItem): boolean {
  return item.state !== 'confirmed';
}

/** Whether the runner should send the item now. */
export function isDue(item: OutboxItem, userId: string, now: number): boolean {
  if (item.userId !== userId) return false;
  if (item.state === 'saved') return true;
  return item.state === 'failed' && item.retryAt !== undefined && item.retryAt <= now;
}

import type { ApiError } from '@truceline/shared';
import { describe, expect, it } from 'vitest';
import { createReport } from '../test/fixtures';
import { createOutboxItem, isDue, isUnsent, transition, type OutboxEvent, type OutboxItem, type OutboxState } from './outbox-machine';

const USER = { id: 'u1', username: 'monitor1' };
const draft = { id: '0190f3a2-0000-7000-8000-000000000001', category: 'shelling' as const, observedAt: '2026-03-01T12:00:00Z', method: 'heard' as const, location: { lon: 1, lat: 2 } };

function itemIn(state: OutboxState, extra: Partial<OutboxItem> = {}): OutboxItem {
  return { ...createOutboxItem(draft, USER, 0), state, ...extra };
}

const invalid: ApiError = { code: 'invalid', message: 'bad' };
const limited: ApiError = { code: 'rate_limited', message: 'slow down', retryAfterMs: 5_000 };
const report = createReport({ id: draft.id, seq: 42 });

describe('outbox state machine', () => {
  const table: [OutboxState, OutboxEvent, OutboxState][] = [
    ['saved', { type: 'send', at: 1 }, 'sending'],
    ['sending', { type: 'accepted', at: 1, report }, 'confirmed'],
    ['sending', { type: 'rejected', at: 1, error: invalid }, 'failed'],
    ['sending', { type: 'lost', at: 1 }, 'saved'],
    ['failed', { type: 'retry', at: 1 }, 'saved'],
    // Events that do not apply leave the item alone.
    ['confirmed', { type: 'send', at: 1 }, 'confirmed'],
    ['confirmed', { type: 'lost', at: 1 }, 'confirmed'],
    ['saved', { type: 'rejected', at: 1, error: invalid }, 'saved'],
    ['saved', { type: 'retry', at: 1 }, 'saved'],
    ['failed', { type: 'send', at: 1 }, 'failed'],
    // A late ack of an earlier attempt still confirms: the server stored it.
    ['saved', { type: 'accepted', at: 1, report }, 'confirmed'],
  ];
  it.each(table)('%s + %o → %s', (from, event, to) => {
    expect(transition(itemIn(from), event).state).toBe(to);
  });

  it('keeps the id on every transition: a resend can never make a second report', () => {
    let item = itemIn('saved');
    for (const event of [{ type: 'send', at: 1 }, { type: 'lost', at: 2 }, { type: 'send', at: 3 }] as OutboxEvent[]) item = transition(item, event);
    expect(item.id).toBe(draft.id);
    expect(item.draft.id).toBe(draft.id);
    expect(item.attempts).toBe(2);
  });

  it('records the reason of a failure and schedules a retry only for errors that can pass', () => {
    const permanent = transition(itemIn('sending'), { type: 'rejected', at: 100, error: invalid });
    expect(permanent.error).toEqual(invalid);
    expect(permanent.retryAt).toBeUndefined();
    const passing = transition(itemIn('sending'), { type: 'rejected', at: 100, error: limited });
    expect(passing.retryAt).toBe(5_100);
  });

  it('sends a retryable failure again once it is due, not before', () => {
    const failed = transition(itemIn('sending'), { type: 'rejected', at: 100, error: limited });
    expect(isDue(failed, USER.id, 5_099)).toBe(false);
    expect(isDue(failed, USER.id, 5_100)).toBe(true);
    expect(transition(failed, { type: 'send', at: 5_100 }).state).toBe('sending');
  });

  it('clears the error when retried by hand or confirmed', () => {
    const failed = transition(itemIn('sending'), { type: 'rejected', at: 1, error: invalid });
    expect(transition(failed, { type: 'retry', at: 2 }).error).toBeUndefined();
    expect(transition(itemIn('sending', { error: limited }), { type: 'accepted', at: 2, report }).error).toBeUndefined();
  });

  it('lets only the account that made a report send it', () => {
    expect(isDue(itemIn('saved'), 'someone-else', 0)).toBe(false);
    expect(isDue(itemIn('saved'), USER.id, 0)).toBe(true);
  });

  it('counts everything but confirmed as unsent', () => {
    expect((['saved', 'sending', 'failed', 'confirmed'] as const).map((s) => isUnsent(itemIn(s)))).toEqual([true, true, true, false]);
  });
});

import { describe, expect, it } from 'vitest';
import { createOutboxItem, transition } from '../outbox/outbox-machine';
import { createReport } from '../test/fixtures';
import { sendOutcome } from './send-outcome';

const saved = createOutboxItem(
  { id: '0190f3a2-0000-7000-8000-000000000001', category: 'shelling', observedAt: '2026-03-01T12:00:00Z', method: 'heard', location: { lon: 37.8, lat: 48 } },
  { id: 'u1', username: 'monitor1' },
  1000,
);
const sending = transition(saved, { type: 'send', at: 2000 });

describe('what the form says about the report just sent', () => {
  it('says saved until the acknowledgement, sending when there is a connection', () => {
    expect(sendOutcome(saved, false)).toBe('saved');
    expect(sendOutcome(sending, false)).toBe('saved');
    expect(sendOutcome(saved, true)).toBe('sending');
  });

  it('says confirmed once the server acknowledged it', () => {
    expect(sendOutcome(transition(sending, { type: 'accepted', at: 3000, report: createReport({ id: saved.id }) }), true)).toBe('confirmed');
  });

  it('tells a refusal (a person must act) from a failure that retries by itself', () => {
    expect(sendOutcome(transition(sending, { type: 'rejected', at: 3000, error: { code: 'invalid', message: 'Invalid report: observedAt: …' } }), true)).toBe('refused');
    expect(sendOutcome(transition(sending, { type: 'rejected', at: 3000, error: { code: 'unavailable', message: 'busy' } }), true)).toBe('retrying');
  });
});

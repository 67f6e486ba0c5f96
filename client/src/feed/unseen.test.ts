import { describe, expect, it } from 'vitest';
import { createReport } from '../test/fixtures';
import { newFromOthers, titleWithCount } from './unseen';

describe('newFromOthers', () => {
  const me = 'user-me';
  it('keeps reports not held before and made by someone else', () => {
    const other = createReport({ reporter: { id: 'user-other', username: 'other' } });
    const anonymous = createReport({ reporter: undefined });
    expect(newFromOthers([other, anonymous], {}, me, {}).map((r) => r.id)).toEqual([other.id, anonymous.id]);
  });
  it('leaves out updates of known reports, own reports, and reports in the outbox', () => {
    const known = createReport({ reporter: undefined });
    const mine = createReport({ reporter: { id: me, username: 'me' } });
    const fromOutbox = createReport({ reporter: undefined });
    const fresh = createReport({ reporter: undefined });
    const arrived = [known, mine, fromOutbox, fresh];
    expect(newFromOthers(arrived, { [known.id]: known }, me, { [fromOutbox.id]: {} }).map((r) => r.id)).toEqual([fresh.id]);
  });
});

describe('titleWithCount', () => {
  it('puts the count in front, and nothing when there is none', () => {
    expect(titleWithCount('Truceline', 3)).toBe('(3) Truceline');
    expect(titleWithCount('Truceline', 0)).toBe('Truceline');
  });
});

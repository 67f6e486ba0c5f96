import { describe, expect, it } from 'vitest';
import { createReport } from '../test/fixtures';
import { newerFirst, newestMatching } from './newest-matching';

describe('newestMatching', () => {
  // A shuffled history with ties on observedAt (broken by the larger id first).
  const reports = Array.from({ length: 500 }, (_, i) =>
    createReport({
      id: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      observedAt: new Date(Date.parse('2026-03-01T00:00:00Z') + (((i * 7919) % 500) >> 1) * 60_000).toISOString().replace('.000Z', 'Z'),
      category: i % 3 === 0 ? 'explosion' : 'shelling',
    }),
  );

  it('returns the same rows as a full sort, and counts every match', () => {
    const keep = (r: (typeof reports)[number]): boolean => r.category === 'shelling';
    const expected = reports.filter(keep).sort(newerFirst);
    for (const limit of [1, 10, 300, 1000]) {
      const { total, newest } = newestMatching(reports, keep, limit);
      expect(total).toBe(expected.length);
      expect(newest.map((r) => r.id)).toEqual(expected.slice(0, limit).map((r) => r.id));
    }
  });

  it('handles nothing matching', () => {
    expect(newestMatching(reports, () => false, 300)).toEqual({ total: 0, newest: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { SUMMARY_CSV_COLUMNS, SummaryQuery, formatCutoff } from './summary.js';

describe('SummaryQuery', () => {
  it('parses the list filters, a period and a cut-off', () => {
    const q = SummaryQuery.parse({ since: '2026-01-01T00:00:00Z', category: 'shelling', period: 'week', cutoff: '19:30' });
    expect(q).toMatchObject({ since: Date.UTC(2026, 0, 1), category: ['shelling'], period: 'week', cutoff: 19 * 60 + 30 });
    expect(SummaryQuery.parse({})).toEqual({});
  });

  it.each<[string, Record<string, unknown>]>([
    ['a period the summary does not know', { period: 'month' }],
    ['a cut-off of one-digit hours', { cutoff: '7:30' }],
    ['a cut-off of 24:00', { cutoff: '24:00' }],
    ['a cut-off with seconds', { cutoff: '19:30:00' }],
    ['a period given twice', { period: ['day', 'week'] }],
    ['limit, which the summary has not', { limit: '10' }],
    ['since after until', { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }],
  ])('refuses %s', (_why, query) => {
    expect(SummaryQuery.safeParse(query).success).toBe(false);
  });

  it('writes cut-offs back as HH:MM', () => {
    expect(formatCutoff(0)).toBe('00:00');
    expect(formatCutoff(19 * 60 + 30)).toBe('19:30');
  });

  it('names a CSV column per category after the totals', () => {
    expect(SUMMARY_CSV_COLUMNS.slice(0, 8)).toEqual(['start', 'end', 'incidents', 'violations', 'explosions', 'killed', 'injured', 'reports']);
    expect(SUMMARY_CSV_COLUMNS).toContain('byCategory_explosion');
  });
});

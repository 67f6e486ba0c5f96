import { describe, expect, it } from 'vitest';
import { type PeriodRule, nextPeriodStart, periodStart } from './periods.js';

const HOUR = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);
const kyiv = (period: PeriodRule['period'], cutoff: string): PeriodRule => {
  const [h, m] = cutoff.split(':').map(Number) as [number, number];
  return { period, zone: 'Europe/Kyiv', cutoffMinutes: h * 60 + m };
};

// Europe/Kyiv: EET (+02:00) in winter, EEST (+03:00) from 03:00 on the last Sunday of March
// (29 March 2026) to 04:00 on the last Sunday of October (25 October 2026).
describe('periodStart and nextPeriodStart', () => {
  it.each<[string, PeriodRule, string, string, string, number]>([
    ['a winter day at midnight', kyiv('day', '00:00'), '2026-01-15T10:00:00Z', '2026-01-14T22:00:00Z', '2026-01-15T22:00:00Z', 24],
    ['a summer day at midnight', kyiv('day', '00:00'), '2026-07-15T10:00:00Z', '2026-07-14T21:00:00Z', '2026-07-15T21:00:00Z', 24],
    ['the March change day is 23 h', kyiv('day', '00:00'), '2026-03-29T12:00:00Z', '2026-03-28T22:00:00Z', '2026-03-29T21:00:00Z', 23],
    ['the October change day is 25 h', kyiv('day', '00:00'), '2026-10-25T12:00:00Z', '2026-10-24T21:00:00Z', '2026-10-25T22:00:00Z', 25],
    ['19:30 to 19:30 across the March change', kyiv('day', '19:30'), '2026-03-29T10:00:00Z', '2026-03-28T17:30:00Z', '2026-03-29T16:30:00Z', 23],
    ['19:30 to 19:30 across the October change', kyiv('day', '19:30'), '2026-10-25T10:00:00Z', '2026-10-24T16:30:00Z', '2026-10-25T17:30:00Z', 25],
    ['before the cut-off belongs to the day before', kyiv('day', '19:30'), '2026-01-15T17:29:59Z', '2026-01-14T17:30:00Z', '2026-01-15T17:30:00Z', 24],
    ['at the cut-off starts the next day', kyiv('day', '19:30'), '2026-01-15T17:30:00Z', '2026-01-15T17:30:00Z', '2026-01-16T17:30:00Z', 24],
    ['a cut-off in the March gap moves forward by it', kyiv('day', '03:30'), '2026-03-29T02:00:00Z', '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z', 23],
    ['an hour at :30', kyiv('hour', '19:30'), '2026-01-15T10:45:00Z', '2026-01-15T10:30:00Z', '2026-01-15T11:30:00Z', 1],
    ['the repeated October hour, second time', kyiv('hour', '00:00'), '2026-10-25T01:10:00Z', '2026-10-25T01:00:00Z', '2026-10-25T02:00:00Z', 1],
    ['the repeated October hour, first time', kyiv('hour', '00:00'), '2026-10-25T00:10:00Z', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z', 1],
    ['a week from Monday midnight', kyiv('week', '00:00'), '2026-01-15T10:00:00Z', '2026-01-11T22:00:00Z', '2026-01-18T22:00:00Z', 168],
    ['a week across the March change is 167 h', kyiv('week', '19:30'), '2026-03-25T10:00:00Z', '2026-03-23T17:30:00Z', '2026-03-30T16:30:00Z', 167],
    ['a week across the October change is 169 h', kyiv('week', '19:30'), '2026-10-22T10:00:00Z', '2026-10-19T16:30:00Z', '2026-10-26T17:30:00Z', 169],
    ['Monday before the cut-off is the week before', kyiv('week', '19:30'), '2026-01-12T17:00:00Z', '2026-01-05T17:30:00Z', '2026-01-12T17:30:00Z', 168],
    ['UTC days', { period: 'day', zone: 'UTC', cutoffMinutes: 0 }, '2026-03-29T12:00:00Z', '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z', 24],
  ])('%s', (_why, rule, at, start, next, hours) => {
    const s = periodStart(utc(at), rule);
    expect(new Date(s).toISOString()).toBe(new Date(utc(start)).toISOString());
    const n = nextPeriodStart(s, rule);
    expect(new Date(n).toISOString()).toBe(new Date(utc(next)).toISOString());
    expect((n - s) / HOUR).toBe(hours);
    // A start is its own period's start.
    expect(periodStart(s, rule)).toBe(s);
  });

  it('walks a year of days without gaps or overlaps, 23 h and 25 h once each', () => {
    const rule = kyiv('day', '19:30');
    const lengths = new Map<number, number>();
    let b = periodStart(utc('2026-01-01T12:00:00Z'), rule);
    for (let i = 0; i < 365; i++) {
      const n = nextPeriodStart(b, rule);
      expect(periodStart(n - 1, rule)).toBe(b);
      lengths.set((n - b) / HOUR, (lengths.get((n - b) / HOUR) ?? 0) + 1);
      b = n;
    }
    expect(Object.fromEntries(lengths)).toEqual({ 23: 1, 24: 363, 25: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import type { IncidentTally } from '../storage/store.js';
import type { PeriodRule } from './periods.js';
import { summarise } from './summarise.js';

const at = (iso: string): number => Date.parse(iso);
const KYIV_1930: PeriodRule = { period: 'day', zone: 'Europe/Kyiv', cutoffMinutes: 19 * 60 + 30 };

function tally(first: string, over: Partial<IncidentTally> = {}): IncidentTally {
  return {
    incidentId: first,
    firstObservedMs: at(first),
    maxCount: null,
    maxExplosions: null,
    maxKilled: null,
    maxInjured: null,
    reports: 1,
    categories: ['explosion'],
    weapons: [],
    assessments: [],
    ...over,
  };
}

describe('summarise', () => {
  it('counts each incident once with its largest figures, and one violation when no report counts', () => {
    const { total } = summarise(
      [
        tally('2026-01-15T10:00:00Z', { maxCount: 40, maxExplosions: 40, maxKilled: 1, maxInjured: 3, reports: 3, categories: ['explosion', 'shelling'], weapons: ['artillery'], assessments: ['impact'] }),
        tally('2026-01-15T11:00:00Z', { reports: 2, categories: ['small_arms_fire'], weapons: ['small_arms', 'artillery'] }),
        tally('2026-01-15T12:00:00Z', { maxCount: 12, maxExplosions: null, categories: ['small_arms_fire'] }),
      ],
      KYIV_1930,
      { sinceMs: at('2026-01-14T17:30:00Z'), untilMs: at('2026-01-15T17:30:00Z'), nowMs: at('2026-02-01T00:00:00Z') },
    );
    expect(total).toEqual({
      incidents: 3,
      violations: 40 + 1 + 12,
      explosions: 40,
      killed: 1,
      injured: 3,
      reports: 6,
      byCategory: { explosion: 1, shelling: 1, small_arms_fire: 2 },
      byWeapon: { artillery: 2, small_arms: 1 },
      byAssessment: { impact: 1 },
    });
  });

  it.each<[string, PeriodRule, { since?: string; until?: string }, string[], [string, string, number][]]>([
    [
      'days from 19:30 to 19:30 in Kyiv (EET)',
      KYIV_1930,
      { since: '2026-01-14T17:30:00Z', until: '2026-01-16T17:30:00Z' },
      ['2026-01-15T17:29:59Z', '2026-01-15T17:30:00Z', '2026-01-14T17:30:00Z'],
      [
        ['2026-01-14T17:30:00.000Z', '2026-01-15T17:30:00.000Z', 2],
        ['2026-01-15T17:30:00.000Z', '2026-01-16T17:30:00.000Z', 1],
      ],
    ],
    [
      'a 23-hour day at the March change',
      KYIV_1930,
      { since: '2026-03-28T17:30:00Z', until: '2026-03-30T16:30:00Z' },
      ['2026-03-29T16:29:00Z', '2026-03-29T16:31:00Z'],
      [
        ['2026-03-28T17:30:00.000Z', '2026-03-29T16:30:00.000Z', 1],
        ['2026-03-29T16:30:00.000Z', '2026-03-30T16:30:00.000Z', 1],
      ],
    ],
    [
      'a 25-hour day at the October change',
      KYIV_1930,
      { since: '2026-10-24T16:30:00Z', until: '2026-10-26T17:30:00Z' },
      ['2026-10-25T17:29:00Z', '2026-10-25T17:31:00Z'],
      [
        ['2026-10-24T16:30:00.000Z', '2026-10-25T17:30:00.000Z', 1],
        ['2026-10-25T17:30:00.000Z', '2026-10-26T17:30:00.000Z', 1],
      ],
    ],
    [
      'a range cut mid-period keeps its own ends; empty periods are listed',
      KYIV_1930,
      { since: '2026-01-15T06:00:00Z', until: '2026-01-17T06:00:00Z' },
      ['2026-01-15T07:00:00Z'],
      [
        ['2026-01-15T06:00:00.000Z', '2026-01-15T17:30:00.000Z', 1],
        ['2026-01-15T17:30:00.000Z', '2026-01-16T17:30:00.000Z', 0],
        ['2026-01-16T17:30:00.000Z', '2026-01-17T06:00:00.000Z', 0],
      ],
    ],
    [
      'an incident first observed before since counts in its own, earlier period, not here',
      KYIV_1930,
      { since: '2026-01-15T17:30:00Z', until: '2026-01-16T17:30:00Z' },
      ['2026-01-15T17:00:00Z', '2026-01-16T01:00:00Z'],
      [['2026-01-15T17:30:00.000Z', '2026-01-16T17:30:00.000Z', 1]],
    ],
    [
      'hours at :30',
      { period: 'hour', zone: 'Europe/Kyiv', cutoffMinutes: 19 * 60 + 30 },
      { since: '2026-01-15T10:30:00Z', until: '2026-01-15T12:30:00Z' },
      ['2026-01-15T10:30:00Z', '2026-01-15T11:29:59Z', '2026-01-15T12:00:00Z'],
      [
        ['2026-01-15T10:30:00.000Z', '2026-01-15T11:30:00.000Z', 2],
        ['2026-01-15T11:30:00.000Z', '2026-01-15T12:30:00.000Z', 1],
      ],
    ],
    [
      'weeks from Monday 19:30, the March one 167 h',
      { period: 'week', zone: 'Europe/Kyiv', cutoffMinutes: 19 * 60 + 30 },
      { since: '2026-03-23T17:30:00Z', until: '2026-04-06T16:30:00Z' },
      ['2026-03-30T16:29:00Z', '2026-03-30T16:30:00Z'],
      [
        ['2026-03-23T17:30:00.000Z', '2026-03-30T16:30:00.000Z', 1],
        ['2026-03-30T16:30:00.000Z', '2026-04-06T16:30:00.000Z', 1],
      ],
    ],
    [
      'no since: from the period of the first incident to the period of now',
      { period: 'day', zone: 'UTC', cutoffMinutes: 0 },
      {},
      ['2026-01-14T05:00:00Z'],
      [
        ['2026-01-14T00:00:00.000Z', '2026-01-15T00:00:00.000Z', 1],
        ['2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z', 0],
      ],
    ],
  ])('%s', (_why, rule, range, firsts, expected) => {
    const { periods, total } = summarise(
      firsts.map((f) => tally(f)),
      rule,
      { sinceMs: range.since ? at(range.since) : undefined, untilMs: range.until ? at(range.until) : undefined, nowMs: at('2026-01-15T12:00:00Z') },
    );
    expect(periods.map((p) => [p.start, p.end, p.incidents])).toEqual(expected);
    expect(total.incidents).toBe(expected.reduce((n, [, , k]) => n + k, 0));
  });

  it('refuses a range of more than 10,000 periods', () => {
    expect(() =>
      summarise([], { period: 'hour', zone: 'UTC', cutoffMinutes: 0 }, { sinceMs: at('2020-01-01T00:00:00Z'), untilMs: at('2026-01-01T00:00:00Z'), nowMs: 0 }),
    ).toThrow(/more than 10000 periods/);
  });
});

import { SUMMARY_MAX_PERIODS, type SummaryCounts, type SummaryPeriodCounts, toUtcIso } from '@truceline/shared';
import { AppError } from '../app-error.js';
import type { IncidentTally } from '../storage/store.js';
import { type PeriodRule, nextPeriodStart, periodStart } from './periods.js';

/** The asked range; either end may be open. `nowMs` closes an open end. */
export interface SummaryRange {
  sinceMs?: number;
  untilMs?: number;
  nowMs: number;
}

export interface Summary {
  periods: SummaryPeriodCounts[];
  total: SummaryCounts;
}

function emptyCounts(): SummaryCounts {
  return { incidents: 0, violations: 0, explosions: 0, killed: 0, injured: 0, reports: 0, byCategory: {}, byWeapon: {}, byAssessment: {} };
}

function tallyInto(into: Record<string, number>, keys: readonly string[]): void {
  for (const key of keys) into[key] = (into[key] ?? 0) + 1;
}

/**
 * Adds one incident to `counts`. Several monitors who heard the same 40 explosions report 40
 * each: the incident's figures are the largest any of its reports gives, never their sum; an
 * incident whose reports give no count is one violation.
 */
function addIncident(counts: SummaryCounts, t: IncidentTally): void {
  counts.incidents += 1;
  counts.violations += t.maxCount ?? 1;
  counts.explosions += t.maxExplosions ?? 0;
  counts.killed += t.maxKilled ?? 0;
  counts.injured += t.maxInjured ?? 0;
  counts.reports += t.reports;
  tallyInto(counts.byCategory, t.categories);
  tallyInto(counts.byWeapon, t.weapons);
  tallyInto(counts.byAssessment, t.assessments);
}

/** `[start, end)` of each period covering the range, the first and last cut to `since` and `until` when given. */
function periodBounds(rule: PeriodRule, startMs: number, endMs: number, range: SummaryRange): [number, number][] {
  const out: [number, number][] = [];
  for (let b = periodStart(startMs, rule); b < endMs; ) {
    const next = nextPeriodStart(b, rule);
    out.push([range.sinceMs !== undefined ? Math.max(b, range.sinceMs) : b, range.untilMs !== undefined ? Math.min(next, range.untilMs) : next]);
    if (out.length > SUMMARY_MAX_PERIODS) {
      throw new AppError('invalid', `The range holds more than ${SUMMARY_MAX_PERIODS} periods of one ${rule.period}: narrow since/until or choose a longer period.`, [
        { path: 'period', message: `more than ${SUMMARY_MAX_PERIODS} periods` },
      ]);
    }
    b = next;
  }
  return out;
}

/**
 * Buckets incidents by the period of their first observation. An incident first observed
 * before `since` (a report of it overlaps the range) belongs to an earlier period and is
 * counted there, not here, so that the summaries of consecutive ranges add up to the summary
 * of their union. Periods without incidents are listed with zeros.
 */
export function summarise(tallies: readonly IncidentTally[], rule: PeriodRule, range: SummaryRange): Summary {
  const since = range.sinceMs ?? Number.NEGATIVE_INFINITY;
  const until = range.untilMs ?? Number.POSITIVE_INFINITY;
  const inRange = tallies.filter((t) => t.firstObservedMs >= since && t.firstObservedMs < until);
  let first = range.nowMs;
  let last = range.nowMs;
  for (const t of inRange) {
    if (t.firstObservedMs < first) first = t.firstObservedMs;
    if (t.firstObservedMs >= last) last = t.firstObservedMs + 1;
  }
  const bounds = periodBounds(rule, range.sinceMs ?? first, range.untilMs ?? last, range);
  const counts = bounds.map(emptyCounts);
  const total = emptyCounts();
  for (const t of inRange) {
    addIncident(counts[periodIndex(bounds, t.firstObservedMs)] as SummaryCounts, t);
    addIncident(total, t);
  }
  return {
    periods: bounds.map(([start, end], i) => ({ start: toUtcIso(start), end: toUtcIso(end), ...(counts[i] as SummaryCounts) })),
    total,
  };
}

/** The period holding `ms` (which lies inside the bounds): binary search over the starts. */
function periodIndex(bounds: readonly [number, number][], ms: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bounds[mid] as [number, number])[0] <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

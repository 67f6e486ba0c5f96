import { DateTime } from 'luxon';
import type { SummaryPeriod } from '@truceline/shared';

/** How a summary cuts time: period length, the mission's IANA zone, the cut-off in minutes after local midnight. */
export interface PeriodRule {
  period: SummaryPeriod;
  zone: string;
  cutoffMinutes: number;
}

/** The local date at the cut-off, as an instant. A cut-off inside a DST gap moves forward by the gap (luxon's rule). */
function atCutoff(date: DateTime, rule: PeriodRule): DateTime {
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(rule.cutoffMinutes / 60), minute: rule.cutoffMinutes % 60 },
    { zone: rule.zone },
  );
}

/**
 * The start of the period holding `ms`. Days run from the cut-off to the next day's cut-off in
 * local time (23 or 25 hours across a DST change), weeks from Monday's cut-off, hours from the
 * cut-off's minute of each hour.
 */
export function periodStart(ms: number, rule: PeriodRule): number {
  const local = DateTime.fromMillis(ms, { zone: rule.zone });
  if (rule.period === 'hour') {
    // In absolute time: setting the minute on a local time in the hour a DST change repeats
    // could land on the other of its two instants.
    const offsetMs = local.offset * 60_000;
    const minuteMs = (rule.cutoffMinutes % 60) * 60_000;
    return Math.floor((ms + offsetMs - minuteMs) / 3_600_000) * 3_600_000 + minuteMs - offsetMs;
  }
  // The local date whose cut-off is the last one at or before `ms`.
  let date = local.startOf('day');
  if (atCutoff(date, rule).toMillis() > ms) date = date.minus({ days: 1 });
  if (rule.period === 'week') date = date.minus({ days: date.weekday - 1 });
  return atCutoff(date, rule).toMillis();
}

/** Longer than any period of its kind (days last 23–25 h, weeks 167–169 h) and shorter than any two. */
const PAST_ONE: Readonly<Record<SummaryPeriod, number>> = { hour: 3_600_000, day: 26 * 3_600_000, week: 170 * 3_600_000 };

/** The start of the period after the one starting at `start` (a value from `periodStart`). */
export function nextPeriodStart(start: number, rule: PeriodRule): number {
  // Hours are fixed lengths of absolute time; days and weeks are found again from a moment
  // inside the next one, so a DST change or a cut-off moved by a gap needs no case of its own.
  if (rule.period === 'hour') return start + PAST_ONE.hour;
  return periodStart(start + PAST_ONE[rule.period], rule);
}

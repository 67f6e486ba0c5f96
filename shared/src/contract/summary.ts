import { z } from 'zod';
import { ReportFilterShape } from './query.js';
import { CATEGORIES } from './taxonomy.js';

/** Lengths a summary can bucket incidents by (`GET /api/summary?period=`). */
export const SUMMARY_PERIODS = ['hour', 'day', 'week'] as const;
export const SummaryPeriod = z.enum(SUMMARY_PERIODS);
export type SummaryPeriod = z.infer<typeof SummaryPeriod>;

/** More periods than this in one answer is refused: an hourly summary of years helps nobody and costs a lot. */
export const SUMMARY_MAX_PERIODS = 10_000;

const single = z.string({ message: 'give this parameter once' });

/**
 * The reporting cut-off, `HH:MM` on a 24-hour clock in the mission's time zone: missions count
 * "from 19:30 to 19:30". Parsed to minutes after local midnight.
 */
export const Cutoff = single.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM on a 24-hour clock, e.g. 19:30').transform((text) => {
  const [h, m] = text.split(':').map(Number) as [number, number];
  return h * 60 + m;
});

/** Query string of `GET /api/summary` and `GET /api/summary.csv`: the list filters, a period and a cut-off. */
export const SummaryQuery = z
  .strictObject({
    ...ReportFilterShape,
    period: single.pipe(SummaryPeriod).optional(),
    cutoff: Cutoff.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.since !== undefined && q.until !== undefined && q.since >= q.until) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after since' });
    }
  });
export type SummaryQuery = z.output<typeof SummaryQuery>;

const Tally = z.record(z.string(), z.number().int().min(0));

/** What one period (or the whole answer) counts; see README "Counts" for the rules. */
export const SummaryCounts = z.object({
  /** Incidents first observed in the period. */
  incidents: z.number().int().min(0),
  /** Per incident the largest `count` among its reports (1 when none gives one), summed. */
  violations: z.number().int().min(0),
  /** Per incident the largest count in `explosions`, summed. */
  explosions: z.number().int().min(0),
  /** Per incident the largest figure among its reports, summed over incidents. */
  killed: z.number().int().min(0),
  injured: z.number().int().min(0),
  /** Reports that counted (not rejected, not superseded) in those incidents. */
  reports: z.number().int().min(0),
  /** Incidents per category, weapon and assessment; an incident with two counts once in each. */
  byCategory: Tally,
  byWeapon: Tally,
  byAssessment: Tally,
});
export type SummaryCounts = z.infer<typeof SummaryCounts>;

export const SummaryPeriodCounts = SummaryCounts.extend({
  /** RFC 3339 UTC; the period is `[start, end)`. */
  start: z.string(),
  end: z.string(),
});
export type SummaryPeriodCounts = z.infer<typeof SummaryPeriodCounts>;

/** `GET /api/summary`. */
export const SummaryResponse = z.object({
  timezone: z.string(),
  /** The cut-off as given (`HH:MM`). */
  cutoff: z.string(),
  period: SummaryPeriod,
  periods: z.array(SummaryPeriodCounts),
  total: SummaryCounts,
  asOfSeq: z.number().int().min(0),
});
export type SummaryResponse = z.infer<typeof SummaryResponse>;

/** The columns of `GET /api/summary.csv`, in order: one row per period. */
export const SUMMARY_CSV_COLUMNS: readonly string[] = [
  'start',
  'end',
  'incidents',
  'violations',
  'explosions',
  'killed',
  'injured',
  'reports',
  ...CATEGORIES.map((c) => `byCategory_${c}`),
];

/** `HH:MM` of minutes after midnight. */
export function formatCutoff(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

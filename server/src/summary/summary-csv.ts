import { CATEGORIES, SUMMARY_CSV_COLUMNS, type SummaryPeriodCounts } from '@truceline/shared';

/**
 * `GET /api/summary.csv`: one row per period, every category of the taxonomy as a column of its
 * own (0 when none) so that files of different ranges line up in a spreadsheet. Every value is
 * a number or an RFC 3339 time, so nothing needs quoting. CRLF line ends (RFC 4180).
 */
export function summaryCsv(periods: readonly SummaryPeriodCounts[]): string {
  const lines = [SUMMARY_CSV_COLUMNS.join(',')];
  for (const p of periods) {
    const cells: (string | number)[] = [p.start, p.end, p.incidents, p.violations, p.explosions, p.killed, p.injured, p.reports];
    for (const c of CATEGORIES) cells.push(p.byCategory[c] ?? 0);
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

import type { Report } from '@truceline/shared';
import { reportFilter, type Filters } from './filters';

interface Inputs {
  reports: Readonly<Record<string, Report>>;
  filters: Filters;
  userId: string | undefined;
  now: number;
}

let last: { inputs: Inputs; visible: Report[] } | undefined;

function sameInputs(a: Inputs, b: Inputs): boolean {
  const f = a.filters;
  const g = b.filters;
  return (
    a.reports === b.reports &&
    a.userId === b.userId &&
    a.now === b.now &&
    f.preset === g.preset &&
    f.since === g.since &&
    f.until === g.until &&
    f.categories === g.categories &&
    f.statuses === g.statuses &&
    f.onlyMine === g.onlyMine
  );
}

/**
 * The reports held that pass the filters. The map and the feed both draw from it after every
 * change; the last answer is kept, so one change filters the reports once, not once per view.
 */
export function visibleReports(reports: Readonly<Record<string, Report>>, filters: Filters, userId: string | undefined, now: number): Report[] {
  const inputs = { reports, filters, userId, now };
  if (last && sameInputs(last.inputs, inputs)) return last.visible;
  const visible = Object.values(reports).filter(reportFilter(filters, userId, now));
  // Only the fields compared are kept: `filters` may be a whole store state that changes later.
  last = { inputs: { ...inputs, filters: { ...filters } }, visible };
  return visible;
}

import type { Report } from '@truceline/shared';
import { useMemo } from 'react';
import { useSession } from '../session/session-store';
import { matchesFilters } from '../store/filters';
import { useFilters } from '../store/filters-store';
import { useLiveData } from '../store/live-data-store';

/** Reports passing the filters, newest observation first (the order of the server's lists). */
export function useFilteredReports(): Report[] {
  const reports = useLiveData((s) => s.reports);
  const preset = useFilters((s) => s.preset);
  const since = useFilters((s) => s.since);
  const until = useFilters((s) => s.until);
  const categories = useFilters((s) => s.categories);
  const statuses = useFilters((s) => s.statuses);
  const onlyMine = useFilters((s) => s.onlyMine);
  const now = useFilters((s) => s.now);
  const userId = useSession((s) => s.user?.id);
  return useMemo(() => {
    const f = { preset, since, until, categories, statuses, onlyMine };
    return Object.values(reports)
      .filter((r) => matchesFilters(r, f, userId, now))
      .sort((a, b) => (a.observedAt === b.observedAt ? (a.id < b.id ? 1 : -1) : a.observedAt < b.observedAt ? 1 : -1));
  }, [reports, preset, since, until, categories, statuses, onlyMine, now, userId]);
}

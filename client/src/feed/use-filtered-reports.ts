import { useMemo } from 'react';
import { useSession } from '../session/session-store';
import { useFilters } from '../store/filters-store';
import { useLiveData } from '../store/live-data-store';
import { visibleReports } from '../store/visible-reports';
import { newestMatching, type FilteredReports } from './newest-matching';

/** Reports passing the filters: how many, and the `limit` newest (the order of the server's lists). */
export function useFilteredReports(limit: number): FilteredReports {
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
    const visible = visibleReports(reports, { preset, since, until, categories, statuses, onlyMine }, userId, now);
    return newestMatching(visible, () => true, limit);
  }, [reports, preset, since, until, categories, statuses, onlyMine, now, userId, limit]);
}

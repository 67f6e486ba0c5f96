import type { Area, Incident, Report } from '@truceline/shared';
import { create } from 'zustand';
import { applyAreas, applyIncidents, applyReports, EMPTY_LIVE_DATA, replaceAggregates, type LiveData } from './live-data-reducer';

/** How long a newly arrived report stays highlighted on the map and in the feed. */
export const HIGHLIGHT_MS = 6_000;

export interface LiveDataState extends LiveData {
  /** Report ids that arrived live, with when: drives the brief highlight. */
  fresh: Readonly<Record<string, number>>;
  /** Bumped on every report change so the map can batch one `setData` per frame. */
  version: number;
  /** The reports the latest `version` changed (so subscribers need not compare every report held). */
  changed: readonly Report[];
  reportsArrived(reports: readonly Report[], options?: { live?: boolean }): Report[];
  /** Live incident and area changes (one commit's, or one per-item event's), applied in one store update. */
  aggregatesUpdated(incidents: readonly Incident[], areas: readonly Area[]): void;
  aggregatesLoaded(incidents: readonly Incident[], areas: readonly Area[]): void;
  syncedTo(seq: number): void;
  clear(): void;
}

/** Server-derived state: all of it lives here, and only the socket module and the cache write it. */
export const useLiveData = create<LiveDataState>((set, get) => ({
  ...EMPTY_LIVE_DATA,
  fresh: {},
  version: 0,
  changed: [],
  reportsArrived(reports, options) {
    const state = get();
    const { data, changed } = applyReports(state, reports);
    if (changed.length === 0) return changed;
    let fresh = state.fresh;
    if (options?.live) {
      const now = Date.now();
      const next: Record<string, number> = Object.fromEntries(Object.entries(fresh).filter(([, at]) => now - at < HIGHLIGHT_MS));
      for (const r of changed) next[r.id] = now;
      fresh = next;
    }
    set({ reports: data.reports, fresh, version: state.version + 1, changed });
    return changed;
  },
  aggregatesUpdated(incidents, areas) {
    const state = get();
    const next = applyAreas(applyIncidents(state, incidents), areas);
    if (next.incidents !== state.incidents || next.areas !== state.areas) set({ incidents: next.incidents, areas: next.areas });
  },
  aggregatesLoaded(incidents, areas) {
    const next = replaceAggregates(get(), incidents, areas);
    set({ incidents: next.incidents, areas: next.areas });
  },
  syncedTo(seq) {
    if (seq > get().syncedSeq) set({ syncedSeq: seq });
  },
  clear() {
    set({ ...EMPTY_LIVE_DATA, fresh: {}, version: get().version + 1, changed: [] });
  },
}));

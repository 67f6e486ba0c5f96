import type { Report } from '@truceline/shared';
import { create } from 'zustand';
import { t } from '../i18n';
import { alertNewReports } from './new-report-alerts';
import { titleWithCount } from './unseen';

export interface UnseenState {
  /** Other people's reports that arrived live and have not been in view in the feed since. */
  ids: Readonly<Record<string, true>>;
  /** Reports new to this viewer (see `newFromOthers`) arrived live. */
  arrived(reports: readonly Report[]): void;
  /** These rows were on screen in the feed. */
  seen(ids: readonly string[]): void;
  seenAll(): void;
  clear(): void;
}

export const useUnseen = create<UnseenState>((set, get) => ({
  ids: {},
  arrived(reports) {
    if (reports.length === 0) return;
    const ids = { ...get().ids };
    for (const r of reports) ids[r.id] = true;
    set({ ids });
    alertNewReports(reports);
  },
  seen(seenIds) {
    const current = get().ids;
    if (!seenIds.some((id) => current[id])) return;
    const gone = new Set(seenIds);
    set({ ids: Object.fromEntries(Object.entries(current).filter(([id]) => !gone.has(id))) });
  },
  seenAll() {
    if (Object.keys(get().ids).length > 0) set({ ids: {} });
  },
  clear() {
    set({ ids: {} });
  },
}));

export const unseenCount = (s: Pick<UnseenState, 'ids'>): number => Object.keys(s.ids).length;

// The tab title is what a person sees of a hidden tab; the count goes there whatever is mounted.
useUnseen.subscribe((s) => {
  document.title = titleWithCount(t.app.name, unseenCount(s));
});

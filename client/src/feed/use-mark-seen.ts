import { useEffect, type RefObject } from 'react';
import { useUnseen } from './unseen-store';

/**
 * Marks unseen rows (`li[data-unseen]`) of `list` as seen once at least half of one is on
 * screen while the page is visible: a row scrolled past, a feed in a hidden tab or behind the
 * map on a phone stays unseen. `deps` change when the rows do.
 */
export function useMarkSeen(list: RefObject<HTMLElement | null>, deps: readonly unknown[]): void {
  useEffect(() => {
    const root = list.current;
    if (!root || typeof IntersectionObserver === 'undefined') return;
    const inView = new Set<string>();
    const markInView = (): void => {
      if (document.visibilityState === 'visible' && inView.size > 0) useUnseen.getState().seen([...inView]);
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.reportId;
          if (id === undefined) continue;
          if (entry.isIntersecting) inView.add(id);
          else inView.delete(id);
        }
        markInView();
      },
      { threshold: 0.5 },
    );
    for (const row of root.querySelectorAll<HTMLElement>('li[data-unseen]')) observer.observe(row);
    // Rows in view while the tab was hidden are seen when the person comes back to it.
    document.addEventListener('visibilitychange', markInView);
    return () => {
      observer.disconnect();
      document.removeEventListener('visibilitychange', markInView);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the rows depend on
  }, deps);
}

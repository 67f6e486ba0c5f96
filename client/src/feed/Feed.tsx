import { CATEGORY_LABELS, STATUS_LABELS } from '@truceline/shared';
import { useRef } from 'react';
import { t } from '../i18n';
import { CategoryIcon } from '../report/CategoryIcon';
import { useLiveData } from '../store/live-data-store';
import { useUi } from '../store/ui-store';
import { formatTime } from './format';
import { NewReportAlerts } from './NewReportAlerts';
import { unseenCount, useUnseen } from './unseen-store';
import { useFilteredReports } from './use-filtered-reports';
import { useMarkSeen } from './use-mark-seen';

/** Rows rendered at most; a coordination room filters rather than scrolls through thousands. */
const MAX_ROWS = 300;

/** The live feed, newest first; hovering a row shows its wedge on the map, a click flies there. */
export function Feed() {
  const { total, newest: shown } = useFilteredReports(MAX_ROWS);
  const fresh = useLiveData((s) => s.fresh);
  const selectedId = useUi((s) => s.selectedId);
  const unseen = useUnseen((s) => s.ids);
  const newCount = useUnseen(unseenCount);
  const list = useRef<HTMLOListElement>(null);
  useMarkSeen(list, [shown, unseen]);
  const showNew = (): void => {
    list.current?.scrollIntoView({ block: 'start' });
    // Also those the filters hide or the row limit cuts: the person asked to be up to date.
    useUnseen.getState().seenAll();
  };
  return (
    <section className="feed" aria-labelledby="feed-title">
      <h2 id="feed-title">{t.feed.title} <span className="count" data-testid="feed-count">{total}</span></h2>
      <p className="unseen-row" role="status">
        {newCount > 0 && (
          <button type="button" className="unseen-marker" data-testid="unseen-marker" onClick={showNew}>
            {t.unseen.marker(newCount)}
          </button>
        )}
      </p>
      <NewReportAlerts />
      {total === 0 && <p className="muted">{t.feed.empty}</p>}
      <ol className="feed-list" ref={list}>
        {shown.map((r) => (
          <li
            key={r.id}
            className={`${fresh[r.id] !== undefined ? 'fresh' : ''} ${selectedId === r.id ? 'selected' : ''} ${unseen[r.id] ? 'unseen' : ''}`}
            data-report-id={r.id}
            data-status={r.status}
            data-unseen={unseen[r.id] ? '' : undefined}
          >
            <button
              type="button"
              onClick={() => useUi.getState().select(r.id, { fly: true })}
              onMouseEnter={() => useUi.getState().hover(r.id)}
              onMouseLeave={() => useUi.getState().hover(undefined)}
              onFocus={() => useUi.getState().hover(r.id)}
              onBlur={() => useUi.getState().hover(undefined)}
            >
              <CategoryIcon category={r.category} />
              <span className="feed-main">
                <span className="feed-title">{CATEGORY_LABELS[r.category]}</span>
                <span className="feed-meta">
                  {formatTime(r.observedAt)} · {t.feed.uncertainty(r.uncertaintyM)}
                  {r.locationMethod === 'bearing' ? ` · ${t.feed.bearing}` : ''}
                  {r.reporter ? ` · ${t.feed.by(r.reporter.username)}` : ''}
                </span>
                {r.place && <span className="feed-place">{r.place.text}</span>}
                {r.description && <span className="feed-desc">{r.description}</span>}
                {r.review?.note && (
                  <span className="feed-review" data-testid="feed-review-note">
                    {t.reviewNote.label(STATUS_LABELS[r.status])} <span className="user-text">{r.review.note}</span>
                  </span>
                )}
              </span>
              <span className={`status status-${r.status}`}>{STATUS_LABELS[r.status]}</span>
            </button>
          </li>
        ))}
      </ol>
      {total > MAX_ROWS && <p className="muted">{t.feed.more(total - MAX_ROWS)}</p>}
    </section>
  );
}

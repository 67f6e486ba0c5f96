import { CATEGORY_LABELS, STATUS_LABELS } from '@truceline/shared';
import { t } from '../i18n';
import { CategoryIcon } from '../report/CategoryIcon';
import { useLiveData } from '../store/live-data-store';
import { useUi } from '../store/ui-store';
import { formatTime } from './format';
import { useFilteredReports } from './use-filtered-reports';

/** Rows rendered at most; a coordination room filters rather than scrolls through thousands. */
const MAX_ROWS = 300;

/** The live feed, newest first; hovering a row shows its wedge on the map, a click flies there. */
export function Feed() {
  const { total, newest: shown } = useFilteredReports(MAX_ROWS);
  const fresh = useLiveData((s) => s.fresh);
  const selectedId = useUi((s) => s.selectedId);
  return (
    <section className="feed" aria-labelledby="feed-title">
      <h2 id="feed-title">{t.feed.title} <span className="count" data-testid="feed-count">{total}</span></h2>
      {total === 0 && <p className="muted">{t.feed.empty}</p>}
      <ol className="feed-list">
        {shown.map((r) => (
          <li key={r.id} className={`${fresh[r.id] !== undefined ? 'fresh' : ''} ${selectedId === r.id ? 'selected' : ''}`} data-report-id={r.id} data-status={r.status}>
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

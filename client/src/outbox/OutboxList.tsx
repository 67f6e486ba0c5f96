import { CATEGORY_LABELS, type Category } from '@truceline/shared';
import { useMemo } from 'react';
import { formatTime } from '../feed/format';
import { t } from '../i18n';
import { CategoryIcon } from '../report/CategoryIcon';
import { useSession } from '../session/session-store';
import { useLiveData } from '../store/live-data-store';
import type { OutboxState } from './outbox-machine';
import { useOutbox } from './outbox-store';

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Every report on this device with its state: saved → sending → confirmed, or failed with the reason. */
export function OutboxList() {
  const items = useOutbox((s) => s.items);
  const userId = useSession((s) => s.user?.id);
  const list = useMemo(() => Object.values(items).sort((a, b) => b.createdAt - a.createdAt), [items]);
  return (
    <section className="outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t.outbox.title}</h2>
      {list.length === 0 && <p className="muted">{t.outbox.empty}</p>}
      <ol className="outbox-list">
        {list.map((item) => (
          <li key={item.id} data-state={item.state} data-report-id={item.id}>
            <CategoryIcon category={item.draft.category as Category} />
            <div className="outbox-main">
              <span>{CATEGORY_LABELS[item.draft.category as Category] ?? item.draft.category}</span>
              <span className="muted">{formatTime(new Date(item.createdAt).toISOString())}</span>
              <EntryState id={item.id} state={item.state} />
              {item.error && <span className="error">{item.error.message}</span>}
              {item.retryAt && item.state === 'failed' && <span className="muted">{t.outbox.retryAt(timeOnly.format(item.retryAt))}</span>}
              {item.userId !== userId && <span className="muted">{t.outbox.heldOtherUser}</span>}
            </div>
            {item.state === 'failed' && item.userId === userId && (
              <div className="actions">
                <button type="button" onClick={() => void useOutbox.getState().dispatch(item.id, { type: 'retry', at: Date.now() })}>{t.outbox.retry}</button>
                <button type="button" onClick={() => window.confirm(t.outbox.discardConfirm) && void useOutbox.getState().discard(item.id)}>{t.outbox.discard}</button>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The entry's state; once the server confirmed the report, what a coordinator made of it, as
 * the server last sent it: "Confirmed by the server" alone would hide a rejection.
 */
function EntryState({ id, state }: { id: string; state: OutboxState }) {
  const report = useLiveData((s) => s.reports[id]);
  const reviewed = state === 'confirmed' && report !== undefined && report.status !== 'pending' ? report.status : undefined;
  return (
    <>
      <span className={`outbox-state state-${reviewed ?? state}`} data-testid="outbox-state">
        {reviewed ? t.outbox.reviewed[reviewed] : t.outbox.states[state]}
      </span>
      {state === 'confirmed' && report?.review?.note && (
        <span className="outbox-review" data-testid="outbox-review-note">
          {t.outbox.reviewNote} <span className="user-text">{report.review.note}</span>
        </span>
      )}
    </>
  );
}

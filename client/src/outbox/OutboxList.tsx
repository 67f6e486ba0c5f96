import { CATEGORY_LABELS, type Category } from '@truceline/shared';
import { useMemo } from 'react';
import { formatTime } from '../feed/format';
import { t } from '../i18n';
import { CategoryIcon } from '../report/CategoryIcon';
import { useSession } from '../session/session-store';
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
              <span className={`outbox-state state-${item.state}`} data-testid="outbox-state">{t.outbox.states[item.state]}</span>
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

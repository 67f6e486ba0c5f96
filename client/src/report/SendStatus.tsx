import { forwardRef } from 'react';
import { useConnection } from '../store/connection-store';
import { t } from '../i18n';
import type { OutboxItem } from '../outbox/outbox-machine';
import { useOutbox } from '../outbox/outbox-store';
import { sendOutcome, type SendOutcome } from './send-outcome';

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });


function message(item: OutboxItem, outcome: SendOutcome): string {
  const reason = item.error?.message ?? t.errors.unknown;
  switch (outcome) {
    case 'confirmed':
      return t.afterSend.confirmed;
    case 'sending':
      return t.afterSend.sending;
    case 'saved':
      return t.afterSend.savedOffline;
    case 'retrying':
      return t.afterSend.retrying(reason, timeOnly.format(item.retryAt));
    case 'refused':
      return t.afterSend.refused(reason);
  }
}

/**
 * The live region that says what became of the report just sent. It is in the page before the
 * send (empty), so screen readers announce its first message, and it follows that report's outbox
 * state: "saved" turns into "confirmed" in place when the acknowledgement arrives.
 */
export const SendStatus = forwardRef<HTMLDivElement, { id: string | undefined }>(function SendStatus({ id }, ref) {
  const item = useOutbox((s) => (id === undefined ? undefined : s.items[id]));
  const online = useConnection((s) => s.status === 'online');
  const outcome = item && sendOutcome(item, online);
  return (
    <div ref={ref} className="send-status" role="status" tabIndex={-1} data-testid="send-status" data-outcome={outcome}>
      {item && outcome && (
        <>
          <p className={`send-outcome outcome-${outcome}`} data-testid="saved-notice">{message(item, outcome)}</p>
          {outcome === 'refused' && <p className="hint">{t.afterSend.refusedHint}</p>}
        </>
      )}
    </div>
  );
});

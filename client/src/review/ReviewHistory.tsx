import { type AuditEntry, type ReportHistoryResponse, ReportStatus, STATUS_LABELS } from '@truceline/shared';
import { useEffect, useState } from 'react';
import { formatTime } from '../feed/format';
import { t } from '../i18n';
import { api } from '../net/api';
import { useSession } from '../session/session-store';

type Loaded = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ok'; entries: AuditEntry[] };

/**
 * A report's reviews with their notes, oldest first, from the audit log. Fetched again whenever
 * the report's `seq` changes: a review, by this coordinator or another, gives it a new one.
 */
export function ReviewHistory({ reportId, seq }: { reportId: string; seq: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const token = useSession((s) => s.token);
  useEffect(() => {
    let current = true;
    api<ReportHistoryResponse>(`/api/reports/${encodeURIComponent(reportId)}/history`, { token }).then(
      ({ entries }) => current && setLoaded({ state: 'ok', entries }),
      (error: unknown) => current && setLoaded({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [reportId, seq, token]);

  return (
    <section className="review-history" aria-labelledby={`history-${reportId}`}>
      <h3 id={`history-${reportId}`}>{t.reviewHistory.title}</h3>
      {loaded.state === 'loading' && <p className="muted">{t.reviewHistory.loading}</p>}
      {loaded.state === 'failed' && <p className="warning">{t.reviewHistory.failed(loaded.message)}</p>}
      {loaded.state === 'ok' && loaded.entries.length === 0 && <p className="muted">{t.reviewHistory.empty}</p>}
      {loaded.state === 'ok' && loaded.entries.length > 0 && (
        <ol className="history-list" data-testid="review-history">
          {loaded.entries.map((entry) => (
            <HistoryItem key={entry.seq} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryItem({ entry }: { entry: AuditEntry }) {
  const status = ReportStatus.safeParse(entry.after?.status);
  const label = status.success ? STATUS_LABELS[status.data] : String(entry.after?.status);
  return (
    <li>
      <span className="history-head">
        {t.reviewHistory.entry(label, entry.actor?.username ?? t.reviewHistory.unknownReviewer)} · <time dateTime={entry.at}>{formatTime(entry.at)}</time>
      </span>
      {entry.note !== undefined && <span className="user-text history-note">{entry.note}</span>}
    </li>
  );
}

import {
  ASSESSMENT_LABELS,
  CATEGORY_LABELS,
  CONFIDENCE_LABELS,
  COUNT_UNIT_LABELS,
  METHOD_LABELS,
  REVIEW_NOTE_MAX_CHARS,
  STATUS_LABELS,
  WEAPON_LABELS,
  type Report,
  type ReportStatus,
} from '@truceline/shared';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { formatTime } from '../feed/format';
import { t } from '../i18n';
import { CategoryIcon } from '../report/CategoryIcon';
import { PositionReadout } from '../report/PositionReadout';
import { useSession } from '../session/session-store';
import { useLiveData } from '../store/live-data-store';
import { useUi } from '../store/ui-store';
import { setReportStatus } from './review-actions';
import { ReviewHistory } from './ReviewHistory';

const F = t.review.fields;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Everything about one report, its incident's other reports, and (for reviewers) its status. */
export function ReportDetail({ id }: { id: string }) {
  const report = useLiveData((s) => s.reports[id]);
  const reports = useLiveData((s) => s.reports);
  const incidents = useLiveData((s) => s.incidents);
  const role = useSession((s) => s.user?.role);
  if (!report) return null;
  const canReview = role === 'coordinator' || role === 'admin';
  const incident = report.incidentId ? incidents[report.incidentId] : undefined;
  const others = (incident?.reportIds ?? []).filter((rid) => rid !== report.id);

  return (
    <section className="detail" aria-labelledby="detail-title" data-report-id={report.id}>
      <header>
        <CategoryIcon category={report.category} size={32} />
        <h2 id="detail-title">{CATEGORY_LABELS[report.category]}</h2>
        <button type="button" className="close" onClick={() => useUi.getState().select(undefined)} aria-label={t.review.close}>{t.review.closeIcon}</button>
      </header>
      <p className="detail-status-row">
        <span className={`status status-${report.status}`} data-testid="detail-status">{STATUS_LABELS[report.status]}</span>
        <button type="button" className="link" onClick={() => useUi.getState().showOnMap(report.id)}>{t.review.showOnMap}</button>
      </p>
      {canReview && <ReviewControls key={report.id} report={report} />}
      <dl className="fields">
        <Row label={F.observedAt}>{formatTime(report.observedAt)}</Row>
        {report.observedUntil && <Row label={F.observedUntil}>{formatTime(report.observedUntil)}</Row>}
        <Row label={F.receivedAt}>{formatTime(report.receivedAt)}</Row>
        <Row label={F.method}>{METHOD_LABELS[report.method]}</Row>
        {report.assessment && <Row label={F.assessment}>{ASSESSMENT_LABELS[report.assessment]}</Row>}
        {report.weapon && <Row label={F.weapon}>{WEAPON_LABELS[report.weapon]}</Row>}
        {report.count !== undefined && (
          <Row label={F.count}>{t.review.countText(report.count, COUNT_UNIT_LABELS[report.countUnit], report.countApprox === true)}</Row>
        )}
        {report.casualties && <Row label={F.casualties}>{t.review.casualtiesText(report.casualties.killed, report.casualties.injured)}</Row>}
        <Row label={F.confidence}>{CONFIDENCE_LABELS[report.confidence]}</Row>
        {report.description && <Row label={F.description}><span className="user-text">{report.description}</span></Row>}
        {report.review?.note && (
          <Row label={t.reviewNote.shown(STATUS_LABELS[report.status], formatTime(report.review.at))}>
            <span className="user-text" data-testid="detail-review-note">{report.review.note}</span>
          </Row>
        )}
        {report.reporter && <Row label={F.reporter}>{report.reporter.username}</Row>}
        {report.place && <Row label={F.place}><span data-testid="detail-place">{report.place.text}</span></Row>}
        <Row label={F.location}><PositionReadout lon={report.location.lon} lat={report.location.lat} /></Row>
        <Row label={F.locationMethod}>{t.review.locationMethods[report.locationMethod]}</Row>
        <Row label={F.uncertainty}>{t.feed.uncertainty(report.uncertaintyM)}</Row>
        {report.observer && <Row label={F.observer}><PositionReadout lon={report.observer.lon} lat={report.observer.lat} /></Row>}
        {report.bearingTrue && <Row label={F.bearing}>{t.review.bearingText(report.bearingTrue.fromDeg, report.bearingTrue.toDeg)}</Row>}
        {report.distanceM && <Row label={F.distance}>{t.review.distanceText(report.distanceM.min, report.distanceM.max)}</Row>}
        {report.supersedes && <Row label={F.supersedes}>{report.supersedes}</Row>}
        <Row label={F.id}><code>{report.id}</code></Row>
      </dl>
      {canReview && <ReviewHistory reportId={report.id} seq={report.seq} />}
      {others.length > 0 && (
        <section aria-label={t.review.incident}>
          <h3>{t.review.incidentOthers(others.length)}</h3>
          <ul className="incident-list">
            {others.map((rid) => {
              const other = reports[rid];
              return (
                <li key={rid}>
                  <button type="button" className="link" onClick={() => useUi.getState().select(rid, { fly: true })}>
                    {other ? `${CATEGORY_LABELS[other.category]} · ${formatTime(other.observedAt)} · ${STATUS_LABELS[other.status]}` : rid}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </section>
  );
}

/**
 * Verify, reject or reopen, with a note to the reporter. Keyed by report: another report's
 * detail starts with its own empty note and no pending confirmation.
 */
function ReviewControls({ report }: { report: Report }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const noteId = useId();
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const review = async (status: ReportStatus): Promise<void> => {
    setBusy(true);
    setMessage(undefined);
    setConfirming(false);
    const outcome = await setReportStatus(report.id, status, report.seq, note).catch((e: unknown) => ({ ok: false as const, conflict: false, message: String(e) }));
    if (outcome.ok) setNote('');
    else setMessage(outcome.conflict ? t.review.conflict : t.review.failed(outcome.message));
    setBusy(false);
  };
  // Rejecting takes a report out of its incident and the counts, and the reporter is told why:
  // it needs a note and a second, deliberate press.
  const askReject = (): void => {
    if (note.trim() === '') {
      setNoteError(true);
      noteRef.current?.focus();
      return;
    }
    setConfirming(true);
  };
  const cancelReject = (): void => {
    setConfirming(false);
    noteRef.current?.focus();
  };
  const onConfirmKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    // Escape here cancels the rejection only; the app's handler would close the whole detail.
    event.stopPropagation();
    cancelReject();
  };

  return (
    <>
      <div className="review-note">
        <label htmlFor={noteId}>{t.reviewNote.field}</label>
        <textarea
          id={noteId}
          ref={noteRef}
          rows={2}
          maxLength={REVIEW_NOTE_MAX_CHARS}
          value={note}
          disabled={busy || confirming}
          aria-invalid={noteError || undefined}
          aria-describedby={`${noteId}-hint${noteError ? ` ${noteId}-error` : ''}`}
          onChange={(e) => {
            setNote(e.target.value);
            if (e.target.value.trim() !== '') setNoteError(false);
          }}
        />
        <span id={`${noteId}-hint`} className="muted">{t.reviewNote.hint}</span>
        {noteError && <span id={`${noteId}-error`} className="error" role="alert">{t.reviewNote.required}</span>}
      </div>
      {!confirming && (
        <div className="actions" role="group" aria-label={t.review.setStatus}>
          <button type="button" className="verify" disabled={busy || report.status === 'verified'} onClick={() => void review('verified')}>{t.review.verify}</button>
          <button type="button" className="reject" disabled={busy || report.status === 'rejected'} onClick={askReject}>{t.review.reject}</button>
          <button type="button" disabled={busy || report.status === 'pending'} onClick={() => void review('pending')}>{t.review.reopen}</button>
        </div>
      )}
      {confirming && (
        <div className="confirm-reject" role="alertdialog" aria-labelledby={`${noteId}-confirm-title`} aria-describedby={`${noteId}-confirm-text`} onKeyDown={onConfirmKey}>
          <p id={`${noteId}-confirm-title`} className="confirm-title">{t.reviewNote.confirmTitle}</p>
          <p id={`${noteId}-confirm-text`}>
            {t.reviewNote.confirmText} <q className="user-text">{note.trim()}</q>
          </p>
          <div className="actions">
            <button type="button" className="reject" ref={confirmRef} disabled={busy} onClick={() => void review('rejected')}>{t.reviewNote.confirm}</button>
            <button type="button" disabled={busy} onClick={cancelReject}>{t.reviewNote.cancel}</button>
          </div>
        </div>
      )}
      {message && <p className="warning" role="alert">{message}</p>}
    </>
  );
}

import {
  ASSESSMENT_LABELS,
  ASSESSMENTS,
  CATEGORIES,
  CATEGORY_LABELS,
  CONFIDENCE_LABELS,
  CONFIDENCES,
  COUNT_UNIT_LABELS,
  COUNT_UNITS,
  METHOD_LABELS,
  METHODS,
  WEAPON_LABELS,
  WEAPONS,
  type Assessment,
  type Confidence,
  type CountUnit,
  type Weapon,
} from '@truceline/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { t } from '../i18n';
import { useOutbox } from '../outbox/outbox-store';
import { useSession } from '../session/session-store';
import { useUi } from '../store/ui-store';
import { CategoryIcon } from './CategoryIcon';
import { draftHasContent } from './draft-fields';
import { useDraft } from './draft-store';
import { FieldErrorList, invalidProps } from './FieldErrorList';
import { PositionPicker } from './PositionPicker';
import { SendStatus } from './SendStatus';
import type { FieldErrors, FieldKey } from './validate-draft';

function nowLocalInput(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The fields in the order the form shows them, so the error summary reads top to bottom. */
const FIELD_ORDER: readonly FieldKey[] = ['category', 'position', 'bearing', 'distance', 'observedAt', 'observedUntil', 'method', 'count', 'assessment', 'weapon', 'confidence', 'casualties', 'description', 'form'];

function errorSummary(errors: FieldErrors): string {
  const names = FIELD_ORDER.filter((k) => (errors[k]?.length ?? 0) > 0).map((k) => t.afterSend.fieldNames[k]);
  return names.length > 0 ? t.afterSend.errorSummary(names) : '';
}

/**
 * Takes the monitor to the first field marked invalid, in page order: focused, and scrolled to
 * the middle of the panel so the sticky Send bar does not cover it. A radio group is marked as a
 * whole; its chosen (or first) option takes the focus.
 */
function focusFirstInvalid(form: HTMLFormElement): void {
  const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!invalid) return;
  const details = invalid.closest('details');
  if (details) details.open = true;
  const target = invalid.matches('input, select, textarea')
    ? invalid
    : (invalid.querySelector<HTMLElement>('input:checked') ?? invalid.querySelector<HTMLElement>('input, select, textarea'));
  (target ?? invalid).focus({ preventScroll: true });
  invalid.scrollIntoView({ block: 'center' });
}

/**
 * The report form while it is being filled in; after Save and send, what became of the report
 * (following its outbox state) with "New report" and "Close", instead of an emptied form.
 */
export function ReportForm() {
  const savedId = useDraft((s) => s.savedId);
  const statusRef = useRef<HTMLDivElement>(null);
  const refused = useOutbox((s) => savedId !== undefined && s.items[savedId]?.state === 'failed' && s.items[savedId]?.retryAt === undefined);

  // Leaving the panel closes the sent view: the form opens empty next time.
  useEffect(() => () => useDraft.getState().startNew(), []);

  const close = (): void => {
    useDraft.getState().startNew();
    useUi.setState({ panel: 'feed', mobileView: 'map' });
  };

  return (
    <div className="report">
      <SendStatus ref={statusRef} id={savedId} />
      {savedId === undefined ? (
        <ReportFields
          onSaved={() => {
            // The form is gone; the message takes its place at the top of the panel, and the focus.
            requestAnimationFrame(() => {
              statusRef.current?.focus({ preventScroll: true });
              statusRef.current?.scrollIntoView({ block: 'nearest' });
            });
          }}
        />
      ) : (
        <div className="after-send">
          <button type="button" className="primary" onClick={() => useDraft.getState().startNew()}>{t.afterSend.newReport}</button>
          {refused && <button type="button" onClick={() => useUi.getState().openPanel('outbox')}>{t.afterSend.openOutbox}</button>}
          <button type="button" onClick={close}>{t.afterSend.close}</button>
        </div>
      )}
    </div>
  );
}

function ReportFields({ onSaved }: { onSaved(): void }) {
  const fields = useDraft((s) => s.fields);
  const errors = useDraft((s) => s.errors);
  const change = useDraft((s) => s.change);
  const user = useSession((s) => s.user);
  const [busy, setBusy] = useState(false);
  // Counts failed sends: each one is announced, and takes the monitor to the first mistake.
  const [failedSends, setFailedSends] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const summary = failedSends > 0 ? errorSummary(errors) : '';

  useEffect(() => {
    if (failedSends > 0 && formRef.current) focusFirstInvalid(formRef.current);
  }, [failedSends]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!user) return;
    setBusy(true);
    let saved = false;
    try {
      saved = await useDraft.getState().submit(user);
    } finally {
      setBusy(false);
    }
    if (saved) onSaved();
    else setFailedSends((n) => n + 1);
  };

  const discard = (): void => {
    if (draftHasContent(fields) && !window.confirm(t.afterSend.discardConfirm)) return;
    useDraft.getState().reset();
    useUi.getState().openPanel('feed');
  };

  return (
    <form ref={formRef} className="report-form" onSubmit={(e) => void submit(e)} aria-labelledby="report-form-title" noValidate>
      <h2 id="report-form-title">{t.form.title}</h2>

      <fieldset>
        <legend>{t.form.category}</legend>
        <div className="category-grid" role="radiogroup" aria-label={t.form.category} {...invalidProps('category', errors.category)}>
          {CATEGORIES.map((c) => (
            <label key={c} className={fields.category === c ? 'on' : ''}>
              <input type="radio" name="category" value={c} checked={fields.category === c} onChange={() => change({ category: c })} />
              <CategoryIcon category={c} size={28} />
              <span>{CATEGORY_LABELS[c]}</span>
            </label>
          ))}
        </div>
        <FieldErrorList messages={errors.category} field="category" />
      </fieldset>

      <PositionPicker />

      <fieldset>
        <legend>{t.form.time}</legend>
        <div className="row">
          <label className="check">
            <input type="checkbox" checked={fields.timeMode === 'now'} onChange={(e) => change(e.target.checked ? { timeMode: 'now' } : { timeMode: 'set', observedAt: fields.observedAt || nowLocalInput() })} />
            {t.form.now}
          </label>
          {fields.timeMode === 'set' && (
            <label>
              {t.form.observedAt}
              <input type="datetime-local" name="observedAt" value={fields.observedAt} onChange={(e) => change({ observedAt: e.target.value })} {...invalidProps('observedAt', errors.observedAt)} />
            </label>
          )}
        </div>
        <FieldErrorList messages={errors.observedAt} field="observedAt" />
        {fields.hasWindowEnd ? (
          <div className="row">
            <label>
              {t.form.observedUntil}
              <input type="datetime-local" name="observedUntil" value={fields.observedUntil} onChange={(e) => change({ observedUntil: e.target.value })} {...invalidProps('observedUntil', errors.observedUntil)} />
            </label>
            <button type="button" className="link" onClick={() => change({ hasWindowEnd: false, observedUntil: '' })}>{t.form.removeWindowEnd}</button>
          </div>
        ) : (
          <button type="button" className="link" onClick={() => change({ hasWindowEnd: true, observedUntil: nowLocalInput() })}>{t.form.addWindowEnd}</button>
        )}
        <FieldErrorList messages={errors.observedUntil} field="observedUntil" />
      </fieldset>

      <fieldset>
        <legend>{t.form.method}</legend>
        <div className="chips" role="radiogroup" aria-label={t.form.method} {...invalidProps('method', errors.method)}>
          {METHODS.map((m) => (
            <label key={m} className={fields.method === m ? 'on' : ''}>
              <input type="radio" name="method" value={m} checked={fields.method === m} onChange={() => change({ method: m })} />
              {METHOD_LABELS[m]}
            </label>
          ))}
        </div>
        <FieldErrorList messages={errors.method} field="method" />
      </fieldset>

      <fieldset>
        <legend>{t.form.count}</legend>
        <div className="row">
          <input name="count" inputMode="numeric" aria-label={t.form.count} value={fields.count} onChange={(e) => change({ count: e.target.value })} {...invalidProps('count', errors.count)} />
          <select name="countUnit" aria-label={t.form.countUnit} value={fields.countUnit} onChange={(e) => change({ countUnit: e.target.value as CountUnit })}>
            {COUNT_UNITS.map((u) => <option key={u} value={u}>{COUNT_UNIT_LABELS[u]}</option>)}
          </select>
          <label className="check">
            <input type="checkbox" name="countApprox" checked={fields.countApprox} onChange={(e) => change({ countApprox: e.target.checked })} />
            {t.form.countApprox}
          </label>
        </div>
        <FieldErrorList messages={errors.count} field="count" />
      </fieldset>

      <details className="more">
        <summary>{t.form.more}</summary>
        <div className="row">
          <label>
            {t.form.assessment}
            <select name="assessment" {...invalidProps('assessment', errors.assessment)} value={fields.assessment ?? ''} onChange={(e) => change({ assessment: (e.target.value || undefined) as Assessment | undefined })}>
              <option value="">{t.form.none}</option>
              {ASSESSMENTS.map((a) => <option key={a} value={a}>{ASSESSMENT_LABELS[a]}</option>)}
            </select>
          </label>
          <label>
            {t.form.weapon}
            <select name="weapon" {...invalidProps('weapon', errors.weapon)} value={fields.weapon ?? ''} onChange={(e) => change({ weapon: (e.target.value || undefined) as Weapon | undefined })}>
              <option value="">{t.form.none}</option>
              {WEAPONS.map((w) => <option key={w} value={w}>{WEAPON_LABELS[w]}</option>)}
            </select>
          </label>
          <label>
            {t.form.confidence}
            <select name="confidence" {...invalidProps('confidence', errors.confidence)} value={fields.confidence} onChange={(e) => change({ confidence: e.target.value as Confidence })}>
              {CONFIDENCES.map((c) => <option key={c} value={c}>{CONFIDENCE_LABELS[c]}</option>)}
            </select>
          </label>
        </div>
        <FieldErrorList messages={errors.assessment} field="assessment" />
        <FieldErrorList messages={errors.weapon} field="weapon" />
        <FieldErrorList messages={errors.confidence} field="confidence" />
        <fieldset>
          <legend>{t.form.casualties}</legend>
          <label className="check">
            <input type="checkbox" name="casualtiesKnown" checked={fields.casualtiesKnown} onChange={(e) => change({ casualtiesKnown: e.target.checked })} />
            {t.form.casualtiesKnown}
          </label>
          {fields.casualtiesKnown && (
            <div className="row">
              <label>{t.form.killed}<input name="killed" inputMode="numeric" {...invalidProps('casualties', errors.casualties)} value={fields.killed} onChange={(e) => change({ killed: e.target.value })} /></label>
              <label>{t.form.injured}<input name="injured" inputMode="numeric" {...invalidProps('casualties', errors.casualties)} value={fields.injured} onChange={(e) => change({ injured: e.target.value })} /></label>
            </div>
          )}
          <FieldErrorList messages={errors.casualties} field="casualties" />
        </fieldset>
      </details>

      <label>
        {t.form.description}
        <textarea name="description" rows={3} placeholder={t.form.descriptionHint} value={fields.description} onChange={(e) => change({ description: e.target.value })} {...invalidProps('description', errors.description)} />
      </label>
      <FieldErrorList messages={errors.description} field="description" />
      <FieldErrorList messages={errors.form} field="form" />

      <div className="actions sticky">
        {/* Keyed by attempt: a second failed send with the same mistakes is announced again. */}
        <p key={failedSends} className="error error-summary" role="alert" data-testid="error-summary">{summary}</p>
        <button type="button" className="discard" onClick={discard}>{t.afterSend.discard}</button>
        <button type="submit" className="primary" disabled={busy}>{t.form.submit}</button>
      </div>
    </form>
  );
}

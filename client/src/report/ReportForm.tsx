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
import { useState, type FormEvent } from 'react';
import { t } from '../i18n';
import { useSession } from '../session/session-store';
import { useUi } from '../store/ui-store';
import { CategoryIcon } from './CategoryIcon';
import { useDraft } from './draft-store';
import { FieldErrorList } from './FieldErrorList';
import { PositionPicker } from './PositionPicker';

function nowLocalInput(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The report form: big touch targets first (what, where, how), the rest folded below. */
export function ReportForm() {
  const fields = useDraft((s) => s.fields);
  const errors = useDraft((s) => s.errors);
  const savedId = useDraft((s) => s.savedId);
  const change = useDraft((s) => s.change);
  const user = useSession((s) => s.user);
  const [busy, setBusy] = useState(false);
  const hasErrors = Object.keys(errors).length > 0;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!user) return;
    setBusy(true);
    try {
      await useDraft.getState().submit(user);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="report-form" onSubmit={(e) => void submit(e)} aria-labelledby="report-form-title" noValidate>
      <h2 id="report-form-title">{t.form.title}</h2>

      <fieldset>
        <legend>{t.form.category}</legend>
        <div className="category-grid" role="radiogroup" aria-label={t.form.category}>
          {CATEGORIES.map((c) => (
            <label key={c} className={fields.category === c ? 'on' : ''}>
              <input type="radio" name="category" value={c} checked={fields.category === c} onChange={() => change({ category: c })} />
              <CategoryIcon category={c} size={28} />
              <span>{CATEGORY_LABELS[c]}</span>
            </label>
          ))}
        </div>
        <FieldErrorList messages={errors.category} />
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
              <input type="datetime-local" name="observedAt" value={fields.observedAt} onChange={(e) => change({ observedAt: e.target.value })} />
            </label>
          )}
        </div>
        <FieldErrorList messages={errors.observedAt} />
        {fields.hasWindowEnd ? (
          <div className="row">
            <label>
              {t.form.observedUntil}
              <input type="datetime-local" name="observedUntil" value={fields.observedUntil} onChange={(e) => change({ observedUntil: e.target.value })} />
            </label>
            <button type="button" className="link" onClick={() => change({ hasWindowEnd: false, observedUntil: '' })}>{t.form.removeWindowEnd}</button>
          </div>
        ) : (
          <button type="button" className="link" onClick={() => change({ hasWindowEnd: true, observedUntil: nowLocalInput() })}>{t.form.addWindowEnd}</button>
        )}
        <FieldErrorList messages={errors.observedUntil} />
      </fieldset>

      <fieldset>
        <legend>{t.form.method}</legend>
        <div className="chips" role="radiogroup" aria-label={t.form.method}>
          {METHODS.map((m) => (
            <label key={m} className={fields.method === m ? 'on' : ''}>
              <input type="radio" name="method" value={m} checked={fields.method === m} onChange={() => change({ method: m })} />
              {METHOD_LABELS[m]}
            </label>
          ))}
        </div>
        <FieldErrorList messages={errors.method} />
      </fieldset>

      <fieldset>
        <legend>{t.form.count}</legend>
        <div className="row">
          <input name="count" inputMode="numeric" aria-label={t.form.count} value={fields.count} onChange={(e) => change({ count: e.target.value })} />
          <select name="countUnit" aria-label={t.form.countUnit} value={fields.countUnit} onChange={(e) => change({ countUnit: e.target.value as CountUnit })}>
            {COUNT_UNITS.map((u) => <option key={u} value={u}>{COUNT_UNIT_LABELS[u]}</option>)}
          </select>
          <label className="check">
            <input type="checkbox" name="countApprox" checked={fields.countApprox} onChange={(e) => change({ countApprox: e.target.checked })} />
            {t.form.countApprox}
          </label>
        </div>
        <FieldErrorList messages={errors.count} />
      </fieldset>

      <details className="more">
        <summary>{t.form.more}</summary>
        <div className="row">
          <label>
            {t.form.assessment}
            <select name="assessment" value={fields.assessment ?? ''} onChange={(e) => change({ assessment: (e.target.value || undefined) as Assessment | undefined })}>
              <option value="">{t.form.none}</option>
              {ASSESSMENTS.map((a) => <option key={a} value={a}>{ASSESSMENT_LABELS[a]}</option>)}
            </select>
          </label>
          <label>
            {t.form.weapon}
            <select name="weapon" value={fields.weapon ?? ''} onChange={(e) => change({ weapon: (e.target.value || undefined) as Weapon | undefined })}>
              <option value="">{t.form.none}</option>
              {WEAPONS.map((w) => <option key={w} value={w}>{WEAPON_LABELS[w]}</option>)}
            </select>
          </label>
          <label>
            {t.form.confidence}
            <select name="confidence" value={fields.confidence} onChange={(e) => change({ confidence: e.target.value as Confidence })}>
              {CONFIDENCES.map((c) => <option key={c} value={c}>{CONFIDENCE_LABELS[c]}</option>)}
            </select>
          </label>
        </div>
        <FieldErrorList messages={[...(errors.assessment ?? []), ...(errors.weapon ?? []), ...(errors.confidence ?? [])]} />
        <fieldset>
          <legend>{t.form.casualties}</legend>
          <label className="check">
            <input type="checkbox" name="casualtiesKnown" checked={fields.casualtiesKnown} onChange={(e) => change({ casualtiesKnown: e.target.checked })} />
            {t.form.casualtiesKnown}
          </label>
          {fields.casualtiesKnown && (
            <div className="row">
              <label>{t.form.killed}<input name="killed" inputMode="numeric" value={fields.killed} onChange={(e) => change({ killed: e.target.value })} /></label>
              <label>{t.form.injured}<input name="injured" inputMode="numeric" value={fields.injured} onChange={(e) => change({ injured: e.target.value })} /></label>
            </div>
          )}
          <FieldErrorList messages={errors.casualties} />
        </fieldset>
      </details>

      <label>
        {t.form.description}
        <textarea name="description" rows={3} placeholder={t.form.descriptionHint} value={fields.description} onChange={(e) => change({ description: e.target.value })} />
      </label>
      <FieldErrorList messages={errors.description} />
      <FieldErrorList messages={errors.form} />

      {hasErrors && <p className="error" role="alert">{t.form.fixErrors}</p>}
      {savedId && <p className="success" role="status" data-testid="saved-notice">{t.form.saved}</p>}
      <div className="actions sticky">
        <button type="button" onClick={() => useUi.getState().openPanel('feed')}>{t.form.cancel}</button>
        <button type="submit" className="primary" disabled={busy}>{t.form.submit}</button>
      </div>
    </form>
  );
}

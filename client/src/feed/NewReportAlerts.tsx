import { t } from '../i18n';
import { notificationsSupported, useAlertPrefs } from './new-report-alerts';

/** The person's choice of a sound and a browser notification for new reports; both off until chosen. */
export function NewReportAlerts() {
  const sound = useAlertPrefs((s) => s.sound);
  const notify = useAlertPrefs((s) => s.notify);
  const refused = useAlertPrefs((s) => s.notifyRefused);
  return (
    <fieldset className="new-report-alerts">
      <legend>{t.unseen.alertsTitle}</legend>
      <label>
        <input type="checkbox" checked={sound} onChange={(e) => useAlertPrefs.getState().setSound(e.target.checked)} />
        {t.unseen.sound}
      </label>
      {notificationsSupported() && (
        <label>
          <input type="checkbox" checked={notify} onChange={(e) => void useAlertPrefs.getState().setNotify(e.target.checked)} />
          {t.unseen.notify}
        </label>
      )}
      {refused && <p className="muted" role="status">{t.unseen.notifyRefused}</p>}
    </fieldset>
  );
}

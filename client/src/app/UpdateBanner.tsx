import { t } from '../i18n';
import { useUpdate } from './update-store';

/** Offers a new version of the app; never reloads by itself while a report may be half typed. */
export function UpdateBanner() {
  const apply = useUpdate((s) => s.apply);
  if (!apply) return null;
  return (
    <p className="banner info" role="status">
      {t.app.updateReady}{' '}
      <button type="button" className="link" onClick={apply}>{t.app.updateNow}</button>
    </p>
  );
}

import { UnseenBadge } from '../feed/UnseenBadge';
import { t } from '../i18n';
import { openNewReport } from '../report/open-new-report';
import { useUi } from '../store/ui-store';

/** On a phone: switch between the map and the panel with one thumb. Hidden on wide screens. */
export function MobileNav() {
  const mobileView = useUi((s) => s.mobileView);
  const panel = useUi((s) => s.panel);
  return (
    <nav className="mobile-nav" aria-label={t.app.name}>
      <button type="button" aria-current={mobileView === 'map'} onClick={() => useUi.getState().showMobile('map')}>{t.app.tabs.map}</button>
      <button type="button" aria-current={mobileView === 'panel' && panel === 'feed'} onClick={() => useUi.getState().openPanel('feed')}>{t.app.tabs.feed}<UnseenBadge /></button>
      <button type="button" aria-current={mobileView === 'panel' && panel === 'outbox'} onClick={() => useUi.getState().openPanel('outbox')}>{t.app.tabs.outbox}</button>
      <button type="button" className="primary" aria-current={mobileView === 'panel' && panel === 'form'} onClick={openNewReport}>{t.app.newReport}</button>
    </nav>
  );
}

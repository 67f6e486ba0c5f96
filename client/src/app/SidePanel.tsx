import { Suspense, lazy } from 'react';
import { ExportButton } from '../feed/ExportButton';
import { Feed } from '../feed/Feed';
import { FiltersPanel } from '../feed/FiltersPanel';
import { PresenceList } from '../feed/PresenceList';
import { UnseenBadge } from '../feed/UnseenBadge';
import { t } from '../i18n';
import { OutboxList } from '../outbox/OutboxList';
import { openNewReport } from '../report/open-new-report';
import { ReportForm } from '../report/ReportForm';
import { ReportDetail } from '../review/ReportDetail';
import { useSession } from '../session/session-store';
import { useUi, type Panel } from '../store/ui-store';

// Its own chunk: chart.js is only fetched by coordinators who open the summary.
const SummaryPanel = lazy(() => import('../summary/SummaryPanel').then((m) => ({ default: m.SummaryPanel })));

const TABS: { panel: Panel; label: string }[] = [
  { panel: 'feed', label: t.app.tabs.feed },
  { panel: 'outbox', label: t.app.tabs.outbox },
];

/** The panel beside the map: feed, report form, outbox, summary (coordinators and admins), or one report's detail. */
export function SidePanel() {
  const panel = useUi((s) => s.panel);
  const selectedId = useUi((s) => s.selectedId);
  const role = useSession((s) => s.user?.role);
  const privileged = role === 'coordinator' || role === 'admin';
  return (
    // Not an <aside>: it sits inside <main> and is the content the skip link leads to.
    <div className="panel" id="panel" tabIndex={-1}>
      <nav className="tabs" aria-label={t.app.name}>
        {TABS.map((tab) => (
          <button key={tab.panel} type="button" aria-current={panel === tab.panel} onClick={() => useUi.getState().openPanel(tab.panel)}>
            {tab.label}
            {tab.panel === 'feed' && <UnseenBadge />}
          </button>
        ))}
        {privileged && (
          <button type="button" aria-current={panel === 'summary'} onClick={() => useUi.getState().openPanel('summary')}>
            {t.app.tabs.summary}
          </button>
        )}
        <button type="button" className="primary" aria-current={panel === 'form'} onClick={openNewReport}>
          {t.app.newReport}
        </button>
      </nav>
      <div className="panel-body">
        {panel === 'form' && <ReportForm />}
        {panel === 'outbox' && <OutboxList />}
        {panel === 'summary' && privileged && (
          <Suspense fallback={<p className="muted">{t.summary.loading}</p>}>
            <SummaryPanel />
          </Suspense>
        )}
        {panel === 'detail' && selectedId && <ReportDetail id={selectedId} />}
        {(panel === 'feed' || (panel === 'detail' && !selectedId)) && (
          <>
            <div className="toolbar">
              <FiltersPanel />
              {privileged && <PresenceList />}
              {privileged && <ExportButton />}
            </div>
            <Feed />
          </>
        )}
      </div>
    </div>
  );
}

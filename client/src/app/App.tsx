import { useEffect } from 'react';
import { ClockSkewWarning } from '../connection/ConnectionStatus';
import { useSession } from '../session/session-store';
import { SignIn } from '../session/SignIn';
import { useSessionRuntime } from '../session/use-session-runtime';
import { useUi } from '../store/ui-store';
import { t } from '../i18n';
import { Header } from './Header';
import { SidePanel } from './SidePanel';
import { MapView } from '../map/MapView';
import { MobileNav } from './MobileNav';
import { UpdateBanner } from './UpdateBanner';

/** The whole app: sign-in, or the map with its side panel (a sheet over the map on a phone). */
export function App() {
  useSessionRuntime();
  const status = useSession((s) => s.status);
  const theme = useUi((s) => s.theme);
  const panel = useUi((s) => s.panel);
  const mobileView = useUi((s) => s.mobileView);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Escape closes a report's detail, wherever the focus is.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && useUi.getState().selectedId) useUi.getState().select(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (status !== 'signed-in') return <SignIn />;
  return (
    <div className="app" data-panel={panel} data-mobile-view={mobileView}>
      <a href="#main" className="skip">{t.app.skipToMain}</a>
      <Header />
      <ClockSkewWarning />
      <UpdateBanner />
      <div className="workspace">
        <MapView />
        <SidePanel />
      </div>
      <MobileNav />
    </div>
  );
}

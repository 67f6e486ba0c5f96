import { Suspense, lazy, useEffect } from 'react';
import { ClockSkewWarning } from '../connection/ConnectionStatus';
import { useSession } from '../session/session-store';
import { SignIn } from '../session/SignIn';
import { useSessionRuntime } from '../session/use-session-runtime';
import { useUi } from '../store/ui-store';
import { t } from '../i18n';
import { Header } from './Header';
import { SidePanel } from './SidePanel';
import { MobileNav } from './MobileNav';
import { UpdateBanner } from './UpdateBanner';

// MapLibre (a third of the app's JavaScript) is fetched once someone has signed in, not with the
// sign-in page: on a weak link that page is what a monitor waits for.
const MapView = lazy(() => import('../map/MapView').then((m) => ({ default: m.MapView })));

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
      <a href="#panel" className="skip">{t.app.skipToMain}</a>
      <Header />
      <ClockSkewWarning />
      <UpdateBanner />
      {/* The grid itself is the landmark: wrapping it would change the cells the map and panel get. */}
      <main className="workspace">
        <h1 className="visually-hidden">{t.app.heading}</h1>
        <Suspense fallback={<MapPlaceholder />}>
          <MapView />
        </Suspense>
        <SidePanel />
      </main>
      <MobileNav />
    </div>
  );
}

/** The map's cell while its chunk loads: same class, so it takes the same place in every layout. */
function MapPlaceholder() {
  return (
    <div className="map-wrap map-loading" role="status">
      <p className="visually-hidden">{t.app.mapLoading}</p>
    </div>
  );
}

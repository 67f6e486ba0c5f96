import { Suspense, lazy } from 'react';
import { ClockSkewWarning } from '../connection/ConnectionStatus';
import { t } from '../i18n';
import { useSessionRuntime } from '../session/use-session-runtime';
import { useUi } from '../store/ui-store';
import { ChunkBoundary } from './ChunkBoundary';
import { Header } from './Header';
import { MobileNav } from './MobileNav';
import { SidePanel } from './SidePanel';
import { UpdateBanner } from './UpdateBanner';

// MapLibre (a third of the app's JavaScript) in a chunk of its own, asked for as this screen
// first renders; the panel is usable while it arrives.
const MapView = lazy(() => import('../map/MapView').then((m) => ({ default: m.MapView })));

/** The signed-in app: the map with its side panel (a sheet over the map on a phone), and the live session behind them. */
export function SignedInApp() {
  useSessionRuntime();
  const panel = useUi((s) => s.panel);
  const mobileView = useUi((s) => s.mobileView);
  return (
    <div className="app" data-panel={panel} data-mobile-view={mobileView}>
      <a href="#panel" className="skip">{t.app.skipToMain}</a>
      <Header />
      <ClockSkewWarning />
      <UpdateBanner />
      {/* The grid itself is the landmark: wrapping it would change the cells the map and panel get. */}
      <main className="workspace">
        <h1 className="visually-hidden">{t.app.heading}</h1>
        <ChunkBoundary className="map-wrap map-loading">
          <Suspense fallback={<MapPlaceholder />}>
            <MapView />
          </Suspense>
        </ChunkBoundary>
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

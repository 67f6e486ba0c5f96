import { useEffect, useRef, useState } from 'react';
import 'maplibre-gl/dist/maplibre-gl.css';
import { t } from '../i18n';
import { useBasemapConfig } from './basemap/use-basemap-config';
import { MapController } from './map-controller';
import { MapLegend } from './MapLegend';
import { grantedDevicePosition, savedView } from './opening-view';
import { PlaceSearch } from './PlaceSearch';
import { PlacementCrosshair } from './PlacementCrosshair';

declare global {
  interface Window {
    /** The live map, for the browser tests (they read what is drawn) and for debugging. */
    trucelineMap?: MapController['map'];
  }
}

/**
 * The map: a container for MapLibre, driven by `MapController` from the stores. It opens where
 * the device stands when the site may read its position, else on the view this device last
 * showed, else on the mission's default view (`MAP_DEFAULT_VIEW`).
 */
export function MapView() {
  const container = useRef<HTMLDivElement>(null);
  const config = useBasemapConfig();
  const [basemapFailed, setBasemapFailed] = useState(false);
  const [locateMessage, setLocateMessage] = useState<string | undefined>();
  const [map, setMap] = useState<MapController['map'] | undefined>();

  useEffect(() => {
    if (!container.current || config === 'loading') return;
    const controller = new MapController({
      container: container.current,
      styleUrl: config.styleUrl,
      view: savedView() ?? config.defaultView,
      onBasemapError: () => setBasemapFailed(true),
      onLocateMessage: setLocateMessage,
    });
    let disposed = false;
    // Opened at once on the saved or default view; the device's fix, when it comes, moves it.
    void grantedDevicePosition().then((position) => {
      if (position && !disposed) controller.showDevicePosition(position);
    });
    window.trucelineMap = controller.map;
    setMap(controller.map);
    return () => {
      disposed = true;
      delete window.trucelineMap;
      setMap(undefined);
      controller.dispose();
    };
  }, [config]);

  return (
    <div className="map-wrap">
      <div ref={container} className="map" role="region" aria-label={t.map.label} />
      <PlaceSearch />
      <MapLegend />
      {map && <PlacementCrosshair map={map} />}
      {basemapFailed && <p className="map-banner" role="status">{t.map.basemapFailed}</p>}
      {locateMessage && <p className="map-banner locate-message" role="alert">{locateMessage}</p>}
    </div>
  );
}

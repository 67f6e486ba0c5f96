import { useEffect, useRef, useState } from 'react';
import 'maplibre-gl/dist/maplibre-gl.css';
import { t } from '../i18n';
import { useBasemapConfig } from './basemap/use-basemap-config';
import { MapController } from './map-controller';
import { MapLegend } from './MapLegend';
import { PlaceSearch } from './PlaceSearch';

declare global {
  interface Window {
    /** The live map, for the browser tests (they read what is drawn) and for debugging. */
    trucelineMap?: MapController['map'];
  }
}

/** The map: a container for MapLibre, driven by `MapController` from the stores. */
export function MapView() {
  const container = useRef<HTMLDivElement>(null);
  const config = useBasemapConfig();
  const [basemapFailed, setBasemapFailed] = useState(false);

  useEffect(() => {
    if (!container.current || config === 'loading') return;
    const controller = new MapController({
      container: container.current,
      styleUrl: config.styleUrl,
      onBasemapError: () => setBasemapFailed(true),
    });
    window.trucelineMap = controller.map;
    return () => {
      delete window.trucelineMap;
      controller.dispose();
    };
  }, [config]);

  return (
    <div className="map-wrap">
      <div ref={container} className="map" role="region" aria-label={t.map.label} />
      <PlaceSearch />
      <MapLegend />
      {basemapFailed && <p className="map-banner" role="status">{t.map.basemapFailed}</p>}
    </div>
  );
}

import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import { t } from '../i18n';
import { useDraft } from '../report/draft-store';
import { useUi } from '../store/ui-store';
import { isCoarse, placementRadiusM } from './placement';

/** Follows the map's centre latitude and zoom, the two things a placed position's radius depends on. */
function useRadiusAtCentre(map: MapLibreMap): number {
  const radiusNow = (): number => placementRadiusM({ lat: map.getCenter().lat, zoom: map.getZoom() });
  const [radius, setRadius] = useState(radiusNow);
  useEffect(() => {
    const onMove = (): void => setRadius(placementRadiusM({ lat: map.getCenter().lat, zoom: map.getZoom() }));
    map.on('move', onMove);
    onMove();
    return () => {
      map.off('move', onMove);
    };
  }, [map]);
  return radius;
}

/**
 * The field tools' way of placing a point: a crosshair fixed at the map's centre, the map moved
 * and zoomed under it, then "Use this position". Shown while the form places the event or the
 * observer on the map; taps on the map place nothing (see `MapController`).
 */
export function PlacementCrosshair({ map }: { map: MapLibreMap }) {
  const open = useUi((s) => s.panel === 'form');
  const picking = useDraft((s) => (s.savedId === undefined ? s.picking() : undefined));
  if (!open || !picking) return null;
  return <Crosshair map={map} />;
}

function Crosshair({ map }: { map: MapLibreMap }) {
  const radius = useRadiusAtCentre(map);
  const use = (): void => {
    const c = map.getCenter();
    useDraft.getState().placed({ lon: c.lng, lat: c.lat, accuracyM: placementRadiusM({ lat: c.lat, zoom: map.getZoom() }) });
  };
  return (
    <>
      <svg className="crosshair" data-testid="crosshair" viewBox="0 0 48 48" width="48" height="48" aria-hidden="true" focusable="false">
        <path d="M24 2v16M24 30v16M2 24h16M30 24h16" />
        <circle cx="24" cy="24" r="2" />
      </svg>
      {/* The radius inside the button: the map is a strip on a phone, and one control above the
          crosshair stays clear of the search, the zoom buttons, the legend and the attribution. */}
      <button type="button" className="primary placement-bar" onClick={use}>
        {t.position.useCentre}
        <span className={isCoarse(radius) ? 'placement-radius coarse' : 'placement-radius'} data-testid="crosshair-radius">
          {t.position.radius(radius)}
        </span>
      </button>
    </>
  );
}

import type { Feature, FeatureCollection } from 'geojson';
import type { DraftFields } from '../../report/draft-fields';
import { directLocation, draftSector, draftWedge, observerOf } from '../../report/draft-geometry';
import { unwrapPolygon } from './unwrap-polygon';

/** What the report being written looks like on the map: its point, or the observer and the wedge. */
export function draftFeatures(fields: DraftFields, open: boolean, now: Date): FeatureCollection {
  const features: Feature[] = [];
  if (open) {
    if (fields.positionMode === 'bearing') {
      const observer = observerOf(fields);
      const sector = draftSector(fields, now);
      if (sector) features.push({ type: 'Feature', properties: { role: 'wedge' }, geometry: unwrapPolygon(draftWedge(sector), sector.observer.lon) });
      if (observer) features.push({ type: 'Feature', properties: { role: 'observer' }, geometry: { type: 'Point', coordinates: [observer.lon, observer.lat] } });
    } else {
      const location = directLocation(fields);
      if (location) features.push({ type: 'Feature', properties: { role: 'location' }, geometry: { type: 'Point', coordinates: [location.lon, location.lat] } });
    }
  }
  return { type: 'FeatureCollection', features };
}

import type { IncidentState } from '@truceline/shared';
import type { FeatureCollection, Point } from 'geojson';

export function incidentPoints(incidents: readonly IncidentState[]): FeatureCollection<Point, { id: string; reportCount: number }> {
  return {
    type: 'FeatureCollection',
    features: incidents.map((i) => ({
      type: 'Feature',
      properties: { id: i.id, reportCount: i.reportCount },
      geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
    })),
  };
}

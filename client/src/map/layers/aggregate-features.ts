import type { Area, Category, IncidentState, Report } from '@truceline/shared';
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

/** One point per area cell, at its centre, carrying its count: where the cell's number is written. */
export function areaLabelPoints(areas: readonly Area[]): FeatureCollection<Point, { id: string; count: number }> {
  return {
    type: 'FeatureCollection',
    features: areas.map((a) => ({
      type: 'Feature',
      properties: { id: a.id, count: a.count },
      geometry: { type: 'Point', coordinates: [a.center.lon, a.center.lat] },
    })),
  };
}

/**
 * The incidents behind the reports the filters show, as `GET /api/incidents` with the same
 * filters answers: an incident appears when one of its reports matches.
 */
export function incidentsOf(visible: readonly Report[], incidents: Readonly<Record<string, IncidentState>>): IncidentState[] {
  const ids = new Set(visible.map((r) => r.incidentId).filter((id): id is string => id !== null));
  return [...ids].map((id) => incidents[id]).filter((i): i is IncidentState => i !== undefined && i.reportCount > 0);
}

/**
 * Area cells counted over the reports the filters show (rejected ones never count), as
 * `GET /api/areas` with the same filters answers; so the shading agrees with the feed.
 */
export function areasOf(visible: readonly Report[], known: Readonly<Record<string, Area>>): Area[] {
  const byId = new Map<string, Area>();
  for (const r of visible) {
    if (r.status === 'rejected') continue;
    const area = byId.get(r.areaId) ?? {
      id: r.areaId,
      seq: 0,
      // The cell's centre as the server computed it; before its first area event, the report's place.
      center: known[r.areaId]?.center ?? { lon: r.location.lon, lat: r.location.lat },
      count: 0,
      byCategory: {},
      lastObservedAt: r.observedAt,
    };
    area.count++;
    area.byCategory[r.category as Category] = (area.byCategory[r.category] ?? 0) + 1;
    area.seq = Math.max(area.seq, r.seq);
    if (r.observedAt > area.lastObservedAt) area.lastObservedAt = r.observedAt;
    byId.set(r.areaId, area);
  }
  return [...byId.values()];
}

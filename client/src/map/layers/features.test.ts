import { describe, expect, it } from 'vitest';
import { type IncidentState, sectorPolygon } from '@truceline/shared';
import type { Polygon } from 'geojson';
import { EMPTY_DRAFT, type DraftFields } from '../../report/draft-fields';
import { createReport } from '../../test/fixtures';
import { areasOf, incidentsOf } from './aggregate-features';
import { draftFeatures } from './draft-features';
import { reportPoints, reportWedge } from './report-features';

const NOW = new Date(Date.UTC(2026, 2, 1, 12));

describe('map features', () => {
  it('draws each report as a point with its category, status and highlight', () => {
    const fresh = createReport({ category: 'explosion' });
    const old = createReport({ status: 'verified' });
    const fc = reportPoints([fresh, old], { [fresh.id]: Date.now() });
    expect(fc.features.map((f) => f.properties)).toEqual([
      { id: fresh.id, category: 'explosion', status: 'pending', fresh: 1 },
      { id: old.id, category: 'shelling', status: 'verified' },
    ]);
    expect(fc.features[0]?.geometry.coordinates).toEqual([fresh.location.lon, fresh.location.lat]);
  });

  it('draws the wedge and the observer of a bearing report, and nothing for a direct one', () => {
    const bearing = createReport({
      locationMethod: 'bearing',
      observer: { lon: 37.7, lat: 48.1 },
      bearingTrue: { fromDeg: 30, toDeg: 50 },
      distanceM: { min: 3000, max: 5000 },
    });
    expect(reportWedge(bearing).map((f) => f.geometry.type)).toEqual(['Polygon', 'Point']);
    expect(reportWedge(createReport())).toEqual([]);
  });

  it.each([
    ['east from just west of it', { lon: 179.99, lat: -16.5 }, { fromDeg: 60, toDeg: 120 }],
    ['west from just east of it', { lon: -179.99, lat: -16.5 }, { fromDeg: 240, toDeg: 300 }],
    ['north from on it', { lon: 180, lat: 65 }, { fromDeg: 300, toDeg: 60 }],
  ])('draws a wedge across the antimeridian %s as one piece beside the observer, not a band around the world', (_name, observer, bearingTrue) => {
    const distanceM = { min: 1000, max: 5000 };
    const report = createReport({ locationMethod: 'bearing', observer, bearingTrue, distanceM });
    const [wedge] = reportWedge(report);
    const [ring = []] = (wedge?.geometry as Polygon).coordinates;
    const [valid = []] = sectorPolygon(observer, bearingTrue, distanceM).coordinates;
    expect(ring).toHaveLength(valid.length);
    ring.forEach(([lon = NaN, lat = NaN], i) => {
      // Within 5 km of the observer, so within a few tenths of a degree of its longitude…
      expect(Math.abs(lon - observer.lon)).toBeLessThan(0.5);
      // …and the same place as the stored-and-sent geometry, a whole turn away at most.
      const [validLon = NaN, validLat = NaN] = valid[i] ?? [];
      expect(Math.abs(((lon - validLon + 540) % 360) - 180)).toBeLessThan(1e-9);
      expect(lat).toBe(validLat);
    });
    // The shared geometry itself does cross: the drawing is what keeps it in one piece.
    expect(Math.max(...valid.map((p) => p[0] ?? 0)) - Math.min(...valid.map((p) => p[0] ?? 0))).toBeGreaterThan(359);
  });

  it('draws the live wedge across the antimeridian as one piece too', () => {
    const fields: DraftFields = {
      ...EMPTY_DRAFT,
      positionMode: 'bearing',
      observerSource: 'map',
      observerTapped: { lon: 179.99, lat: -16.5 },
      bearingFrom: '60',
      bearingTo: '120',
      distanceMin: '1000',
      distanceMax: '5000',
    };
    const wedge = draftFeatures(fields, true, NOW).features.find((f) => f.properties?.role === 'wedge');
    const [ring = []] = (wedge?.geometry as Polygon).coordinates;
    expect(ring.length).toBeGreaterThan(4);
    for (const [lon = NaN] of ring) expect(Math.abs(lon - 179.99)).toBeLessThan(0.5);
  });

  it('draws the report being written only while the form is open', () => {
    const fields: DraftFields = { ...EMPTY_DRAFT, positionMode: 'map', tapped: { lon: 37.7, lat: 48.1 } };
    expect(draftFeatures(fields, true, NOW).features).toHaveLength(1);
    expect(draftFeatures(fields, false, NOW).features).toHaveLength(0);
  });

  it('draws the live wedge once observer, bearing and distance are all given', () => {
    const partial: DraftFields = { ...EMPTY_DRAFT, positionMode: 'bearing', observerSource: 'map', observerTapped: { lon: 37.7, lat: 48.1 }, bearingFrom: '30' };
    expect(draftFeatures(partial, true, NOW).features.map((f) => f.properties?.role)).toEqual(['observer']);
    const complete = { ...partial, bearingTo: '50', distanceMin: '3000', distanceMax: '5000' };
    expect(draftFeatures(complete, true, NOW).features.map((f) => f.properties?.role)).toEqual(['wedge', 'observer']);
  });
});

describe('incidents and areas under the filters', () => {
  it('shows an incident when one of its visible reports belongs to it', () => {
    const a = createReport({ incidentId: 'inc-a' });
    const rejected = createReport({ incidentId: null, status: 'rejected' });
    const incident = (id: string, reportCount: number): IncidentState => ({
      id,
      seq: 1,
      location: { lon: 1, lat: 2 },
      uncertaintyM: 5,
      locationMethod: 'centroid',
      reportCount,
      monitorCount: 1,
      reportIds: [],
      categories: [],
      firstObservedAt: '',
      lastObservedAt: '',
    });
    const incidents = { 'inc-a': incident('inc-a', 2), 'inc-b': incident('inc-b', 1), 'inc-empty': incident('inc-empty', 0) };
    expect(incidentsOf([a, rejected], incidents).map((i) => i.id)).toEqual(['inc-a']);
    expect(incidentsOf([], incidents)).toEqual([]);
  });

  it('counts area cells over the visible reports only, never the rejected ones', () => {
    const one = createReport({ areaId: 'cell-1', category: 'shelling' });
    const two = createReport({ areaId: 'cell-1', category: 'explosion' });
    const three = createReport({ areaId: 'cell-2', category: 'shelling' });
    const rejected = createReport({ areaId: 'cell-2', status: 'rejected' });
    const areas = areasOf([one, two, three, rejected], {});
    expect(areas.map((a) => [a.id, a.count, a.byCategory])).toEqual([
      ['cell-1', 2, { shelling: 1, explosion: 1 }],
      ['cell-2', 1, { shelling: 1 }],
    ]);
  });
});

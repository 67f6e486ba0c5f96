import { describe, expect, it } from 'vitest';
import type { IncidentState, Report } from '@truceline/shared';
import type { LineString, Polygon } from 'geojson';
import { createReport } from '../../test/fixtures';
import { triangulationFeatures } from './triangulation-features';

const R = 6371008.8;
const rad = (d: number): number => (d * Math.PI) / 180;
/** Haversine, written here so the drawing is checked against something it did not compute itself. */
function metres(a: readonly number[], b: { lon: number; lat: number }): number {
  const [lon = NaN, lat = NaN] = a;
  const h = Math.sin(rad(b.lat - lat) / 2) ** 2 + Math.cos(rad(lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - lon) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

function incident(overrides: Partial<IncidentState> = {}): IncidentState {
  return {
    id: 'inc-1',
    seq: 9,
    location: { lon: 37.8, lat: 48.0 },
    uncertaintyM: 300,
    locationMethod: 'triangulated',
    reportCount: 3,
    reportIds: [],
    categories: ['explosion'],
    firstObservedAt: '2026-03-01T12:00:00.000Z',
    lastObservedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

describe('triangulation features', () => {
  const ray = createReport({
    locationMethod: 'bearing',
    observer: { lon: 37.77, lat: 47.98 },
    bearingTrue: { fromDeg: 44, toDeg: 44 },
    distanceM: { min: 1000, max: 2000 },
  });
  const wedge = createReport({
    locationMethod: 'bearing',
    observer: { lon: 37.83, lat: 47.98 },
    bearingTrue: { fromDeg: 310, toDeg: 330 },
    distanceM: { min: 1000, max: 5000 },
  });
  // A monitor's copy of someone else's report: no observer, bearing or distance.
  const redacted = createReport({ locationMethod: 'bearing' });
  const reports: Record<string, Report> = Object.fromEntries([ray, wedge, redacted].map((r) => [r.id, r]));
  const fixed = incident({ reportIds: [ray.id, wedge.id, redacted.id], triangulation: { reportIds: [ray.id, wedge.id, redacted.id], crossingAngleDeg: 86 } });

  it('draws each contributing ray and wedge from its observer, then the fix and its circle', () => {
    const fc = triangulationFeatures(fixed, reports);
    expect(fc.features.map((f) => [f.properties.role, f.geometry.type])).toEqual([
      ['ray', 'LineString'],
      ['observer', 'Point'],
      ['wedge', 'Polygon'],
      ['observer', 'Point'],
      ['circle', 'Polygon'],
      ['fix', 'Point'],
    ]);
    expect(fc.features.find((f) => f.properties.role === 'fix')?.geometry).toEqual({ type: 'Point', coordinates: [37.8, 48.0] });
  });

  it('draws the circle at the stated uncertainty around the fix', () => {
    const circle = triangulationFeatures(fixed, reports).features.find((f) => f.properties.role === 'circle')?.geometry as Polygon;
    const [ring = []] = circle.coordinates;
    expect(ring.length).toBeGreaterThan(60);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const p of ring) expect(metres(p, fixed.location)).toBeCloseTo(300, 0);
  });

  it('draws a ray out past the far side of the circle, so the crossing shows even beyond the stated distance', () => {
    const line = triangulationFeatures(fixed, reports).features.find((f) => f.properties.role === 'ray')?.geometry as LineString;
    const [start = [], end = []] = line.coordinates;
    expect(start).toEqual([ray.observer?.lon, ray.observer?.lat]);
    const toFix = metres([ray.observer?.lon ?? NaN, ray.observer?.lat ?? NaN], fixed.location);
    expect(metres(end, ray.observer ?? fixed.location)).toBeCloseTo(Math.max(2000, toFix + 300), -1);
  });

  it('draws only the fix and its circle for a monitor, who holds no observers', () => {
    const monitorView = { [ray.id]: { ...ray, observer: undefined, bearingTrue: undefined, distanceM: undefined }, [redacted.id]: redacted };
    expect(triangulationFeatures(fixed, monitorView).features.map((f) => f.properties.role)).toEqual(['circle', 'fix']);
  });

  it('draws nothing for an incident placed by centroid, or none at all', () => {
    expect(triangulationFeatures(incident({ locationMethod: 'centroid' }), reports).features).toEqual([]);
    expect(triangulationFeatures(undefined, reports).features).toEqual([]);
  });

  it('draws a ray across the antimeridian beside its observer, not around the world', () => {
    const east = createReport({ locationMethod: 'bearing', observer: { lon: 179.99, lat: -16.5 }, bearingTrue: { fromDeg: 90, toDeg: 90 }, distanceM: { min: 1000, max: 5000 } });
    const across = incident({ location: { lon: -179.99, lat: -16.5 }, triangulation: { reportIds: [east.id], crossingAngleDeg: 40 } });
    const fc = triangulationFeatures(across, { [east.id]: east });
    const line = fc.features.find((f) => f.properties.role === 'ray')?.geometry as LineString;
    for (const [lon = NaN] of line.coordinates) expect(Math.abs(lon - 179.99)).toBeLessThan(0.1);
    const [ring = []] = (fc.features.find((f) => f.properties.role === 'circle')?.geometry as Polygon).coordinates;
    for (const [lon = NaN] of ring) expect(Math.abs(lon + 179.99)).toBeLessThan(0.1);
  });
});

import { describe, expect, it } from 'vitest';
import { AREA_H3_RESOLUTION } from '@truceline/shared';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { areaHexagons } from './area-hexagons';

function area(lon: number, lat: number) {
  const id = latLngToCell(lat, lon, AREA_H3_RESOLUTION);
  const [centerLat, centerLon] = cellToLatLng(id);
  return { id, seq: 1, center: { lon: centerLon, lat: centerLat }, count: 3, byCategory: { shelling: 3 }, lastObservedAt: '2026-03-01T12:00:00Z' };
}

describe('area hexagons', () => {
  it.each([
    ['on the antimeridian', 180, -16.5],
    ['on the antimeridian far north', -180, 66],
    ['in Ukraine', 37.7, 48.1],
  ])('draws a cell %s as one small hexagon around its centre, closed once', (_name, lon, lat) => {
    const a = area(lon, lat);
    const [ring = []] = areaHexagons([a]).features[0]?.geometry.coordinates ?? [];
    // Six corners (some cells have a few more where they cross an icosahedron edge), closed once.
    expect(ring.length).toBeGreaterThanOrEqual(7);
    expect(ring[ring.length - 1]).toEqual(ring[0]);
    expect(ring[ring.length - 2]).not.toEqual(ring[0]);
    // A resolution-7 cell is about 2.6 km across: every vertex is within a few hundredths of a degree.
    for (const [vLon = NaN, vLat = NaN] of ring) {
      expect(Math.abs(vLon - a.center.lon)).toBeLessThan(0.1);
      expect(Math.abs(vLat - a.center.lat)).toBeLessThan(0.1);
    }
  });
});

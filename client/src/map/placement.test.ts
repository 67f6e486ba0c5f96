import { describe, expect, it } from 'vitest';
import { isCoarse, metresPerPixel, placementRadiusM } from './placement';

describe('placementRadiusM', () => {
  it.each([
    // The case: a 20 km scale bar (zoom ~8 in eastern Ukraine) is kilometres, not metres.
    { lat: 48.1, zoom: 8, radius: 4492 },
    { lat: 48.1, zoom: 11, radius: 562 },
    { lat: 48.1, zoom: 12, radius: 281 },
    { lat: 48.1, zoom: 16, radius: 18 },
    { lat: 0, zoom: 13, radius: 210 },
    // Mercator shrinks the ground under a pixel towards the poles.
    { lat: 60, zoom: 13, radius: 105 },
    { lat: 48.1, zoom: 22, radius: 1 },
  ])('at lat $lat, zoom $zoom: ±$radius m', ({ lat, zoom, radius }) => {
    expect(placementRadiusM({ lat, zoom })).toBe(radius);
  });

  it('halves with each zoom step in', () => {
    expect(metresPerPixel(48, 10) / metresPerPixel(48, 11)).toBeCloseTo(2, 10);
  });
});

describe('isCoarse', () => {
  it.each([
    [500, false],
    [501, true],
    [4492, true],
    [18, false],
  ])('%i m coarse: %s', (radius, coarse) => {
    expect(isCoarse(radius)).toBe(coarse);
  });
});

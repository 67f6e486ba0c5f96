import { describe, expect, it } from 'vitest';
import { parseMapView } from './basemap.js';

describe('parseMapView', () => {
  it.each([
    ['37.8,48.1,9', { lon: 37.8, lat: 48.1, zoom: 9 }],
    [' -73.98 , 40.75 , 12.5 ', { lon: -73.98, lat: 40.75, zoom: 12.5 }],
    ['180,-85,0', { lon: 180, lat: -85, zoom: 0 }],
  ])('reads %s', (text, view) => {
    expect(parseMapView(text)).toEqual(view);
  });

  it.each(['', '37.8,48.1', '37.8,48.1,9,1', '48.1;37.8;9', '190,48,9', '37,86,9', '37,48,23', '37,48,-1', 'a,b,c', '1e1,48,9'])('refuses "%s"', (text) => {
    expect(parseMapView(text)).toBeUndefined();
  });
});

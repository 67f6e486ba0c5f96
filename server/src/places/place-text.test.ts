import { describe, expect, it } from 'vitest';
import { compassPoint, describePlace, placeText } from './place-text.js';
import type { Settlement } from './settlement.js';

const AVDIIVKA: Settlement = {
  name: 'Avdiivka',
  key: 'avdiivka',
  admin1: 'Donetsk Oblast',
  countryCode: 'UA',
  lon: 37.74255,
  lat: 48.13989,
  population: 35826,
  source: 'geonames',
};

const R_KM = 6371.0088;
const rad = Math.PI / 180;

/** The point `km` from `settlement` at initial true bearing `deg` (the spherical direct formula, independent of turf). */
function from(settlement: Settlement, km: number, deg: number): { lon: number; lat: number } {
  const d = km / R_KM;
  const φ1 = settlement.lat * rad;
  const λ1 = settlement.lon * rad;
  const θ = deg * rad;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return { lon: λ2 / rad, lat: φ2 / rad };
}

describe('compassPoint', () => {
  it.each([
    [0, 'N'],
    [22.4, 'N'],
    [22.5, 'NE'],
    [45, 'NE'],
    [67.5, 'E'],
    [135, 'SE'],
    [180, 'S'],
    [202.5, 'SW'],
    [270, 'W'],
    [315, 'NW'],
    [337.4, 'NW'],
    [337.5, 'N'],
    [359.9, 'N'],
    [360, 'N'],
    [-45, 'NW'],
  ])('%s° is %s', (deg, point) => {
    expect(compassPoint(deg)).toBe(point);
  });
});

describe('placeText', () => {
  it.each([
    [0, 0, 'in Avdiivka (Donetsk Oblast)'],
    [990, 45, 'in Avdiivka (Donetsk Oblast)'],
    [999, 45, 'in Avdiivka (Donetsk Oblast)'],
    [1000, 45, '1.0 km NE of Avdiivka (Donetsk Oblast)'],
    [1049, 45, '1.0 km NE of Avdiivka (Donetsk Oblast)'],
    [1050, 45, '1.1 km NE of Avdiivka (Donetsk Oblast)'],
    [3200, 40, '3.2 km NE of Avdiivka (Donetsk Oblast)'],
    [12_345, 337.5, '12.3 km N of Avdiivka (Donetsk Oblast)'],
    [12_345, 337.4, '12.3 km NW of Avdiivka (Donetsk Oblast)'],
    [2500, 180, '2.5 km S of Avdiivka (Donetsk Oblast)'],
  ])('%s m at %s°: %s', (m, deg, text) => {
    expect(placeText('Avdiivka', 'Donetsk Oblast', m, deg)).toBe(text);
  });

  it('leaves the region out when the gazetteer has none', () => {
    expect(placeText('Hamlet', null, 4000, 90)).toBe('4.0 km E of Hamlet');
    expect(placeText('Hamlet', null, 10, 90)).toBe('in Hamlet');
  });
});

describe('describePlace', () => {
  it.each([
    [3.2, 45, '3.2 km NE of Avdiivka (Donetsk Oblast)'],
    [2.0, 0, '2.0 km N of Avdiivka (Donetsk Oblast)'],
    [5.0, 225, '5.0 km SW of Avdiivka (Donetsk Oblast)'],
    [0.99, 90, 'in Avdiivka (Donetsk Oblast)'],
  ])('%s km at %s° from the settlement reads "%s"', (km, deg, text) => {
    const place = describePlace(AVDIIVKA, from(AVDIIVKA, km, deg));
    expect(place.text).toBe(text);
    expect(place.distanceM).toBeCloseTo(km * 1000, -1);
    // The bearing is from the settlement to the event (an initial bearing, so within a hair of `deg`).
    expect(Math.abs(((place.bearingDeg - deg + 540) % 360) - 180)).toBeLessThan(0.2);
    expect(place).toMatchObject({ name: 'Avdiivka', admin1: 'Donetsk Oblast', countryCode: 'UA' });
  });

  it('keeps bearings in [0, 360): just west of north is 359.x, not -0.x', () => {
    const place = describePlace(AVDIIVKA, from(AVDIIVKA, 4, 359.5));
    expect(place.bearingDeg).toBeGreaterThanOrEqual(359);
    expect(place.bearingDeg).toBeLessThan(360);
    expect(place.text).toBe('4.0 km N of Avdiivka (Donetsk Oblast)');
  });

  it('an event on the settlement is "in" it, at 0 m and bearing 0', () => {
    expect(describePlace(AVDIIVKA, { lon: AVDIIVKA.lon, lat: AVDIIVKA.lat })).toMatchObject({ distanceM: 0, bearingDeg: 0, text: 'in Avdiivka (Donetsk Oblast)' });
  });

  it('measures across the antimeridian the short way', () => {
    const taveuni: Settlement = { ...AVDIIVKA, name: 'Waiyevo', key: 'waiyevo', admin1: null, lon: 179.99, lat: -16.79 };
    const place = describePlace(taveuni, { lon: -179.99, lat: -16.79 });
    expect(place.distanceM).toBeLessThan(2200);
    expect(compassPoint(place.bearingDeg)).toBe('E');
  });
});

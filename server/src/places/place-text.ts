import { bearing } from '@turf/bearing';
import { distance } from '@turf/distance';
import type { Place } from '@truceline/shared';
import type { Settlement } from './settlement.js';

/** The 8-point compass, clockwise from north: each covers 45°, centred on its direction. */
export const COMPASS_POINTS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export type CompassPoint = (typeof COMPASS_POINTS)[number];

/** Under this many metres an event is "in" the settlement rather than "x km DIR of" it. */
export const IN_PLACE_M = 1_000;

/** `bearingDeg` (any real) → its compass point; a boundary (22.5°, 337.5°) goes to the next point clockwise. */
export function compassPoint(bearingDeg: number): CompassPoint {
  const deg = ((bearingDeg % 360) + 360) % 360;
  return COMPASS_POINTS[Math.floor(deg / 45 + 0.5) % 8] as CompassPoint;
}

/**
 * The phrase mission reports use: `"3.2 km NE of Avdiivka (Donetsk Oblast)"`, or under 1 km
 * `"in Avdiivka (Donetsk Oblast)"`; without a region the parenthesis is left out. Kilometres
 * have one decimal, rounded half up from the metres given (so 999 m is "in", 1,000 m "1.0 km").
 */
export function placeText(name: string, admin1: string | null, distanceM: number, bearingDeg: number): string {
  const where = admin1 ? `${name} (${admin1})` : name;
  if (distanceM < IN_PLACE_M) return `in ${where}`;
  const km = (Math.round(distanceM / 100) / 10).toFixed(1);
  return `${km} km ${compassPoint(bearingDeg)} of ${where}`;
}

/**
 * The place of `event` relative to `settlement`: great-circle distance (metres, rounded) and the
 * initial bearing **from the settlement to the event** (true north, one decimal, `[0, 360)`).
 * The text is made from the rounded figures, so it never disagrees with them.
 */
export function describePlace(settlement: Settlement, event: { lon: number; lat: number }): Place {
  const from: [number, number] = [settlement.lon, settlement.lat];
  const to: [number, number] = [event.lon, event.lat];
  const distanceM = Math.round(distance(from, to, { units: 'meters' }));
  // turf answers (-180, 180]; a point on top of the settlement has no direction, call it north.
  const raw = distanceM === 0 ? 0 : (bearing(from, to) + 360) % 360;
  const bearingDeg = Math.round(raw * 10) / 10 === 360 ? 0 : Math.round(raw * 10) / 10;
  return {
    name: settlement.name,
    admin1: settlement.admin1,
    countryCode: settlement.countryCode,
    distanceM,
    bearingDeg,
    text: placeText(settlement.name, settlement.admin1, distanceM, bearingDeg),
  };
}

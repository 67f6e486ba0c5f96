import { EARTH_RADIUS_M } from './earth.js';

/** A point on the sphere, degrees. */
export interface LonLatPoint {
  readonly lon: number;
  readonly lat: number;
}

const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres (haversine, R = {@link EARTH_RADIUS_M}).
 * Same formula as turf's `distance` so that what the map shows and what groups agree.
 */
export function haversineM(a: LonLatPoint, b: LonLatPoint): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.sin(dLon / 2) ** 2 * Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD);
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}

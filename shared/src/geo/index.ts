export { normalizeDeg, sectorCenterDeg, sectorWidthDeg } from './angles.js';
export { locateFromBearing, sectorPolygon, sectorVertices } from './sector.js';
export { normalizeLon, normalizePosition } from './normalize-position.js';
export type {
  BearingSector,
  DistanceRange,
  LonLat,
  Observer,
  PolygonGeometry,
  GeoJsonPosition,
} from './sector.js';
export { magneticDeclinationDeg, magneticToTrue } from './magnetic.js';

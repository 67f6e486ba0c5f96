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
export { LocalFrame, type PlanePoint, azimuthalProjection, destinationPoint, greatCircleDistanceM, initialBearingDeg } from './local-frame.js';
export {
  type BearingSighting,
  DEFAULT_OBSERVER_ACCURACY_M,
  DISTINCT_OBSERVERS_MIN_M,
  MIN_TRIANGULATION_UNCERTAINTY_M,
  SINGLE_BEARING_SIGMA_DEG,
  TRIANGULATION_MAX_SIGHTINGS,
  type Triangulation,
  triangulate,
} from './triangulate.js';

/**
 * Property keys of every exported GeoJSON feature, in output order. Every key is present in
 * every feature (`null` when unknown) so GIS tools see one fixed attribute table.
 */
export const EXPORT_PROPERTY_KEYS = [
  'category',
  'observedAt',
  'observedUntil',
  'receivedAt',
  'status',
  'assessment',
  'weapon',
  'method',
  'count',
  'countUnit',
  'countApprox',
  'killed',
  'injured',
  'confidence',
  'description',
  'reporter',
  'reporterId',
  'incidentId',
  'areaId',
  'locationMethod',
  'uncertaintyM',
  'observerLon',
  'observerLat',
  'bearingFromDeg',
  'bearingToDeg',
  'distanceMinM',
  'distanceMaxM',
  'supersedes',
  // Issue 10: the nearest settlement (`place` is its text, "3.2 km NE of Avdiivka (Donetsk Oblast)").
  'place',
  'placeAdmin1',
  'placeDistanceM',
  'placeBearingDeg',
  // Issue 11: the latest review's note and time.
  'reviewNote',
  'reviewedAt',
] as const;
export type ExportPropertyKey = (typeof EXPORT_PROPERTY_KEYS)[number];
export type ExportProperties = Record<ExportPropertyKey, string | number | boolean | null>;

export const GEOJSON_CONTENT_TYPE = 'application/geo+json';

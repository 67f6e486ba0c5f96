import { CATEGORIES } from '@truceline/shared';
import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, FilterSpecification, Map as MapLibreMap, SymbolLayerSpecification } from 'maplibre-gl';
import { CATEGORY_STYLE } from '../../report/category-style';
import { LABEL_FONT } from '@truceline/shared';

export const SOURCES = {
  reports: 'tl-reports',
  wedges: 'tl-wedges',
  incidents: 'tl-incidents',
  areas: 'tl-areas',
  areaLabels: 'tl-area-labels',
  draft: 'tl-draft',
  triangulation: 'tl-triangulation',
} as const;

export const LAYERS = {
  areas: 'tl-areas-fill',
  areasLine: 'tl-areas-line',
  areasLabel: 'tl-areas-label',
  incidents: 'tl-incidents',
  incidentsLabel: 'tl-incidents-label',
  wedgeFill: 'tl-wedge-fill',
  wedgeLine: 'tl-wedge-line',
  wedgeObserver: 'tl-wedge-observer',
  triangulationWedge: 'tl-triangulation-wedge',
  triangulationCircle: 'tl-triangulation-circle',
  triangulationRay: 'tl-triangulation-ray',
  triangulationObserver: 'tl-triangulation-observer',
  triangulationFix: 'tl-triangulation-fix',
  clusters: 'tl-clusters',
  clusterCount: 'tl-cluster-count',
  fresh: 'tl-fresh',
  selected: 'tl-selected',
  points: 'tl-points',
  draftFill: 'tl-draft-fill',
  draftLine: 'tl-draft-line',
  draftPoint: 'tl-draft-point',
} as const;

/** The area cells' shading by report count (stops of an interpolation), shared with the legend. */
export const AREA_SHADES: readonly [count: number, color: string][] = [
  [1, '#ffd166'],
  [5, '#f77f00'],
  [20, '#d62828'],
];
/** The overlay's colours, shared with the legend so it shows what the map draws. */
export const OVERLAY_COLORS = {
  cluster: '#3a4a5c',
  areaLine: '#f77f00',
  incident: '#ffc53d',
  wedge: '#4cc9f0',
  ray: '#b388ff',
  fix: '#ff4d6d',
} as const;
/** How much of the map a rejected report still shows through its faded icon; shared with the legend. */
export const REJECTED_OPACITY = 0.4;

/**
 * Count labels that may not cover each other: a label that would collide with one already
 * placed is left out, the larger counts placed first (a lower sort key is placed earlier).
 */
function countLabelLayout(countProperty: string): Pick<SymbolLayerSpecification['layout'] & object, 'text-allow-overlap' | 'text-padding' | 'symbol-sort-key'> {
  return { 'text-allow-overlap': false, 'text-padding': 2, 'symbol-sort-key': ['-', ['get', countProperty]] };
}

function empty(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}

// A `match` built from the category table: TypeScript cannot see that the spread keeps the
// expression's label/value alternation, hence the cast.
const categoryColor: ExpressionSpecification = [
  'match',
  ['get', 'category'],
  ...CATEGORIES.flatMap((c) => [c, CATEGORY_STYLE[c].color]),
  '#888888',
] as unknown as ExpressionSpecification;

/** The selected report's ring: no cluster, that id (none: the empty id, which no report has). */
export function selectedFilter(id: string | undefined): FilterSpecification {
  return ['all', ['!', ['has', 'point_count']], ['==', ['get', 'id'], id ?? '']];
}

/**
 * Adds Truceline's own sources and layers on top of whatever basemap style is loaded
 * (offline or configured). Called again after a style change, which drops them.
 */
export function addOverlayLayers(map: MapLibreMap): void {
  if (map.getSource(SOURCES.reports)) return;
  map.addSource(SOURCES.areas, { type: 'geojson', data: empty() });
  map.addSource(SOURCES.areaLabels, { type: 'geojson', data: empty() });
  map.addSource(SOURCES.incidents, { type: 'geojson', data: empty() });
  map.addSource(SOURCES.wedges, { type: 'geojson', data: empty() });
  map.addSource(SOURCES.triangulation, { type: 'geojson', data: empty() });
  map.addSource(SOURCES.reports, { type: 'geojson', data: empty(), cluster: true, clusterRadius: 40, clusterMaxZoom: 11, promoteId: 'id' });
  map.addSource(SOURCES.draft, { type: 'geojson', data: empty() });

  map.addLayer({
    id: LAYERS.areas,
    type: 'fill',
    source: SOURCES.areas,
    paint: {
      'fill-color': ['interpolate', ['linear'], ['get', 'count'], ...AREA_SHADES.flat()] as unknown as ExpressionSpecification,
      'fill-opacity': 0.35,
    },
  });
  map.addLayer({ id: LAYERS.areasLine, type: 'line', source: SOURCES.areas, paint: { 'line-color': OVERLAY_COLORS.areaLine, 'line-width': 0.8 } });
  map.addLayer({
    id: LAYERS.areasLabel,
    type: 'symbol',
    source: SOURCES.areaLabels,
    // Below this a cell is a few pixels across: its number would cover its neighbours'.
    minzoom: 8,
    layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': [LABEL_FONT], 'text-size': 12, ...countLabelLayout('count') },
    paint: { 'text-color': '#ffffff', 'text-halo-color': '#5a1d00', 'text-halo-width': 1.2 },
  });
  map.addLayer({
    id: LAYERS.incidents,
    type: 'circle',
    source: SOURCES.incidents,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['get', 'reportCount'], 1, 12, 20, 26],
      'circle-color': 'rgba(255, 197, 61, 0.15)',
      'circle-stroke-color': OVERLAY_COLORS.incident,
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: LAYERS.incidentsLabel,
    type: 'symbol',
    source: SOURCES.incidents,
    layout: { 'text-field': ['to-string', ['get', 'reportCount']], 'text-font': [LABEL_FONT], 'text-size': 12, 'text-offset': [0, -1.6], ...countLabelLayout('reportCount') },
    paint: { 'text-color': OVERLAY_COLORS.incident, 'text-halo-color': '#000000', 'text-halo-width': 1 },
  });
  addTriangulationLayers(map);
  const isPolygon: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];
  map.addLayer({ id: LAYERS.wedgeFill, type: 'fill', source: SOURCES.wedges, filter: isPolygon, paint: { 'fill-color': OVERLAY_COLORS.wedge, 'fill-opacity': 0.22 } });
  map.addLayer({ id: LAYERS.wedgeLine, type: 'line', source: SOURCES.wedges, filter: isPolygon, paint: { 'line-color': OVERLAY_COLORS.wedge, 'line-width': 1.5 } });
  map.addLayer({
    id: LAYERS.wedgeObserver,
    type: 'circle',
    source: SOURCES.wedges,
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 5, 'circle-color': '#4cc9f0', 'circle-stroke-color': '#000000', 'circle-stroke-width': 1.5 },
  });
  map.addLayer({
    id: LAYERS.clusters,
    type: 'circle',
    source: SOURCES.reports,
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': OVERLAY_COLORS.cluster,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
      'circle-radius': ['step', ['get', 'point_count'], 14, 10, 18, 50, 24, 200, 30],
    },
  });
  map.addLayer({
    id: LAYERS.clusterCount,
    type: 'symbol',
    source: SOURCES.reports,
    filter: ['has', 'point_count'],
    layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': [LABEL_FONT], 'text-size': 12, 'text-allow-overlap': true },
    paint: { 'text-color': '#ffffff' },
  });
  map.addLayer({
    id: LAYERS.fresh,
    type: 'circle',
    source: SOURCES.reports,
    filter: ['all', ['!', ['has', 'point_count']], ['==', ['get', 'fresh'], 1]],
    paint: { 'circle-radius': 22, 'circle-color': categoryColor, 'circle-opacity': 0.35, 'circle-stroke-color': categoryColor, 'circle-stroke-width': 2 },
  });
  map.addLayer({
    id: LAYERS.selected,
    type: 'circle',
    source: SOURCES.reports,
    filter: selectedFilter(undefined),
    paint: { 'circle-radius': 19, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': OVERLAY_COLORS.wedge, 'circle-stroke-width': 3 },
  });
  map.addLayer({
    id: LAYERS.points,
    type: 'symbol',
    source: SOURCES.reports,
    filter: ['!', ['has', 'point_count']],
    layout: {
      // Names as made by addCategoryImages (`category-<category>`).
      'icon-image': ['concat', 'category-', ['get', 'category']],
      'icon-allow-overlap': true,
      'icon-size': ['match', ['get', 'status'], 'verified', 1.15, 1],
    },
    paint: { 'icon-opacity': ['match', ['get', 'status'], 'rejected', REJECTED_OPACITY, 1] },
  });
  map.addLayer({ id: LAYERS.draftFill, type: 'fill', source: SOURCES.draft, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#f5b700', 'fill-opacity': 0.25 } });
  map.addLayer({ id: LAYERS.draftLine, type: 'line', source: SOURCES.draft, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': '#f5b700', 'line-width': 2, 'line-dasharray': [2, 1] } });
  map.addLayer({
    id: LAYERS.draftPoint,
    type: 'circle',
    source: SOURCES.draft,
    filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-radius': ['match', ['get', 'role'], 'observer', 6, 9],
      'circle-color': ['match', ['get', 'role'], 'observer', '#4cc9f0', '#f5b700'],
      'circle-stroke-color': '#000000',
      'circle-stroke-width': 2,
    },
  });
}

const role = (r: string): FilterSpecification => ['==', ['get', 'role'], r];

/** A triangulated incident's bearings, fix and 95 % circle (`triangulation-features.ts`), above the incidents. */
function addTriangulationLayers(map: MapLibreMap): void {
  const source = SOURCES.triangulation;
  map.addLayer({ id: LAYERS.triangulationWedge, type: 'fill', source, filter: role('wedge'), paint: { 'fill-color': OVERLAY_COLORS.ray, 'fill-opacity': 0.18 } });
  map.addLayer({
    id: LAYERS.triangulationCircle,
    type: 'line',
    source,
    filter: role('circle'),
    paint: { 'line-color': OVERLAY_COLORS.fix, 'line-width': 2, 'line-dasharray': [3, 2] },
  });
  map.addLayer({
    id: LAYERS.triangulationRay,
    type: 'line',
    source,
    filter: ['match', ['get', 'role'], ['ray', 'wedge'], true, false],
    paint: { 'line-color': OVERLAY_COLORS.ray, 'line-width': 1.5 },
  });
  map.addLayer({
    id: LAYERS.triangulationObserver,
    type: 'circle',
    source,
    filter: role('observer'),
    paint: { 'circle-radius': 4, 'circle-color': '#b388ff', 'circle-stroke-color': '#000000', 'circle-stroke-width': 1 },
  });
  map.addLayer({
    id: LAYERS.triangulationFix,
    type: 'circle',
    source,
    filter: role('fix'),
    paint: { 'circle-radius': 5, 'circle-color': OVERLAY_COLORS.fix, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  });
}

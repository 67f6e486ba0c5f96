import { LABEL_FONT, labelFontFaces } from './label-font.js';

export type BasemapTheme = 'dark' | 'light';

const PALETTE = {
  dark: { water: '#0d1b2a', land: '#1f2933', border: '#8a96a3', text: '#d9e2ec', halo: '#0d1b2a' },
  light: { water: '#b9d3e6', land: '#f2efe9', border: '#7b6f8f', text: '#26313c', halo: '#ffffff' },
} as const;

/** The zoom the settlement tiles are cut at (client/scripts/build-basemap.mjs); MapLibre overzooms them. */
export const SETTLEMENT_TILE_ZOOM = 8;

/**
 * The fewest inhabitants a village or town needs to be drawn at each zoom: towns from z8
 * (about the 20 km scale), villages of 1 000+ from z11 (the 2 km scale). Where labels still
 * collide, MapLibre drops the less populous ones (`symbol-sort-key`).
 */
const SETTLEMENT_MIN_POPULATION = ['step', ['zoom'], 10_000, 9, 5_000, 10, 2_000, 11, 1_000] as const;

/**
 * The default basemap as a MapLibre style: Natural Earth land and borders and GeoNames
 * settlements, all served by Truceline itself (`/basemap/*.geojson`, the vector tiles of
 * `/basemap/settlements/`, `/fonts/`). No source points
 * at another host, so it works with no internet at all. The web client draws it; the map
 * benchmark's bare page draws the same, so its ratio measures the reports, not the basemap.
 * Plain data (no MapLibre types here): the client states the style type where it uses it.
 */
export function offlineStyle(theme: BasemapTheme, origin: string) {
  const c = PALETTE[theme];
  return {
    version: 8 as const,
    name: 'Truceline offline',
    'font-faces': labelFontFaces(origin),
    sources: {
      land: { type: 'geojson' as const, data: `${origin}/basemap/land.geojson`, maxzoom: 8 },
      borders: { type: 'geojson' as const, data: `${origin}/basemap/borders.geojson`, maxzoom: 8 },
      places: { type: 'geojson' as const, data: `${origin}/basemap/places.geojson`, maxzoom: 10 },
      // Villages and towns under 25 000: fetched tile by tile for the view, from z8 only.
      settlements: {
        type: 'vector' as const,
        tiles: [`${origin}/basemap/settlements/{z}/{x}/{y}.pbf`],
        minzoom: SETTLEMENT_TILE_ZOOM,
        maxzoom: SETTLEMENT_TILE_ZOOM,
        attribution: 'GeoNames',
      },
    },
    layers: [
      { id: 'water', type: 'background' as const, paint: { 'background-color': c.water } },
      { id: 'land', type: 'fill' as const, source: 'land', paint: { 'fill-color': c.land } },
      {
        id: 'borders',
        type: 'line' as const,
        source: 'borders',
        paint: { 'line-color': c.border, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.6, 8, 1.6], 'line-dasharray': [3, 2] },
      },
      {
        id: 'settlement-dots',
        type: 'circle' as const,
        source: 'settlements',
        'source-layer': 'settlements',
        minzoom: SETTLEMENT_TILE_ZOOM,
        filter: ['>=', ['get', 'population'], SETTLEMENT_MIN_POPULATION],
        paint: { 'circle-radius': 2.5, 'circle-color': c.text, 'circle-stroke-color': c.halo, 'circle-stroke-width': 1 },
      },
      {
        id: 'settlements',
        type: 'symbol' as const,
        source: 'settlements',
        'source-layer': 'settlements',
        minzoom: SETTLEMENT_TILE_ZOOM,
        filter: ['>=', ['get', 'population'], SETTLEMENT_MIN_POPULATION],
        layout: {
          'text-field': ['get', 'name'],
          'text-font': [LABEL_FONT],
          'text-size': ['step', ['get', 'population'], 11, 10_000, 12],
          // Beside its dot, on whichever side is free.
          'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
          'text-radial-offset': 0.5,
          'text-justify': 'auto',
          'text-padding': 3,
          // Placed first, so kept when labels collide: the most populous.
          'symbol-sort-key': ['-', ['get', 'population']],
        },
        paint: { 'text-color': c.text, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
      },
      {
        id: 'places',
        type: 'symbol' as const,
        source: 'places',
        filter: ['<=', ['get', 'rank'], ['step', ['zoom'], 1, 4, 2, 6, 3, 7, 4]],
        layout: {
          'text-field': ['get', 'name'],
          'text-font': [LABEL_FONT],
          'text-size': ['match', ['get', 'rank'], 1, 14, 2, 13, 12],
          'symbol-sort-key': ['get', 'rank'],
          'text-padding': 4,
        },
        paint: { 'text-color': c.text, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
      },
    ],
  };
}

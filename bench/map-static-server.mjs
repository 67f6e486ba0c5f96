// Serves scenario 5's baseline page: bench/map-bare.html, MapLibre's dist files, the points of a
// seeded database as GeoJSON (read once at start from BENCH_DB), and the web client's built
// offline basemap (client/dist/basemap and fonts) with the same style, so the baseline draws the
// same basemap as Truceline's page and the ratio measures the reports.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { BetterSqlite, ROOT, sharedDist } from './lib/deps.mjs';

const { LABEL_FONT, labelFontFaces } = await sharedDist();
const clientDist = path.join(ROOT, 'client', 'dist');
/** client/src/map/basemap/offline-style.ts with its light palette (headless Chromium prefers light). */
function offlineStyle(origin) {
  const c = { water: '#b9d3e6', land: '#f2efe9', border: '#7b6f8f', text: '#26313c', halo: '#ffffff' };
  return {
    version: 8,
    name: 'Truceline offline (bench copy)',
    'font-faces': labelFontFaces(origin),
    sources: {
      land: { type: 'geojson', data: `${origin}/basemap/land.geojson`, maxzoom: 8 },
      borders: { type: 'geojson', data: `${origin}/basemap/borders.geojson`, maxzoom: 8 },
      places: { type: 'geojson', data: `${origin}/basemap/places.geojson`, maxzoom: 10 },
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': c.water } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': c.land } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': c.border, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.6, 8, 1.6], 'line-dasharray': [3, 2] } },
      {
        id: 'places',
        type: 'symbol',
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

const maplibre = path.join(ROOT, 'client', 'node_modules', 'maplibre-gl', 'dist');
const db = new (BetterSqlite())(process.env.BENCH_DB, { readonly: true });
const features = db
  .prepare('SELECT id, category, lon, lat FROM reports ORDER BY observed_at DESC LIMIT ?')
  .all(Number(process.env.BENCH_POINTS ?? 100_000))
  .map((r) => ({ type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [r.lon, r.lat] }, properties: { category: r.category } }));
db.close();
const points = JSON.stringify({ type: 'FeatureCollection', features });
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.map': 'application/json', '.geojson': 'application/geo+json', '.woff2': 'font/woff2' };

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/api/health') return res.end('ok');
  if (url.pathname === '/') {
    res.setHeader('content-type', 'text/html');
    return res.end(fs.readFileSync(path.join(import.meta.dirname, 'map-bare.html')));
  }
  if (url.pathname === '/points.geojson') {
    res.setHeader('content-type', 'application/geo+json');
    return res.end(points);
  }
  if (url.pathname === '/style.json') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify(offlineStyle(`http://${req.headers.host}`)));
  }
  if (url.pathname.startsWith('/basemap/') || url.pathname.startsWith('/fonts/')) {
    const file = path.join(clientDist, path.basename(path.dirname(url.pathname)), path.basename(url.pathname));
    if (fs.existsSync(file)) {
      res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
      return res.end(fs.readFileSync(file));
    }
  }
  if (url.pathname.startsWith('/maplibre/')) {
    const file = path.join(maplibre, path.basename(url.pathname));
    if (fs.existsSync(file)) {
      res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
      return res.end(fs.readFileSync(file));
    }
  }
  res.statusCode = 404;
  res.end();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));

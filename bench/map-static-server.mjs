// Serves scenario 5's baseline page: bench/map-bare.html, MapLibre's dist files, the points of a
// seeded database as GeoJSON (read once at start from BENCH_DB), and the web client's built
// offline basemap (client/dist/basemap and fonts) with the same style, so the baseline draws the
// same basemap as Truceline's page and the ratio measures the reports.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { BetterSqlite, ROOT, sharedDist } from './lib/deps.mjs';

// The web client's offline style, light palette (headless Chromium prefers light).
const { offlineStyle } = await sharedDist();
const clientDist = path.join(ROOT, 'client', 'dist');

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
    return res.end(JSON.stringify(offlineStyle('light', `http://${req.headers.host}`)));
  }
  if (url.pathname.startsWith('/basemap/') || url.pathname.startsWith('/fonts/')) {
    // Settlement tiles sit two folders deeper (`/basemap/settlements/8/x/y.pbf`); nothing above dist.
    const file = path.join(clientDist, path.normalize(url.pathname));
    if (file.startsWith(clientDist + path.sep) && fs.existsSync(file)) {
      res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
      return res.end(fs.readFileSync(file));
    }
    // As Truceline answers it: a tile with no settlements is empty.
    if (url.pathname.startsWith('/basemap/settlements/')) {
      res.statusCode = 204;
      return res.end();
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

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startServer, tempDataDir } from '../support/server.js';

const YEAR = 'public, max-age=31536000, immutable';

// A built client's layout, as Vite and vite-plugin-pwa write it: hashed names under assets/ and
// workbox-<hash>.js; the shell, the service worker, the manifest and the basemap under fixed names.
const FILES: Record<string, string> = {
  'index.html': '<!doctype html><title>Truceline</title>',
  'assets/index-BNWL-phB.js': 'console.log(1);',
  'assets/index-Cw16FPJq.css': 'body{}',
  'workbox-267b1a14.js': 'self.x=1;',
  'sw.js': 'self.y=1;',
  'manifest.webmanifest': '{"name":"Truceline"}',
  'icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'basemap/land.geojson': '{"type":"FeatureCollection","features":[]}',
};

// Monitors reload on weak links: what cannot change is kept for a year, what can is revalidated.
describe('cache lifetimes of the web client', () => {
  let server: TestServer;

  beforeAll(async () => {
    const clientDir = tempDataDir();
    for (const [name, content] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(clientDir, name)), { recursive: true });
      fs.writeFileSync(path.join(clientDir, name), content);
    }
    server = await startServer({ env: { CLIENT_DIR: clientDir } });
  });
  afterAll(async () => {
    await server.close();
  });

  const get = (route: string): Promise<Response> => fetch(`${server.url}${route}`);

  it.each(['/assets/index-BNWL-phB.js', '/assets/index-Cw16FPJq.css', '/workbox-267b1a14.js'])('keeps the hashed %s for a year', async (route) => {
    const res = await get(route);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe(YEAR);
  });

  it.each(['/', '/index.html', '/sw.js', '/manifest.webmanifest', '/icon.svg', '/basemap/land.geojson', '/some/client/route'])(
    'revalidates the unhashed %s on every load',
    async (route) => {
      const res = await get(route);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    },
  );

  it('answers a revalidation of an unchanged file with 304', async () => {
    const first = await get('/sw.js');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Over plain http, as a browser revalidates: fetch adds "Cache-Control: no-cache" to a
    // conditional request, which the server rightly answers in full.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http.get(`${server.url}/sw.js`, { headers: { 'if-none-match': etag ?? '' } }, (res) => resolve(res.resume().statusCode)).on('error', reject);
    });
    expect(status).toBe(304);
  });

  it('still answers an empty settlement tile with 204, and a missing asset with 404 rather than the shell', async () => {
    const tile = await get('/basemap/settlements/8/150/90.pbf');
    expect(tile.status).toBe(204);
    // A page of an older build asking for its chunk must not get the shell as a script.
    expect((await get('/assets/index-gone1234.js')).status).toBe(404);
  });

  it('keeps the API out of every cache', async () => {
    expect((await get('/api/health')).headers.get('cache-control')).toBe('no-store');
  });
});

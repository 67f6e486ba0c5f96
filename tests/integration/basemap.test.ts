import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { expectErrorBody } from '../support/errors.js';
import { writeVectorMbtiles } from '../support/vector-tiles.js';
import { type TestServer, api, startServer, tempDataDir } from '../support/server.js';

describe('basemap', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('tells the client to use its built-in offline basemap by default', async () => {
    server = await startServer({ signIn: false });
    const res = await api<{ styleUrl: string | null }>(server.url, 'GET', '/api/basemap');
    expect(res.status).toBe(200);
    expect(res.body.styleUrl).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });

  it("tells the client where its map opens: the whole of Ukraine, or the mission's MAP_DEFAULT_VIEW", async () => {
    server = await startServer({ signIn: false });
    expect((await api<{ defaultView: unknown }>(server.url, 'GET', '/api/basemap')).body.defaultView).toEqual({ lon: 31.2, lat: 48.4, zoom: 5 });
    await server.close();
    server = await startServer({ signIn: false, env: { MAP_DEFAULT_VIEW: '37.55,47.1,10' } });
    expect((await api<{ defaultView: unknown }>(server.url, 'GET', '/api/basemap')).body.defaultView).toEqual({ lon: 37.55, lat: 47.1, zoom: 10 });
  });

  it('points at a configured style and lets the page reach only that extra host', async () => {
    server = await startServer({ signIn: false, env: { MAP_STYLE_URL: 'https://tiles.mission.example/style.json' } });
    const res = await api<{ styleUrl: string | null }>(server.url, 'GET', '/api/basemap');
    expect(res.body.styleUrl).toBe('https://tiles.mission.example/style.json');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' https://tiles.mission.example");
  });

  it('serves a style, PMTiles byte ranges and MBTiles tiles from DATA_DIR/basemap', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'basemap');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'style.json'), JSON.stringify({ version: 8, sources: {}, layers: [] }));
    fs.writeFileSync(path.join(dir, 'region.pmtiles'), Buffer.from('0123456789'));
    const db = new Database(path.join(dir, 'region.mbtiles'));
    db.exec('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
    // TMS rows count from the south: XYZ y=0 at z=1 is TMS row 1.
    db.prepare('INSERT INTO tiles VALUES (1, 0, 1, ?)').run(Buffer.from('tile-z1-x0-y0'));
    db.close();
    server = await startServer({ dataDir, signIn: false });

    expect((await api<{ styleUrl: string }>(server.url, 'GET', '/api/basemap')).body.styleUrl).toBe('/api/basemap/files/style.json');
    const range = await fetch(`${server.url}/api/basemap/files/region.pmtiles`, { headers: { range: 'bytes=2-5' } });
    expect(range.status).toBe(206);
    expect(await range.text()).toBe('2345');
    const tile = await fetch(`${server.url}/api/basemap/mbtiles/region/1/0/0`);
    expect(tile.status).toBe(200);
    expect(await tile.text()).toBe('tile-z1-x0-y0');
    expect((await fetch(`${server.url}/api/basemap/mbtiles/region/1/0/1`)).status).toBe(204);
    expect((await fetch(`${server.url}/api/basemap/mbtiles/nope/1/0/0`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/basemap/files/..%2f..%2ftruceline.sqlite`)).status).toBe(404);
  });

  it('serves no link that leads out of DATA_DIR/basemap, and links inside it', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'basemap');
    fs.mkdirSync(path.join(dir, 'sprites'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sprites', 'sprite.json'), '{"ok":true}');
    const outside = path.join(dataDir, 'secret.json');
    fs.writeFileSync(outside, '{"secret":true}');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'link.json'));
    fs.symlinkSync(outside, path.join(dir, 'secret.json'));
    fs.symlinkSync(dataDir, path.join(dir, 'up'));
    fs.symlinkSync(path.join(dataDir, 'truceline.sqlite'), path.join(dir, 'stolen.mbtiles'));
    fs.symlinkSync(path.join(dir, 'sprites', 'sprite.json'), path.join(dir, 'alias.json'));
    server = await startServer({ dataDir, signIn: false });

    for (const route of ['link.json', 'secret.json', 'up/secret.json', 'up/truceline.sqlite', 'sprites', 'missing.json', 'a%00b.json']) {
      const res = await api(server.url, 'GET', `/api/basemap/files/${route}`);
      expect(res.status, route).toBe(404);
      expectErrorBody(res.body, 'not_found');
    }
    expect((await fetch(`${server.url}/api/basemap/mbtiles/stolen/0/0/0`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/api/basemap/files/sprites/sprite.json`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${server.url}/api/basemap/files/alias.json`)).json()).toEqual({ ok: true });
  });

  it('makes a style for a raster MBTiles file dropped in alone, ahead of a vector file after it in name order', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'basemap');
    fs.mkdirSync(dir);
    const mbtiles = (name: string, format: string) => {
      const db = new Database(path.join(dir, `${name}.mbtiles`));
      db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
      const meta = db.prepare('INSERT INTO metadata VALUES (?, ?)');
      for (const [k, v] of [['format', format], ['minzoom', '5'], ['maxzoom', '14'], ['attribution', '© Mission survey']]) meta.run(k, v);
      db.close();
    };
    mbtiles('a-unknown', 'geojson');
    server = await startServer({ dataDir, signIn: false });
    expect((await api<{ styleUrl: string | null }>(server.url, 'GET', '/api/basemap')).body.styleUrl).toBeNull();
    expect((await api(server.url, 'GET', '/api/basemap/raster-style.json')).status).toBe(404);
    mbtiles('c-vector', 'pbf');

    mbtiles('b-raster', 'png');
    expect((await api<{ styleUrl: string | null }>(server.url, 'GET', '/api/basemap')).body.styleUrl).toBe('/api/basemap/raster-style.json');
    const style = await api<{ sources: { basemap: { type: string; tiles: string[]; minzoom: number; maxzoom: number; attribution: string } } }>(
      server.url,
      'GET',
      '/api/basemap/raster-style.json',
    );
    expect(style.body.sources.basemap).toMatchObject({
      type: 'raster',
      tiles: [`${server.url}/api/basemap/mbtiles/b-raster/{z}/{x}/{y}`],
      minzoom: 5,
      maxzoom: 14,
      attribution: '© Mission survey',
    });
  });

  it('makes a style for a raster PMTiles file dropped in alone', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'basemap');
    fs.mkdirSync(dir);
    const header = Buffer.alloc(127);
    header.write('PMTiles', 0, 'latin1');
    header[7] = 3;
    header[99] = 2; // png
    header[100] = 3;
    header[101] = 12;
    fs.writeFileSync(path.join(dir, 'front.pmtiles'), header);
    server = await startServer({ dataDir, signIn: false });
    const style = await api<{ sources: { basemap: { url: string; minzoom: number; maxzoom: number } } }>(server.url, 'GET', '/api/basemap/raster-style.json');
    expect(style.body.sources.basemap).toMatchObject({ url: `pmtiles://${server.url}/api/basemap/files/front.pmtiles`, minzoom: 3, maxzoom: 12 });
  });

  it('draws an OpenStreetMap vector MBTiles extract dropped in alone, serving its tiles as stored', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'basemap');
    fs.mkdirSync(dir);
    const { tiles } = writeVectorMbtiles(
      path.join(dir, 'donbas.mbtiles'),
      {
        place: {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { class: 'village', name: 'Fixtureville' }, geometry: { type: 'Point', coordinates: [37.6, 48.5] } }],
        },
      },
      { minzoom: 0, maxzoom: 2 },
    );
    expect(tiles).toBe(3);
    server = await startServer({ dataDir, signIn: false });

    expect((await api<{ styleUrl: string | null }>(server.url, 'GET', '/api/basemap')).body.styleUrl).toBe('/api/basemap/vector-style.json');
    expect((await api(server.url, 'GET', '/api/basemap/raster-style.json')).status).toBe(404);
    const style = await api<{ sources: { basemap: Record<string, unknown> }; layers: { id: string; 'source-layer'?: string }[] }>(
      server.url,
      'GET',
      '/api/basemap/vector-style.json',
    );
    expect(style.body.sources.basemap).toEqual({
      type: 'vector',
      tiles: [`${server.url}/api/basemap/mbtiles/donbas/{z}/{x}/{y}`],
      minzoom: 0,
      maxzoom: 2,
      attribution: '© Fixture contributors',
    });
    expect(style.body.layers.filter((l) => l['source-layer'] === 'place').map((l) => l.id)).toEqual(['place']);

    // Donbas at z2 is x 2, y 1: TMS row 4 - 1 - 1 = 2.
    const db = new Database(path.join(dir, 'donbas.mbtiles'), { readonly: true });
    const stored = (db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = 2 AND tile_column = 2 AND tile_row = 2').get() as { data: Buffer }).data;
    db.close();
    const tile = await fetch(`${server.url}/api/basemap/mbtiles/donbas/2/2/1`);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('application/x-protobuf');
    // Stored gzipped and sent as it is: the browser (and fetch here) unpacks it.
    expect(tile.headers.get('content-encoding')).toBe('gzip');
    expect(tile.headers.get('cache-control')).toBe('public, max-age=86400');
    const body = Buffer.from(await tile.arrayBuffer());
    expect(body.equals(zlib.gunzipSync(stored))).toBe(true);
    expect(body.includes(Buffer.from('Fixtureville'))).toBe(true);

    expect((await fetch(`${server.url}/api/basemap/mbtiles/donbas/2/0/0`)).status).toBe(204);
    for (const bad of ['2/2/x', '25/0/0', '2/-1/0']) expect((await fetch(`${server.url}/api/basemap/mbtiles/donbas/${bad}`)).status, bad).toBe(404);
  });

  it('draws a vector PMTiles archive dropped in alone, read by byte ranges', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'basemap');
    fs.mkdirSync(dir);
    const archive = Buffer.alloc(1000);
    archive.write('PMTiles', 0, 'latin1');
    archive[7] = 3;
    archive[99] = 1; // Mapbox Vector Tiles
    archive[100] = 0;
    archive[101] = 14;
    for (let i = 127; i < archive.length; i++) archive[i] = i % 251;
    fs.writeFileSync(path.join(dir, 'region.pmtiles'), archive);
    server = await startServer({ dataDir, signIn: false });

    expect((await api<{ styleUrl: string | null }>(server.url, 'GET', '/api/basemap')).body.styleUrl).toBe('/api/basemap/vector-style.json');
    const style = await api<{ sources: { basemap: Record<string, unknown> } }>(server.url, 'GET', '/api/basemap/vector-style.json');
    expect(style.body.sources.basemap).toMatchObject({ type: 'vector', url: `pmtiles://${server.url}/api/basemap/files/region.pmtiles`, minzoom: 0, maxzoom: 14 });

    const range = await fetch(`${server.url}/api/basemap/files/region.pmtiles`, { headers: { range: 'bytes=500-599' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe('bytes 500-599/1000');
    expect(range.headers.get('accept-ranges')).toBe('bytes');
    expect(range.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(Buffer.from(await range.arrayBuffer()).equals(archive.subarray(500, 600))).toBe(true);
    // A range past the end is the API's `invalid` (400), with its reason, like any bad request.
    const past = await fetch(`${server.url}/api/basemap/files/region.pmtiles`, { headers: { range: 'bytes=5000-5100' } });
    expect(past.status).toBe(400);
    expectErrorBody(await past.json(), 'invalid');
    expect((await fetch(`${server.url}/api/basemap/files/other.pmtiles`, { headers: { range: 'bytes=0-99' } })).status).toBe(404);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { expectErrorBody } from '../support/errors.js';
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

  it('makes a style for a raster MBTiles file dropped in alone, but not for vector tiles', async () => {
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
    mbtiles('a-vector', 'pbf');
    server = await startServer({ dataDir, signIn: false });
    expect((await api<{ styleUrl: string | null }>(server.url, 'GET', '/api/basemap')).body.styleUrl).toBeNull();
    expect((await api(server.url, 'GET', '/api/basemap/raster-style.json')).status).toBe(404);

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
});

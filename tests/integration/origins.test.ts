import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectHttpError } from '../support/errors.js';
import { type TestServer, createUsers, startServer, tempDataDir } from '../support/server.js';
import { connect, connectError } from '../support/sockets.js';

/** A GET with a Host header of the caller's choosing (fetch does not let one be set). */
function getWithHost(url: string, route: string, host: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}${route}`, { headers: { host } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      })
      .on('error', reject);
  });
}

/** A data folder with a raster MBTiles file alone, so the server generates its style. */
function dataDirWithRasterTiles(): string {
  const dataDir = tempDataDir();
  fs.mkdirSync(path.join(dataDir, 'basemap'));
  const db = new Database(path.join(dataDir, 'basemap', 'region.mbtiles'));
  db.exec("CREATE TABLE metadata (name TEXT, value TEXT); INSERT INTO metadata VALUES ('format', 'png')");
  db.close();
  return dataDir;
}

type RasterStyle = { sources: { basemap: { tiles: string[] } } };

describe('origins without PUBLIC_URL or ALLOWED_ORIGINS', () => {
  let server: TestServer;
  let token: string;
  let port: string;
  beforeAll(async () => {
    server = await startServer({ dataDir: dataDirWithRasterTiles() });
    [{ token }] = await createUsers(server, ['monitor'] as const);
    port = new URL(server.url).port;
  });
  afterAll(() => server.close());

  it('refuses a socket whose Origin equals its Host when that is a host name (DNS rebinding)', async () => {
    const rebound = `evil.example:${port}`;
    const error = await connectError(server.url, { token }, { extraHeaders: { origin: `http://${rebound}`, host: rebound } });
    expect(error.message).toMatch(/not allowed|xhr poll error|websocket error/);
  });

  it('admits localhost and the address it listens on', async () => {
    for (const origin of [server.url, `http://localhost:${port}`]) {
      const { socket } = await connect(server.url, token, undefined, { extraHeaders: { origin } });
      socket.close();
    }
  });

  it('builds the raster style from Host only when Host is one of its origins', async () => {
    const own = await getWithHost(server.url, '/api/basemap/raster-style.json', `127.0.0.1:${port}`);
    expect((own.body as RasterStyle).sources.basemap.tiles).toEqual([`${server.url}/api/basemap/mbtiles/region/{z}/{x}/{y}`]);
    const rebound = await getWithHost(server.url, '/api/basemap/raster-style.json', `evil.example:${port}`);
    expectHttpError(rebound, 'invalid');
    expect(JSON.stringify(rebound.body)).toMatch(/PUBLIC_URL/);
  });
});

describe('origins with PUBLIC_URL', () => {
  const publicUrl = 'https://truceline.mission.example';
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ dataDir: dataDirWithRasterTiles(), env: { PUBLIC_URL: `${publicUrl}/` } });
    [{ token }] = await createUsers(server, ['monitor'] as const);
  });
  afterAll(() => server.close());

  it('admits the PUBLIC_URL origin and nothing else, the server\'s own address included', async () => {
    const { socket } = await connect(server.url, token, undefined, { extraHeaders: { origin: publicUrl } });
    socket.close();
    for (const origin of [server.url, 'https://evil.example']) {
      const error = await connectError(server.url, { token }, { extraHeaders: { origin } });
      expect(error, origin).toBeInstanceOf(Error);
    }
  });

  it('writes PUBLIC_URL into the raster style whatever the Host', async () => {
    const style = await getWithHost(server.url, '/api/basemap/raster-style.json', 'evil.example');
    expect(style.status).toBe(200);
    expect((style.body as RasterStyle).sources.basemap.tiles).toEqual([`${publicUrl}/api/basemap/mbtiles/region/{z}/{x}/{y}`]);
  });
});

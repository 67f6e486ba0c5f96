import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BasemapResponse } from '@truceline/shared';
import { type Request, Router } from 'express';
import { AppError } from '../../app-error.js';
import { originCheck } from '../../live/origin-policy.js';
import type { HttpServices } from '../services.js';
import { regularFileInside } from './basemap-file.js';
import { MBTILES_CONTENT_TYPES, findTiles, rasterStyle, vectorStyle } from './basemap-style.js';

/** Where a deployment puts its own map: `DATA_DIR/basemap/` (a style, PMTiles/MBTiles files, sprites, fonts). */
const BASEMAP_DIR = 'basemap';
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Which basemap the web client should use, and the files of a deployment's own basemap.
 *
 * - `GET /api/basemap` → `{styleUrl, defaultView}`: `defaultView` is `MAP_DEFAULT_VIEW` (`{lon, lat, zoom}`), where
 *   the client's map opens without a granted position or a view of its own; `styleUrl` is `MAP_STYLE_URL` when set (its host is allowed by the CSP), else `/api/basemap/files/style.json` when that file exists in
 *   `DATA_DIR/basemap/`, else `/api/basemap/raster-style.json` when a raster MBTiles/PMTiles file
 *   does, `/api/basemap/vector-style.json` when a vector one (an OpenStreetMap extract) does,
 *   else `null`: the client's built-in offline basemap (Natural Earth, GeoNames).
 * - `GET /api/basemap/files/<name>`: any regular file of that folder (a link only when it resolves
 *   to a file inside the folder), with HTTP Range support, so a style
 *   can read a PMTiles archive as `pmtiles:///api/basemap/files/region.pmtiles`.
 * - `GET /api/basemap/mbtiles/<name>/<z>/<x>/<y>`: a tile of `DATA_DIR/basemap/<name>.mbtiles`
 *   (a style's source then has `"tiles": ["/api/basemap/mbtiles/<name>/{z}/{x}/{y}"]`).
 *
 * No token is needed: a basemap holds no reports, and the sign-in screen shows the map style too.
 */
export function basemapRoutes(s: HttpServices): Router {
  const router = Router();
  const dir = path.join(s.config.dataDir, BASEMAP_DIR);
  const mbtiles = new Map<string, { db: Database.Database; contentType: string }>();
  const originAllowed = originCheck(s.config);
  // The style's URLs stay absolute (relative ones are not resolved the same way on every path
  // MapLibre loads by: page, workers, the pmtiles protocol). `Host` is the client's to write
  // (a rebinding page, a poisoned cache), so it is used only when it names an origin this
  // server accepts sockets from.
  const publicOrigin = (req: Request): string => {
    if (s.config.publicUrl) return s.config.publicUrl;
    const origin = `${req.protocol}://${req.get('host') ?? ''}`;
    if (originAllowed(origin, req.socket.localPort)) return origin;
    throw new AppError('invalid', `${origin} is not an address of this server: set PUBLIC_URL to the address users open.`);
  };

  router.get('/basemap', (_req, res) => {
    const hasStyle = fs.existsSync(path.join(dir, 'style.json'));
    const tiles = hasStyle ? undefined : findTiles(dir);
    const ownStyle = hasStyle ? '/api/basemap/files/style.json' : tiles ? `/api/basemap/${tiles.type}-style.json` : null;
    const body: BasemapResponse = { styleUrl: s.config.mapStyleUrl ?? ownStyle, defaultView: s.config.mapDefaultView };
    res.json(body);
  });

  // An MBTiles/PMTiles file dropped into the folder is enough: its style is made here.
  router.get('/basemap/:type-style.json', (req, res) => {
    const type = String(req.params.type);
    const tiles = findTiles(dir);
    if ((type !== 'raster' && type !== 'vector') || tiles?.type !== type) {
      throw new AppError('not_found', `No ${type} MBTiles or PMTiles file in DATA_DIR/basemap.`);
    }
    res.json(type === 'raster' ? rasterStyle(tiles, publicOrigin(req)) : vectorStyle(tiles, publicOrigin(req)));
  });

  router.get('/basemap/files/*file', async (req, res) => {
    const relative = (req.params as { file: string[] }).file.join('/');
    const found = await regularFileInside(dir, relative);
    if (!found) throw new AppError('not_found', 'No such file.');
    // The API's `no-store` would win over `maxAge` (send keeps a Cache-Control already set), and
    // a PMTiles archive read by ranges would then be fetched anew on every view.
    res.setHeader('Cache-Control', 'public, max-age=86400');
    // The resolved path is sent, so no link is followed a second time; with `root`, the
    // dotfile rule applies to the part inside the folder only (DATA_DIR may be under a dot folder).
    await new Promise<void>((resolve, reject) =>
      res.sendFile(found.file, { root: found.root, dotfiles: 'deny', acceptRanges: true }, (error) => (error ? reject(error) : resolve())),
    );
  });

  router.get('/basemap/mbtiles/:name/:z/:x/:y', async (req, res) => {
    const name = String(req.params.name);
    const [z, x, y] = [req.params.z, req.params.x, req.params.y].map((v) => Number.parseInt(String(v), 10)) as [number, number, number];
    if (!NAME.test(name) || ![z, x, y].every((n) => Number.isInteger(n) && n >= 0) || z > 24) throw new AppError('not_found', 'No such tile.');
    let open = mbtiles.get(name);
    if (!open) {
      const found = await regularFileInside(dir, `${name}.mbtiles`);
      if (!found) throw new AppError('not_found', `No basemap ${name}.mbtiles in DATA_DIR/basemap.`);
      // Another request may have opened it while this one looked at the file.
      open = mbtiles.get(name) ?? openMbtiles(path.join(found.root, found.file));
      mbtiles.set(name, open);
    }
    const { db, contentType } = open;
    // MBTiles rows are in TMS order: y counts from the south.
    const row = db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').get(z, x, (1 << z) - 1 - y) as { data: Buffer } | undefined;
    if (!row) {
      res.status(204).end();
      return;
    }
    // Vector tiles are usually stored gzipped; say so rather than unpacking them here.
    if (row.data[0] === 0x1f && row.data[1] === 0x8b) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type(contentType).send(row.data);
  });
  return router;
}

function openMbtiles(file: string): { db: Database.Database; contentType: string } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let format: string | undefined;
  try {
    format = (db.prepare("SELECT value FROM metadata WHERE name = 'format'").get() as { value: string } | undefined)?.value;
  } catch {
    // No metadata table: tiles are still served, as bytes of no known kind.
  }
  return { db, contentType: MBTILES_CONTENT_TYPES[(format ?? '').toLowerCase()] ?? 'application/octet-stream' };
}

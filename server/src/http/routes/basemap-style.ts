import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { labelFontFaces } from '@truceline/shared';

const RASTER_MBTILES_FORMATS = new Set(['png', 'jpg', 'jpeg', 'webp']);
// PMTiles v3 header: "PMTiles" magic, version byte 7, tile type at 99 (1 = vector, 2–5 = raster), zooms at 100–101.
const PMTILES_RASTER_TYPES = new Set([2, 3, 4, 5]);

/** A raster tile set found in `DATA_DIR/basemap/`, usable without a style of its own. */
export interface RasterTiles {
  kind: 'mbtiles' | 'pmtiles';
  name: string;
  minzoom: number;
  maxzoom: number;
  attribution?: string;
}

function readMbtiles(file: string): RasterTiles | undefined {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const meta = new Map(
      (db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]),
    );
    if (!RASTER_MBTILES_FORMATS.has((meta.get('format') ?? '').toLowerCase())) return undefined;
    const attribution = meta.get('attribution');
    return {
      kind: 'mbtiles',
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

function readPmtiles(file: string): RasterTiles | undefined {
  const header = Buffer.alloc(127);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.readSync(fd, header, 0, 127, 0) < 127) return undefined;
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1', 0, 7) !== 'PMTiles' || header[7] !== 3) return undefined;
  if (!PMTILES_RASTER_TYPES.has(header[99] ?? 0)) return undefined;
  return { kind: 'pmtiles', name: path.basename(file, '.pmtiles'), minzoom: header[100] ?? 0, maxzoom: header[101] ?? 18 };
}

/**
 * The first raster MBTiles or PMTiles file in the folder, in name order. Vector tiles need a
 * style that knows their layers, so a deployment with vector tiles supplies `style.json`.
 */
export function findRasterTiles(dir: string): RasterTiles | undefined {
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

/** A MapLibre style that draws the raster tiles, with the label font the client's layers use. */
export function rasterStyle(tiles: RasterTiles, origin: string): object {
  const source =
    tiles.kind === 'mbtiles'
      ? { tiles: [`${origin}/api/basemap/mbtiles/${tiles.name}/{z}/{x}/{y}`] }
      : { url: `pmtiles://${origin}/api/basemap/files/${tiles.name}.pmtiles` };
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

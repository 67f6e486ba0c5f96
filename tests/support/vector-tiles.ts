import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';

/** What geojson-vt takes: GeoJSON (its types come with it, not as a package of the tests). */
type FeatureCollection = ConstructorParameters<typeof GeoJSONVT>[0];

/**
 * Writes a small vector MBTiles file as planetiler or tilemaker would: every tile of zooms
 * `minzoom`..`maxzoom` that has features, gzipped Mapbox Vector Tiles in TMS rows, with the
 * metadata a reader looks at. `layers` maps a source-layer name to its features.
 */
export function writeVectorMbtiles(
  file: string,
  layers: Record<string, FeatureCollection>,
  { minzoom = 0, maxzoom = 3, attribution = '© Fixture contributors' } = {},
): { tiles: number } {
  const indexes = Object.entries(layers).map(
    ([name, data]) => [name, new GeoJSONVT(data, { maxZoom: maxzoom, indexMaxZoom: maxzoom, indexMaxPoints: 0 })] as const,
  );
  const db = new Database(file);
  db.exec(`CREATE TABLE metadata (name TEXT, value TEXT);
    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
  const meta = db.prepare('INSERT INTO metadata VALUES (?, ?)');
  for (const [k, v] of Object.entries({ name: 'fixture', format: 'pbf', minzoom: String(minzoom), maxzoom: String(maxzoom), attribution })) meta.run(k, v);
  const insert = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  let tiles = 0;
  for (let z = minzoom; z <= maxzoom; z++) {
    for (let x = 0; x < 2 ** z; x++) {
      for (let y = 0; y < 2 ** z; y++) {
        const present = Object.fromEntries(indexes.flatMap(([name, index]) => {
          const tile = index.getTile(z, x, y);
          return tile && tile.features.length > 0 ? [[name, tile]] : [];
        }));
        if (Object.keys(present).length === 0) continue;
        insert.run(z, x, 2 ** z - 1 - y, zlib.gzipSync(fromGeojsonVt(present, { version: 2 })));
        tiles++;
      }
    }
  }
  db.close();
  return { tiles };
}

// The history baseline's reads on PostgreSQL: the same plain SQL as on SQLite (viewport page,
// `reports:sync` pages, one query streamed through a cursor for the export), on the same
// database Truceline reads. Rows become reports with the server's own row mapping.
import { serverDist, serverRequire } from './deps.mjs';

function write(res, chunk) {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    res.once('drain', resolve);
    res.once('close', () => reject(new Error('closed')));
  });
}

export async function openPgReads(url) {
  const pg = serverRequire('pg');
  const Cursor = serverRequire('pg-cursor');
  const { PG_TYPES } = await serverDist('storage/postgres/connection.js');
  const rows = await serverDist('storage/sqlite/rows.js');
  // The columns the server's row mapping reads (the PostgreSQL store maps its rows with it too).
  const COLUMNS = rows.REPORT_COLUMNS;
  const FROM = rows.REPORT_FROM;
  const feature = (await serverDist('export/feature.js')).reportToFeature;
  const pool = new pg.Pool({ connectionString: url, max: 4, types: PG_TYPES });
  pool.on('error', () => undefined);
  return {
    async handle(reqUrl, res) {
      if (reqUrl.pathname === '/viewport') {
        const [minLon, minLat, maxLon, maxLat] = (reqUrl.searchParams.get('bbox') ?? '').split(',').map(Number);
        const since = Number(reqUrl.searchParams.get('sinceMs'));
        const limit = Number(reqUrl.searchParams.get('limit') ?? 1000);
        const { rows: list } = await pool.query(
          `SELECT ${COLUMNS} FROM ${FROM} WHERE r.lat BETWEEN $1 AND $2 AND r.lon BETWEEN $3 AND $4
             AND r.observed_end >= $5 AND r.observed_at >= $6 ORDER BY r.observed_at DESC, r.id DESC LIMIT $7`,
          [minLat, maxLat, minLon, maxLon, since, since - 86_400_000, limit],
        );
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ reports: list.map(rows.reportFromRow) }));
        return true;
      }
      if (reqUrl.pathname === '/export') {
        res.setHeader('content-type', 'application/geo+json');
        const client = await pool.connect();
        let cursor;
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          cursor = client.query(new Cursor(`SELECT ${COLUMNS} FROM ${FROM} ORDER BY r.observed_at DESC, r.id DESC`));
          await write(res, '{"type":"FeatureCollection","features":[\n');
          let n = 0;
          for (;;) {
            const chunk = await cursor.read(500);
            if (chunk.length === 0) break;
            let text = '';
            for (const row of chunk) text += (n++ === 0 ? '' : ',\n') + JSON.stringify(feature(rows.reportFromRow(row)));
            await write(res, text);
          }
          await write(res, '\n]}\n');
          res.end();
        } catch {
          res.destroy();
        } finally {
          await cursor?.close().catch(() => undefined);
          await client.query('ROLLBACK').catch(() => undefined);
          client.release();
        }
        return true;
      }
      return false;
    },
    async sync(args) {
      const limit = args?.limit ?? 500;
      const { rows: list } = await pool.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE r.seq > $1 ORDER BY r.seq LIMIT $2`, [args?.afterSeq ?? 0, limit + 1]);
      const reports = list.slice(0, limit).map(rows.reportFromRow);
      return { reports, lastSeq: reports.at(-1)?.seq ?? 0, hasMore: list.length > limit };
    },
    close: () => pool.end(),
  };
}

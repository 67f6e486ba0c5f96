// The raw baseline: a bare Socket.IO server on the same machine that only acknowledges (and,
// with BASELINE_BROADCAST=1, broadcasts) the same payloads Truceline handles. With
// BASELINE_DB set it also serves the history scenario's reads straight from the same SQLite
// file with plain SQL: a viewport page, `reports:sync` pages and a per-feature
// `JSON.stringify` GeoJSON stream, and the summary's aggregation statement (BASELINE_PG: the
// same reads from a PostgreSQL database). With BASELINE_DURABLE_SQLITE (a file) or
// BASELINE_DURABLE_PG (a database URL) it group-commits every report to that engine before
// acknowledging it: the ingest scenario's durable baseline. No auth, no validation, no grouping.
import http from 'node:http';
import { BetterSqlite, serverDist, socketIoServer } from './lib/deps.mjs';
import { openDurableLog } from './lib/durable-log.mjs';
import { openPgReads } from './lib/pg-reads.mjs';

const port = Number(process.env.PORT ?? 0);
const broadcast = process.env.BASELINE_BROADCAST === '1';
const dbFile = process.env.BASELINE_DB;
const pgReads = process.env.BASELINE_PG ? await openPgReads(process.env.BASELINE_PG) : undefined;
const durable =
  process.env.BASELINE_DURABLE_SQLITE || process.env.BASELINE_DURABLE_PG
    ? await openDurableLog({ sqliteFile: process.env.BASELINE_DURABLE_SQLITE, pgUrl: process.env.BASELINE_DURABLE_PG })
    : undefined;

const { Server } = socketIoServer();
let seq = 0;

/** The shape Truceline sends back: the input plus the fields the server adds. */
function asReport(input) {
  return {
    ...input,
    location: input.location ?? { lon: input.observer?.lon ?? 0, lat: input.observer?.lat ?? 0 },
    locationMethod: input.location ? 'direct' : 'bearing',
    uncertaintyM: input.location?.accuracyM ?? 1000,
    receivedAt: new Date().toISOString(),
    status: 'pending',
    incidentId: '019ac6d0-0000-7000-8000-000000000000',
    areaId: '872a1072bffffff',
    reporter: { id: '019ac6d0-0000-7000-8000-000000000001', username: 'bench-monitor-0' },
    seq: ++seq,
  };
}

let db;
let rows;
if (dbFile) {
  const Database = BetterSqlite();
  db = new Database(dbFile, { readonly: true, fileMustExist: true });
  rows = await serverDist('storage/sqlite/rows.js');
}
const talliesSql = dbFile ? (await serverDist('storage/sqlite/incident-tallies.js')).incidentTalliesSql : undefined;
const withIndexBounds = dbFile ? (await serverDist('storage/report-filter.js')).withIndexBounds : undefined;
const feature = dbFile ? (await serverDist('export/feature.js')).reportToFeature : undefined;
// The columns the server's row mapping reads (review and superseded_by included).
const COLUMNS = rows?.REPORT_COLUMNS;
const FROM = rows?.REPORT_FROM;

function write(res, chunk) {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    res.once('drain', resolve);
    res.once('close', () => reject(new Error('closed')));
  });
}

const httpServer = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/api/health') {
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
    return;
  }
  if (pgReads && (await pgReads.handle(url, res))) return;
  if (db && url.pathname === '/viewport') {
    const [minLon, minLat, maxLon, maxLat] = (url.searchParams.get('bbox') ?? '').split(',').map(Number);
    const since = Number(url.searchParams.get('sinceMs'));
    const limit = Number(url.searchParams.get('limit') ?? 1000);
    const list = db
      .prepare(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?
           AND r.observed_end >= ? AND r.observed_at >= ? ORDER BY r.observed_at DESC, r.id DESC LIMIT ?`,
      )
      .all(minLat, maxLat, minLon, maxLon, since, since - 86_400_000, limit)
      .map(rows.reportFromRow);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ reports: list }));
    return;
  }
  if (db && url.pathname === '/summary') {
    // The summary's aggregation statement as is, its rows sent as JSON.
    const query = talliesSql(withIndexBounds({ sinceMs: Number(url.searchParams.get('sinceMs')), untilMs: Number(url.searchParams.get('untilMs')) }));
    const tallies = db.prepare(query.sql).all(...query.params);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ tallies }));
    return;
  }
  if (db && url.pathname === '/export') {
    res.setHeader('content-type', 'application/geo+json');
    try {
      await write(res, '{"type":"FeatureCollection","features":[\n');
      let text = '';
      let n = 0;
      for (const row of db.prepare(`SELECT ${COLUMNS} FROM ${FROM} ORDER BY r.observed_at DESC, r.id DESC`).iterate()) {
        text += (n === 0 ? '' : ',\n') + JSON.stringify(feature(rows.reportFromRow(row)));
        if (++n % 500 === 0) {
          await write(res, text);
          text = '';
        }
      }
      await write(res, `${text}\n]}\n`);
      res.end();
    } catch {
      res.destroy();
    }
    return;
  }
  res.statusCode = 404;
  res.end();
});

const io = new Server(httpServer, { serveClient: false, pingInterval: 20_000, pingTimeout: 25_000, maxHttpBufferSize: 2e6 });
io.on('connection', (socket) => {
  socket.on('report:submit', (input, ack) => {
    const report = asReport(input);
    const answer = () => {
      if (broadcast) io.emit('reports:new', [report]);
      if (typeof ack === 'function') ack({ ok: true, report, duplicate: false });
    };
    if (!durable) return answer();
    durable.store({ id: String(input?.id), body: JSON.stringify(report) }).then(answer, (error) => {
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'storage', message: String(error?.message) } });
    });
  });
  if (pgReads) socket.on('reports:sync', (args, ack) => void pgReads.sync(args).then(ack));
  if (db) {
    const page = db.prepare(`SELECT ${COLUMNS} FROM ${FROM} WHERE r.seq > ? ORDER BY r.seq LIMIT ?`);
    socket.on('reports:sync', (args, ack) => {
      const limit = args?.limit ?? 500;
      const list = page.all(args?.afterSeq ?? 0, limit + 1).map(rows.reportFromRow);
      const hasMore = list.length > limit;
      const reports = list.slice(0, limit);
      ack({ reports, lastSeq: reports.at(-1)?.seq ?? 0, hasMore });
    });
  }
});

httpServer.listen(port, '127.0.0.1', () => {
  process.stdout.write(`baseline listening on ${httpServer.address().port}\n`);
});
const shutdown = () => {
  io.close();
  db?.close();
  void durable?.close();
  void pgReads?.close();
  process.exit(0);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

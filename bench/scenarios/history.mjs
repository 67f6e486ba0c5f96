// Scenario 3 — history: a database of N stored reports (1,000,000 over three years along the
// front). Per repetition: the server's start until `/api/health` answers 200; viewport loads
// (last 24 h of the history, one oblast's bbox); `reports:sync` throughput; a GeoJSON export
// of everything with the server's RSS sampled meanwhile. Baseline: the raw server reading the
// same file with plain SQL (and for the export, one query streamed feature by feature).
// On PostgreSQL (pg1, pg3) the history is seeded once into a template database through the
// server's own code and copied per repetition; the baseline reads that copy with the same SQL.
// pg3: start is until all three processes answer, the viewport GETs go round-robin over them,
// the sync and the export go to one process (a different one each repetition).
import path from 'node:path';
import { copyDataDir, readAccounts } from '../lib/accounts.mjs';
import { createDatabase, dropDatabase, isPg, startDeployment, uniqueName } from '../lib/engines.mjs';
import { OBLAST_BBOX, isoSeconds } from '../lib/front.mjs';
import { ensureHistory, ensurePgHistory, readMeta } from '../lib/history-cache.mjs';
import { sampleRss } from '../lib/proc.mjs';
import { startBaseline } from '../lib/servers.mjs';

/** The bare server reading the same history: the SQLite file, or a copy of the PostgreSQL template. */
async function startHistoryBaseline(engine, dir, pgTemplate) {
  if (!isPg(engine)) return startBaseline({ BASELINE_DB: path.join(dir, 'truceline.sqlite') });
  const name = uniqueName('truceline_bench_hb');
  const url = await createDatabase(name, pgTemplate);
  const server = await startBaseline({ BASELINE_PG: url });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await dropDatabase(name);
    },
  };
}

export async function history(ctx, { reports, checkpoints, engine = 'sqlite' }) {
  const pg = isPg(engine) ? await ensurePgHistory(ctx, reports) : undefined;
  const seeded = pg ? pg.dir : await ensureHistory(ctx, reports, checkpoints);
  const meta = readMeta(seeded);
  const label = `history ${reports.toLocaleString('en')} reports [${engine}]`;
  ctx.log(`${label}: starting`);
  const dir = path.join(ctx.runDir, `history-${engine}`);
  copyDataDir(seeded, dir);
  const token = readAccounts(dir).coordinators[0].token;
  const bbox = OBLAST_BBOX.join(',');
  const sinceMs = meta.endMs - 86_400_000;
  const filter = `bbox=${bbox}&since=${isoSeconds(sinceMs)}`;
  const gets = ctx.quick ? 20 : 200;
  const syncReports = ctx.quick ? 5_000 : 100_000;
  const runs = { T: [], B: [] };
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const key of rep % 2 === 0 ? ['T', 'B'] : ['B', 'T']) {
      const server =
        key === 'T'
          ? await startDeployment(ctx, engine, pg ? { template: seeded, pgTemplate: pg.template, dataDir: path.join(ctx.runDir, `history-${engine}-run`) } : { template: dir, dataDir: dir })
          : await startHistoryBaseline(engine, dir, pg?.template);
      const urls = server.urls ?? [server.url];
      // The process that serves this repetition's sync and export (pg3: a different one each time).
      const one = urls[rep % urls.length];
      const pid = (server.pids ?? [server.child.pid])[rep % urls.length];
      try {
        const r = { startMs: server.startMs };
        const viewport = key === 'T' ? `/api/reports?${filter}&limit=1000` : `/viewport?bbox=${bbox}&sinceMs=${sinceMs}&limit=1000`;
        r.viewport = await ctx.lg.call('httpGets', { url: viewport, bases: urls, token, n: gets });
        if (key === 'T') {
          r.incidents = await ctx.lg.call('httpGets', { url: `/api/incidents?${filter}`, bases: urls, token, n: Math.ceil(gets / 4) });
          r.areas = await ctx.lg.call('httpGets', { url: `/api/areas?${filter}`, bases: urls, token, n: Math.ceil(gets / 4) });
          // What the web client asks for right after signing in: every incident and area,
          // unfiltered (client/src/net/live-connection.ts). Once per run: it grows with the store.
          if (rep === 0) {
            r.allAreas = await ctx.lg.call('httpGets', { url: `${one}/api/areas`, token, n: 1 });
            r.allIncidents = await ctx.lg.call('httpGets', { url: `${one}/api/incidents`, token, n: 1 });
          }
        }
        r.sync = await ctx.lg.call('sync', { url: one, token, maxReports: syncReports });
        const rss = sampleRss(pid);
        r.export = await ctx.lg.call('download', { url: `${one}${key === 'T' ? '/api/export.geojson' : '/export'}`, token });
        const { before, peak } = rss.stop();
        r.rssGrowthMB = (peak - before) / 1e6;
        r.rssPeakMB = peak / 1e6;
        runs[key].push(r);
        ctx.log(
          `  rep ${rep + 1} ${key}: start ${r.startMs.toFixed(0)} ms, viewport p99 ${r.viewport.p99.toFixed(1)} ms (${r.viewport.items} reports), ` +
            `sync ${r.sync.perSecond.toFixed(0)}/s, export ${r.export.mbPerSecond.toFixed(1)} MB/s (${(r.export.bytes / 1e6).toFixed(0)} MB), RSS +${r.rssGrowthMB.toFixed(0)} MB` +
            (r.allAreas ? `; unfiltered /api/areas ${r.allAreas.p50.toFixed(0)} ms (${r.allAreas.items}), /api/incidents ${r.allIncidents.p50.toFixed(0)} ms (${r.allIncidents.items})` : ''),
        );
      } finally {
        await server.stop();
      }
    }
  }
  const t = (f) => runs.T.map(f);
  const b = (f) => runs.B.map(f);
  ctx.record({ scenario: label, metric: 'start to /api/health 200', unit: 'ms', t: t((r) => r.startMs), b: b((r) => r.startMs), target: { max: 5000 } });
  ctx.record({ scenario: label, metric: 'viewport (24 h, oblast) p50', unit: 'ms', t: t((r) => r.viewport.p50), b: b((r) => r.viewport.p50) });
  ctx.record({
    scenario: label,
    metric: 'viewport (24 h, oblast) p99',
    unit: 'ms',
    t: t((r) => r.viewport.p99),
    b: b((r) => r.viewport.p99),
    target: { max: 50 },
    note: `${runs.T[0]?.viewport.items} reports per answer (limit 1000)`,
  });
  ctx.record({ scenario: label, metric: 'viewport incidents p99', unit: 'ms', t: t((r) => r.incidents.p99), b: null });
  ctx.record({ scenario: label, metric: 'viewport areas p99', unit: 'ms', t: t((r) => r.areas.p99), b: null });
  const first = runs.T[0];
  ctx.record({ scenario: label, metric: 'unfiltered /api/areas (once)', unit: 'ms', t: [first.allAreas.p50], b: null, note: `${first.allAreas.items} areas` });
  ctx.record({ scenario: label, metric: 'unfiltered /api/incidents (once)', unit: 'ms', t: [first.allIncidents.p50], b: null, note: `${first.allIncidents.items} incidents` });
  ctx.record({ scenario: label, metric: 'reports:sync', unit: 'reports/s', t: t((r) => r.sync.perSecond), b: b((r) => r.sync.perSecond) });
  ctx.record({ scenario: label, metric: 'GeoJSON export', unit: 'MB/s', t: t((r) => r.export.mbPerSecond), b: b((r) => r.export.mbPerSecond), target: { ratioMin: 0.7 } });
  ctx.record({
    scenario: label,
    metric: 'server RSS growth during export',
    unit: 'MB',
    t: t((r) => r.rssGrowthMB),
    b: b((r) => r.rssGrowthMB),
    target: { max: 150 },
    note: `export ${(runs.T[0]?.export.bytes / 1e6).toFixed(0)} MB; Truceline peak RSS ${Math.max(...t((r) => r.rssPeakMB)).toFixed(0)} MB`,
  });
}

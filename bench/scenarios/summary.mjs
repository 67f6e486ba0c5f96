// Scenario 6 — summary: `GET /api/summary` over the last 30 days of the seeded history
// (1,000,000 reports), by day with a 19:30 cut-off in Europe/Kyiv. Baseline: the raw server
// running the store's own aggregation statement (`incidentTalliesSql`) on the same file and
// sending its rows as JSON, so the ratio is what the route adds: auth, the read budget, the
// bucketing into periods in the mission's time zone, and the answer.
import path from 'node:path';
import { copyDataDir, readAccounts } from '../lib/accounts.mjs';
import { serverDist } from '../lib/deps.mjs';
import { isoSeconds } from '../lib/front.mjs';
import { ensureHistory, readMeta } from '../lib/history-cache.mjs';
import { startBaseline, startTruceline } from '../lib/servers.mjs';

const DAYS = 30;

export async function summary(ctx, { reports, checkpoints }) {
  const seeded = await ensureHistory(ctx, reports, checkpoints);
  const meta = readMeta(seeded);
  const label = `summary ${reports.toLocaleString('en')} reports`;
  ctx.log(`${label}: starting`);
  const dir = path.join(ctx.runDir, 'summary');
  copyDataDir(seeded, dir);
  // Migrate the copy before either side reads it: the baseline opens it read-only and its
  // statement needs the schema of this build.
  const { SqliteStore } = await serverDist('storage/sqlite/sqlite-store.js');
  await SqliteStore.open(dir).close();
  const token = readAccounts(dir).coordinators[0].token;
  const untilMs = meta.endMs;
  const sinceMs = untilMs - DAYS * 86_400_000;
  const gets = ctx.quick ? 10 : 50;
  const runs = { T: [], B: [] };
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const key of rep % 2 === 0 ? ['T', 'B'] : ['B', 'T']) {
      const env = { MISSION_TIMEZONE: 'Europe/Kyiv' };
      const server = key === 'T' ? await startTruceline(dir, env) : await startBaseline({ BASELINE_DB: path.join(dir, 'truceline.sqlite') });
      try {
        const route =
          key === 'T'
            ? `/api/summary?since=${isoSeconds(sinceMs)}&until=${isoSeconds(untilMs)}&period=day&cutoff=19:30`
            : `/summary?sinceMs=${sinceMs}&untilMs=${untilMs}`;
        // One unmeasured answer first: the page cache holds the range afterwards on both sides.
        await ctx.lg.call('httpGets', { url: `${server.url}${route}`, token, n: 1 });
        const r = await ctx.lg.call('httpGets', { url: `${server.url}${route}`, token, n: gets });
        runs[key].push(r);
        ctx.log(`  rep ${rep + 1} ${key}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.items} ${key === 'T' ? 'periods' : 'incident rows'})`);
      } finally {
        await server.stop();
      }
    }
  }
  const t = (f) => runs.T.map(f);
  const b = (f) => runs.B.map(f);
  ctx.record({ scenario: label, metric: `summary ${DAYS} days by day p50`, unit: 'ms', t: t((r) => r.p50), b: b((r) => r.p50) });
  ctx.record({
    scenario: label,
    metric: `summary ${DAYS} days by day p99`,
    unit: 'ms',
    t: t((r) => r.p99),
    b: b((r) => r.p99),
    target: { max: 500 },
    note: `${runs.B[0]?.items} incidents aggregated`,
  });
}

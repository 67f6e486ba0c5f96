// Scenario 2 — ingest burst: 200 monitors each submit, wait for the ack and submit again, as
// fast as the server allows, while 10 watchers receive the broadcasts. Truceline runs twice:
// with the 200 submitting sockets receiving every commit like any web client (T), and with
// them as submit-only uplinks, `live: 'none'` (U). Baseline: a bare Socket.IO server that only
// acknowledges, and one that also broadcasts every report to every socket. Afterwards both
// Truceline servers are killed with SIGKILL and their databases are opened to check every
// acknowledged report is in them.
import path from 'node:path';
import { copyDataDir, readAccounts } from '../lib/accounts.mjs';
import { BetterSqlite } from '../lib/deps.mjs';
import { startBaseline, startTruceline } from '../lib/servers.mjs';
import { exited, withCpu } from '../lib/proc.mjs';

/**
 * The burst's reports are observed over the past three days (monitors back online after a
 * blackout, flushing their outboxes), so they land at the front's real density. Reports all
 * observed in the same few minutes would chain every incident along the front into one (see
 * BENCHMARKS.md, "hot burst").
 */
const SPREAD_MS = 3 * 86_400_000;
const pct = (x) => `${(x * 100).toFixed(0)} %`;

export async function ingest(ctx, { monitors = 200, watchers = 10 } = {}) {
  const label = `ingest burst, ${monitors} monitors + ${watchers} watchers${ctx.live === 'items' ? ' (live: items)' : ''}`;
  ctx.log(`${label}: starting`);
  const dir = path.join(ctx.runDir, 'ingest');
  copyDataDir(ctx.accountsDir, dir);
  const uplinkDir = path.join(ctx.runDir, 'ingest-uplink');
  copyDataDir(ctx.accountsDir, uplinkDir);
  const accounts = readAccounts(ctx.accountsDir);
  const monitorTokens = accounts.monitors.slice(0, monitors).map((a) => a.token);
  const watcherTokens = accounts.coordinators.map((a) => a.token);
  const t = await startTruceline(dir);
  // The same server, but the 200 submitting monitors are submit-only uplinks (`live: 'none'`):
  // only the 10 watchers get the broadcasts, as only the baseline's watchers would.
  const u = await startTruceline(uplinkDir);
  const b = await startBaseline({ BASELINE_BROADCAST: '0' });
  // A second raw server also broadcasts every report to every socket: Truceline must (the
  // contract emits to every authenticated socket), so this shows what the broadcast alone costs.
  const bb = await startBaseline({ BASELINE_BROADCAST: '1' });
  const sides = {
    T: { server: t, pool: 'tm', watch: 'tw', live: ctx.live, dir },
    U: { server: u, pool: 'um', watch: 'uw', live: 'none', watchLive: ctx.live, dir: uplinkDir },
    B: { server: b, pool: 'bm', watch: 'bw' },
    BB: { server: bb, pool: 'bbm', watch: 'bbw' },
  };
  const acked = { T: [], U: [] };
  try {
    for (const side of Object.values(sides)) {
      await ctx.lg.call('connect', { pool: side.pool, url: side.server.url, tokens: monitorTokens, n: monitors, watch: false, live: side.live });
      await ctx.lg.call('connect', { pool: side.watch, url: side.server.url, tokens: watcherTokens, n: watchers, live: side.watchLive ?? side.live });
    }
    const durationMs = ctx.quick ? 1500 : 5000;
    for (const [key, side] of Object.entries(sides)) await ctx.lg.call('ingest', { pool: side.pool, durationMs: 1000, seed: 7, keepIds: key in acked, spreadMs: SPREAD_MS });
    const runs = { T: [], U: [], B: [], BB: [] };
    const orders = [['T', 'B', 'U', 'BB'], ['BB', 'T', 'B', 'U'], ['U', 'BB', 'T', 'B'], ['B', 'U', 'BB', 'T']];
    for (let rep = 0; rep < ctx.reps; rep++) {
      for (const key of orders[rep % orders.length]) {
        const { result: r, cpu } = await withCpu([sides[key].server.child.pid, ctx.lg.child.pid], () =>
          ctx.lg.call('ingest', { pool: sides[key].pool, durationMs, seed: 200 + rep, keepIds: key in acked, spreadMs: SPREAD_MS }),
        );
        if (key in acked) acked[key].push(...r.ids);
        runs[key].push(r);
        const errors = Object.keys(r.errors).length ? ` errors ${JSON.stringify(r.errors)}` : '';
        ctx.log(`  rep ${rep + 1} ${key}: ${r.perSecond.toFixed(0)} acks/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; CPU server ${pct(cpu[0])}, load generator ${pct(cpu[1])}${errors}`);
      }
    }
    // Crash the servers: what was acknowledged must be on disk. (A profiled run stops them
    // gracefully instead, so the CPU profiles get written.)
    const found = {};
    for (const key of Object.keys(acked)) {
      const { server, dir: dataDir } = sides[key];
      if (ctx.profile) await server.stop();
      server.child.kill('SIGKILL');
      await exited(server.child);
      const Database = BetterSqlite();
      const db = new Database(path.join(dataDir, 'truceline.sqlite'), { readonly: true });
      const has = db.prepare('SELECT 1 FROM reports WHERE id = ?');
      found[key] = acked[key].filter((id) => has.get(id)).length;
      db.close();
      ctx.log(`  ${key} after ${ctx.profile ? 'SIGTERM' : 'SIGKILL'}: ${found[key]} of ${acked[key].length} acknowledged reports are in the database`);
    }
    const pick = (key, f) => runs[key].map(f);
    ctx.record({
      scenario: label,
      metric: 'durable reports/s',
      unit: '/s',
      better: 'higher',
      t: pick('T', (r) => r.perSecond),
      b: pick('B', (r) => r.perSecond),
      target: { ratioMin: 0.5 },
      note: `${found.T}/${acked.T.length} acked reports found after SIGKILL; Truceline's 200 submitting sockets get every commit (live: ${ctx.live})`,
      pass: found.T === acked.T.length,
    });
    ctx.record({
      scenario: label,
      metric: 'durable reports/s, submit-only uplinks',
      unit: '/s',
      better: 'higher',
      t: pick('U', (r) => r.perSecond),
      b: pick('B', (r) => r.perSecond),
      target: { ratioMin: 0.5 },
      note: `${found.U}/${acked.U.length} acked reports found after SIGKILL; the 200 submitting sockets ask for live: none, the 10 watchers get every commit (live: ${ctx.live})`,
      pass: found.U === acked.U.length,
    });
    ctx.record({
      scenario: label,
      metric: 'durable reports/s vs raw ack+broadcast',
      unit: '/s',
      better: 'higher',
      t: pick('T', (r) => r.perSecond),
      b: pick('BB', (r) => r.perSecond),
    });
    ctx.record({ scenario: label, metric: 'ack p50', unit: 'ms', better: 'lower', t: pick('T', (r) => r.p50), b: pick('B', (r) => r.p50) });
    ctx.record({ scenario: label, metric: 'ack p99', unit: 'ms', better: 'lower', t: pick('T', (r) => r.p99), b: pick('B', (r) => r.p99), target: { ratioMax: 2 } });
    ctx.record({ scenario: label, metric: 'ack p50, submit-only uplinks', unit: 'ms', better: 'lower', t: pick('U', (r) => r.p50), b: pick('B', (r) => r.p50) });
    ctx.record({ scenario: label, metric: 'ack p99, submit-only uplinks', unit: 'ms', better: 'lower', t: pick('U', (r) => r.p99), b: pick('B', (r) => r.p99), target: { ratioMax: 2 } });
  } finally {
    for (const side of Object.values(sides)) {
      await ctx.lg.call('disconnect', { pool: side.pool });
      await ctx.lg.call('disconnect', { pool: side.watch });
    }
    await t.stop();
    await u.stop();
    await b.stop();
    await bb.stop();
  }
}

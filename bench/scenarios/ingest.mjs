// Scenario 2 — ingest burst: 200 monitors each submit, wait for the ack and submit again, as
// fast as the server allows, while 10 watchers receive the broadcasts. Truceline runs twice:
// with the 200 submitting sockets receiving every commit like any web client (T), and with
// them as submit-only uplinks, `live: 'none'` (U). Baseline: a bare Socket.IO server that only
// acknowledges, one that also broadcasts every report to every socket, and the durable
// baseline D: a bare server that group-commits the same payload to the same engine before it
// acknowledges (SQLite: WAL + synchronous=FULL, one transaction per batch; PostgreSQL: one
// INSERT per batch, synchronous_commit=on). Afterwards every Truceline process is killed with
// SIGKILL and its database is read to check every acknowledged report is in it.
// Per engine: sqlite, pg1, pg3 (T and U each three processes on a database of their own, the
// 200 submitters and 10 watchers round-robin over them; the baselines stay one process each).
import fs from 'node:fs';
import path from 'node:path';
import { readAccounts } from '../lib/accounts.mjs';
import { BetterSqlite } from '../lib/deps.mjs';
import { accountsFor, createDatabase, dropDatabase, isPg, processesOf, startDeployment, uniqueName, withDatabase } from '../lib/engines.mjs';
import { startBaseline } from '../lib/servers.mjs';
import { exited, stop, withCpu } from '../lib/proc.mjs';

/**
 * The burst's reports are observed over the past three days (monitors back online after a
 * blackout, flushing their outboxes), so they land at the front's real density. Reports all
 * observed in the same few minutes would chain every incident along the front into one (see
 * BENCHMARKS.md, "hot burst").
 */
const SPREAD_MS = 3 * 86_400_000;
const pct = (x) => `${(x * 100).toFixed(0)} %`;

/** Starts the durable baseline on `engine`'s storage: a fresh SQLite file, or a fresh database on the same PostgreSQL. */
async function startDurableBaseline(ctx, engine) {
  if (!isPg(engine)) {
    const file = path.join(ctx.runDir, 'ingest-durable.sqlite');
    fs.rmSync(file, { force: true });
    const server = await startBaseline({ BASELINE_BROADCAST: '0', BASELINE_DURABLE_SQLITE: file });
    return { ...server, stop: async () => server.stop() };
  }
  const name = uniqueName('truceline_bench_durable');
  const url = await createDatabase(name);
  const server = await startBaseline({ BASELINE_BROADCAST: '0', BASELINE_DURABLE_PG: url });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await dropDatabase(name);
    },
  };
}

/** How many of `ids` are stored in the deployment's database. */
async function countStored(deployment, ids) {
  if (deployment.databaseUrl) {
    return withDatabase(deployment.databaseUrl, async (c) => {
      let n = 0;
      for (let i = 0; i < ids.length; i += 10_000) {
        n += Number((await c.query('SELECT count(*) AS n FROM reports WHERE id = ANY($1::text[])', [ids.slice(i, i + 10_000)])).rows[0].n);
      }
      return n;
    });
  }
  const Database = BetterSqlite();
  const db = new Database(path.join(deployment.dataDir, 'truceline.sqlite'), { readonly: true });
  const has = db.prepare('SELECT 1 FROM reports WHERE id = ?');
  const n = ids.filter((id) => has.get(id)).length;
  db.close();
  return n;
}

export async function ingest(ctx, { monitors = 200, watchers = 10, engine = 'sqlite' } = {}) {
  const label = `ingest burst, ${monitors} monitors + ${watchers} watchers [${engine}]${ctx.live === 'items' ? ' (live: items)' : ''}`;
  ctx.log(`${label}: starting`);
  const template = accountsFor(ctx, engine);
  const accounts = readAccounts(template);
  const monitorTokens = accounts.monitors.slice(0, monitors).map((a) => a.token);
  const watcherTokens = accounts.coordinators.map((a) => a.token);
  const deploy = (name) => startDeployment(ctx, engine, { template, pgTemplate: ctx.pgAccounts?.template, dataDir: path.join(ctx.runDir, `ingest-${engine}-${name}`) });
  const t = await deploy('t');
  // The same server, but the 200 submitting monitors are submit-only uplinks (`live: 'none'`):
  // only the 10 watchers get the broadcasts, as only the baseline's watchers would.
  const u = await deploy('u');
  const b = await startBaseline({ BASELINE_BROADCAST: '0' });
  // A second raw server also broadcasts every report to every socket: Truceline must (the
  // contract emits to every authenticated socket), so this shows what the broadcast alone costs.
  const bb = await startBaseline({ BASELINE_BROADCAST: '1' });
  const d = await startDurableBaseline(ctx, engine);
  const one = (server) => ({ urls: [server.url], pids: [server.child.pid] });
  const sides = {
    T: { server: t, urls: t.urls, pids: t.pids, pool: 'tm', watch: 'tw', live: ctx.live },
    U: { server: u, urls: u.urls, pids: u.pids, pool: 'um', watch: 'uw', live: 'none', watchLive: ctx.live },
    B: { server: b, ...one(b), pool: 'bm', watch: 'bw' },
    BB: { server: bb, ...one(bb), pool: 'bbm', watch: 'bbw' },
    D: { server: d, ...one(d), pool: 'dm', watch: 'dw' },
  };
  const acked = { T: [], U: [] };
  try {
    for (const side of Object.values(sides)) {
      await ctx.lg.call('connect', { pool: side.pool, urls: side.urls, tokens: monitorTokens, n: monitors, watch: false, live: side.live });
      await ctx.lg.call('connect', { pool: side.watch, urls: side.urls, tokens: watcherTokens, n: watchers, live: side.watchLive ?? side.live });
    }
    const durationMs = ctx.quick ? 1500 : 5000;
    for (const [key, side] of Object.entries(sides)) await ctx.lg.call('ingest', { pool: side.pool, durationMs: 1000, seed: 7, keepIds: key in acked, spreadMs: SPREAD_MS });
    const runs = { T: [], U: [], B: [], BB: [], D: [] };
    const orders = [['T', 'B', 'U', 'D', 'BB'], ['BB', 'T', 'D', 'B', 'U'], ['U', 'BB', 'T', 'B', 'D'], ['D', 'U', 'BB', 'T', 'B'], ['B', 'D', 'U', 'BB', 'T']];
    for (let rep = 0; rep < ctx.reps; rep++) {
      for (const key of orders[rep % orders.length]) {
        const { result: r, cpu } = await withCpu([...sides[key].pids, ctx.lg.child.pid], () =>
          ctx.lg.call('ingest', { pool: sides[key].pool, durationMs, seed: 200 + rep, keepIds: key in acked, spreadMs: SPREAD_MS }),
        );
        if (key in acked) acked[key].push(...r.ids);
        runs[key].push(r);
        const errors = Object.keys(r.errors).length ? ` errors ${JSON.stringify(r.errors)}` : '';
        const serverCpu = cpu.slice(0, -1).reduce((a, x) => a + x, 0);
        ctx.log(`  rep ${rep + 1} ${key}: ${r.perSecond.toFixed(0)} acks/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; CPU server ${pct(serverCpu)}, load generator ${pct(cpu.at(-1))}${errors}`);
      }
    }
    // Crash the servers: what was acknowledged must be on disk. (A profiled run stops them
    // gracefully instead, so the CPU profiles get written.)
    const found = {};
    for (const key of Object.keys(acked)) {
      const { server } = sides[key];
      for (const child of server.children) {
        if (ctx.profile) await stop(child);
        child.kill('SIGKILL');
        await exited(child);
      }
      found[key] = await countStored(server, acked[key]);
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
    const spread = processesOf(engine) > 1 ? `; Truceline's sockets round-robin over ${processesOf(engine)} processes, each baseline one process` : '';
    ctx.record({
      scenario: label,
      metric: 'durable reports/s vs durable baseline',
      unit: '/s',
      better: 'higher',
      t: pick('T', (r) => r.perSecond),
      b: pick('D', (r) => r.perSecond),
      target: { ratioMin: 0.7 },
      note: `durable baseline: a bare server group-committing each batch to ${isPg(engine) ? 'PostgreSQL (one INSERT per batch, synchronous_commit=on)' : 'SQLite (WAL, synchronous=FULL, one transaction per batch)'} before acking, no broadcast${spread}`,
    });
    ctx.record({
      scenario: label,
      metric: 'durable reports/s, submit-only uplinks vs durable baseline',
      unit: '/s',
      better: 'higher',
      t: pick('U', (r) => r.perSecond),
      b: pick('D', (r) => r.perSecond),
      target: { ratioMin: 0.7 },
    });
    ctx.record({ scenario: label, metric: 'ack p99, submit-only uplinks vs durable baseline', unit: 'ms', better: 'lower', t: pick('U', (r) => r.p99), b: pick('D', (r) => r.p99) });
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
    await d.stop();
  }
}

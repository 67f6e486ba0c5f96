// Scenario 1 — fan-out: W watchers, reports submitted at a steady rate; latency from submit
// to the live message carrying the report at every watcher (`commit`, or `reports:new` with
// `--live=items` and at the baseline). Truceline and the bare broadcast server run side by side
// with their sockets connected; measurement windows alternate between them (T B, B T, …) so
// drift in the machine's load hits both alike.
//
// Per engine (sqlite, pg1, pg3: watchers and submitters round-robin over the processes), and in
// two views: `pinned`, the suite's own (server and load generator on separate cores, one in ten
// watchers a coordinator, the live format of `--live`), and `outsider`, measured the way an
// outside run would: every watcher a monitor account other than the submitter's, the contract's
// per-item events (no `live` in the handshake), nothing pinned (a second, unpinned load generator).
import path from 'node:path';
import { readAccounts } from '../lib/accounts.mjs';
import { accountsFor, processesOf, startDeployment } from '../lib/engines.mjs';
import { startBaseline } from '../lib/servers.mjs';
import { withCpu } from '../lib/proc.mjs';

export async function fanout(ctx, { watchers, rate, engine = 'sqlite', outsider = false }) {
  const live = outsider ? undefined : ctx.live;
  const view = outsider ? 'outsider: monitors, items, unpinned' : live === 'items' ? 'live: items' : '';
  const label = `fan-out ${watchers} watchers, ${rate}/s [${engine}]${view ? ` (${view})` : ''}`;
  ctx.log(`${label}: starting`);
  const lg = outsider ? await ctx.freeLoadgen() : ctx.lg;
  const template = accountsFor(ctx, engine);
  const accounts = readAccounts(template);
  // Pinned view: mostly monitors (redacted copies), one in ten a coordinator (full copies).
  // Outsider: monitors only, none of them the submitter.
  const watcherTokens = outsider
    ? accounts.monitors.slice(210, 220).map((a) => a.token)
    : Array.from({ length: 20 }, (_, i) => (i % 10 === 0 ? accounts.coordinators[i % accounts.coordinators.length].token : accounts.monitors[210 + (i % 10)].token));
  const submitterTokens = outsider ? [accounts.monitors[200].token] : accounts.monitors.slice(200, 210).map((a) => a.token);
  // One submitting socket per process at least, so submissions rotate over all of them.
  const submitters = outsider ? processesOf(engine) : 10;
  const pinned = !outsider;
  const t = await startDeployment(ctx, engine, {
    template,
    pgTemplate: ctx.pgAccounts?.template,
    dataDir: path.join(ctx.runDir, `fanout-${engine}-${watchers}-${rate}`),
    pinned,
  });
  const b = await startBaseline({ BASELINE_BROADCAST: '1' }, { pinned });
  const sides = {
    T: { server: t, urls: t.urls, pids: t.pids, pool: 'tw', submit: 'ts', live },
    B: { server: b, urls: [b.url], pids: [b.child.pid], pool: 'bw', submit: 'bs' },
  };
  try {
    for (const side of Object.values(sides)) {
      await lg.call('connect', { pool: side.submit, urls: side.urls, tokens: submitterTokens, n: submitters, watch: false, live: side.live });
      // Warm-up before any watcher connects: a mission's server has been up for days, its ingest
      // code compiled by the JIT long ago. At 2 reports/s a fresh process would still be
      // interpreting the schema parse and normalisation in the measured windows (0.7 ms each per
      // report instead of ~0.03 ms, profiled 2026-11-28). Observed up to 30 days back, so these
      // reports do not join the live ones' incidents.
      const warm = await lg.call('ingest', { pool: side.submit, durationMs: ctx.quick ? 500 : 2000, seed: 7, spreadMs: 30 * 86_400_000 });
      const c = await lg.call('connect', { pool: side.pool, urls: side.urls, tokens: watcherTokens, n: watchers, live: side.live });
      ctx.log(`  warmed up with ${warm.ok} reports; connected ${c.connected} watchers over ${side.urls.length} process(es) in ${(c.ms / 1000).toFixed(1)} s`);
    }
    const window = { rate, durationMs: ctx.quick ? 2000 : 10_000, graceMs: 5000 };
    for (const side of Object.values(sides)) await lg.call('fanout', { pool: side.pool, submitPool: side.submit, rate, durationMs: 1000, graceMs: 3000, seed: 1 });
    const runs = { T: [], B: [] };
    for (let rep = 0; rep < ctx.reps; rep++) {
      for (const key of rep % 2 === 0 ? ['T', 'B'] : ['B', 'T']) {
        const side = sides[key];
        const { result: r, cpu } = await withCpu([...side.pids, lg.child.pid], () =>
          lg.call('fanout', { pool: side.pool, submitPool: side.submit, ...window, seed: 100 + rep }),
        );
        // NaN travels over IPC as null: a window where nothing arrived has no latency.
        for (const k of ['p50', 'p99', 'delivered']) r[k] = typeof r[k] === 'number' ? r[k] : Number.NaN;
        runs[key].push(r);
        const serverCpu = cpu.slice(0, -1).reduce((a, x) => a + x, 0);
        const lost = r.connectedAfter < watchers ? `, only ${r.connectedAfter} of ${watchers} watchers still connected` : '';
        ctx.log(
          `  rep ${rep + 1} ${key}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, delivered ${(r.delivered * 100).toFixed(2)} %${r.duplicates ? ` (${r.duplicates} duplicates)` : ''}; ` +
            `CPU server ${(serverCpu * 100).toFixed(0)} %, load generator ${(cpu.at(-1) * 100).toFixed(0)} %${r.failed ? `, ${r.failed} failed acks` : ''}${lost}`,
        );
      }
    }
    const pick = (key, f) => runs[key].map(f);
    const duplicates = runs.T.reduce((a, r) => a + (r.duplicates ?? 0), 0);
    ctx.record({ scenario: label, metric: 'latency p50', unit: 'ms', better: 'lower', t: pick('T', (r) => r.p50), b: pick('B', (r) => r.p50) });
    ctx.record({
      scenario: label,
      metric: 'latency p99',
      unit: 'ms',
      better: 'lower',
      t: pick('T', (r) => r.p99),
      b: pick('B', (r) => r.p99),
      target: { ratioMax: 1.25 },
      note: processesOf(engine) > 1 ? `${watchers} watchers and ${submitters} submitting sockets round-robin over ${processesOf(engine)} processes; the bare server is one process` : undefined,
    });
    ctx.record({
      scenario: label,
      metric: 'delivered',
      unit: '%',
      better: 'higher',
      t: pick('T', (r) => r.delivered * 100),
      b: pick('B', (r) => r.delivered * 100),
      note: `${duplicates} duplicate deliveries at Truceline's watchers`,
      pass: duplicates === 0,
    });
  } finally {
    for (const side of Object.values(sides)) {
      await lg.call('disconnect', { pool: side.pool });
      await lg.call('disconnect', { pool: side.submit });
    }
    await t.stop();
    await b.stop();
  }
}

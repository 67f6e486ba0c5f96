// Scenario 1 — fan-out: W watchers, reports submitted at a steady rate; latency from submit
// to the live message carrying the report at every watcher (`commit`, or `reports:new` with
// `--live=items` and at the baseline). Truceline and the bare broadcast server run side by side
// with their sockets connected; measurement windows alternate between them (T B, B T, …) so
// drift in the machine's load hits both alike.
import path from 'node:path';
import { copyDataDir, readAccounts } from '../lib/accounts.mjs';
import { startBaseline, startTruceline } from '../lib/servers.mjs';
import { withCpu } from '../lib/proc.mjs';

export async function fanout(ctx, { watchers, rate }) {
  const label = `fan-out ${watchers} watchers, ${rate}/s${ctx.live === 'items' ? ' (live: items)' : ''}`;
  ctx.log(`${label}: starting`);
  const dir = path.join(ctx.runDir, `fanout-${watchers}-${rate}`);
  copyDataDir(ctx.accountsDir, dir);
  const accounts = readAccounts(ctx.accountsDir);
  // Mostly monitors (redacted copies), one in ten a coordinator (full copies): both audiences.
  const watcherTokens = Array.from({ length: 20 }, (_, i) =>
    i % 10 === 0 ? accounts.coordinators[i % accounts.coordinators.length].token : accounts.monitors[210 + (i % 10)].token,
  );
  const submitterTokens = accounts.monitors.slice(200, 210).map((a) => a.token);
  const t = await startTruceline(dir);
  const b = await startBaseline({ BASELINE_BROADCAST: '1' });
  const sides = { T: { server: t, pool: 'tw', submit: 'ts', live: ctx.live }, B: { server: b, pool: 'bw', submit: 'bs' } };
  try {
    for (const side of Object.values(sides)) {
      await ctx.lg.call('connect', { pool: side.submit, url: side.server.url, tokens: submitterTokens, n: 10, watch: false, live: side.live });
      // Warm-up before any watcher connects: a mission's server has been up for days, its ingest
      // code compiled by the JIT long ago. At 2 reports/s a fresh process would still be
      // interpreting the schema parse and normalisation in the measured windows (0.7 ms each per
      // report instead of ~0.03 ms, profiled 2026-11-28). Observed up to 30 days back, so these
      // reports do not join the live ones' incidents.
      const warm = await ctx.lg.call('ingest', { pool: side.submit, durationMs: ctx.quick ? 500 : 2000, seed: 7, spreadMs: 30 * 86_400_000 });
      const c = await ctx.lg.call('connect', { pool: side.pool, url: side.server.url, tokens: watcherTokens, n: watchers, live: side.live });
      ctx.log(`  warmed up with ${warm.ok} reports; connected ${c.connected} watchers in ${(c.ms / 1000).toFixed(1)} s`);
    }
    const window = { rate, durationMs: ctx.quick ? 2000 : 10_000, graceMs: 5000 };
    for (const side of Object.values(sides)) await ctx.lg.call('fanout', { pool: side.pool, submitPool: side.submit, rate, durationMs: 1000, graceMs: 3000, seed: 1 });
    const runs = { T: [], B: [] };
    for (let rep = 0; rep < ctx.reps; rep++) {
      for (const key of rep % 2 === 0 ? ['T', 'B'] : ['B', 'T']) {
        const side = sides[key];
        const { result: r, cpu } = await withCpu([side.server.child.pid, ctx.lg.child.pid], () =>
          ctx.lg.call('fanout', { pool: side.pool, submitPool: side.submit, ...window, seed: 100 + rep }),
        );
        // NaN travels over IPC as null: a window where nothing arrived has no latency.
        for (const k of ['p50', 'p99', 'delivered']) r[k] = typeof r[k] === 'number' ? r[k] : Number.NaN;
        runs[key].push(r);
        const lost = r.connectedAfter < watchers ? `, only ${r.connectedAfter} of ${watchers} watchers still connected` : '';
        ctx.log(
          `  rep ${rep + 1} ${key}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, delivered ${(r.delivered * 100).toFixed(2)} %; ` +
            `CPU server ${(cpu[0] * 100).toFixed(0)} %, load generator ${(cpu[1] * 100).toFixed(0)} %${r.failed ? `, ${r.failed} failed acks` : ''}${lost}`,
        );
      }
    }
    const pick = (key, f) => runs[key].map(f);
    ctx.record({ scenario: label, metric: 'latency p50', unit: 'ms', better: 'lower', t: pick('T', (r) => r.p50), b: pick('B', (r) => r.p50) });
    ctx.record({
      scenario: label,
      metric: 'latency p99',
      unit: 'ms',
      better: 'lower',
      t: pick('T', (r) => r.p99),
      b: pick('B', (r) => r.p99),
      target: { ratioMax: 1.25 },
    });
    ctx.record({
      scenario: label,
      metric: 'delivered',
      unit: '%',
      better: 'higher',
      t: pick('T', (r) => r.delivered * 100),
      b: pick('B', (r) => r.delivered * 100),
    });
  } finally {
    for (const side of Object.values(sides)) {
      await ctx.lg.call('disconnect', { pool: side.pool });
      await ctx.lg.call('disconnect', { pool: side.submit });
    }
    await t.stop();
    await b.stop();
  }
}

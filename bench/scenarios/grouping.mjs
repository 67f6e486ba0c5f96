// Scenario 4 — grouping cost per report as the store grows (10k → 1M at the same density).
// The baseline of each size is the smallest size, measured in the same run.
import path from 'node:path';
import { copyDataDir } from '../lib/accounts.mjs';
import { ensureHistory, historyDir } from '../lib/history-cache.mjs';
import { exited, spawnNode } from '../lib/proc.mjs';
import { SERVER_CORE } from '../lib/servers.mjs';

async function measure(ctx, dir) {
  const child = spawnNode([path.join(import.meta.dirname, '..', 'grouping-worker.mjs'), `--dir=${dir}`, `--reps=${ctx.reps}`, `--per-rep=${ctx.quick ? 500 : 1000}`], {
    core: SERVER_CORE,
    nodeArgs: ['--max-old-space-size=8192'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await exited(child);
  if (child.exitCode !== 0) throw new Error(`grouping worker failed: ${child.stderrText()}`);
  return JSON.parse(out.trim().split('\n').at(-1));
}

export async function grouping(ctx, { total, sizes, checkpoints }) {
  await ensureHistory(ctx, total, checkpoints);
  const bySize = new Map();
  for (const size of sizes) {
    const dir = path.join(ctx.runDir, `grouping-${size}`);
    copyDataDir(historyDir(ctx, total, size), dir);
    const m = await measure(ctx, dir);
    bySize.set(size, m);
    const med = (f) => m.results.map(f).sort((a, b) => a - b)[Math.floor(m.results.length / 2)];
    ctx.log(
      `grouping at ${size.toLocaleString('en')} stored: index load ${m.loadMs.toFixed(0)} ms (${m.incidents} incidents, heap ${m.heapMB.toFixed(0)} MB); ` +
        `grouping ${med((r) => r.groupUs).toFixed(1)} µs/report, commit ${med((r) => r.commitUs).toFixed(1)} µs/report`,
    );
  }
  const base = bySize.get(sizes[0]);
  for (const size of sizes.slice(1)) {
    const m = bySize.get(size);
    const label = `grouping at ${size.toLocaleString('en')} vs ${sizes[0].toLocaleString('en')} stored`;
    ctx.record({
      scenario: label,
      metric: 'incident+area grouping per report',
      unit: 'µs',
      t: m.results.map((r) => r.groupUs),
      b: base.results.map((r) => r.groupUs),
      target: { ratioMax: 2 },
    });
    ctx.record({ scenario: label, metric: 'commit (incl. area counts) per report', unit: 'µs', t: m.results.map((r) => r.commitUs), b: base.results.map((r) => r.commitUs) });
  }
}

// Prints the heaviest functions of a .cpuprofile (self time and inclusive time), for BENCHMARKS.md.
// `--busy`: percentages of the time the process was not idle (a server idle between windows).
import fs from 'node:fs';

const busy = process.argv.includes('--busy');
const [file, topArg] = process.argv.slice(2).filter((a) => a !== '--busy');
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// Weighted by the time between samples (µs), so stretches the sampler missed still count.
const selfHits = new Map();
const idle = new Set(profile.nodes.filter((n) => busy && n.callFrame.functionName === '(idle)').map((n) => n.id));
profile.samples.forEach((s, i) => {
  if (!idle.has(s)) selfHits.set(s, (selfHits.get(s) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});
const total = [...selfHits.values()].reduce((a, b) => a + b, 0);
const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const self = new Map();
const incl = new Map();
for (const [id, hits] of selfHits) {
  const n = byId.get(id);
  self.set(key(n), (self.get(key(n)) ?? 0) + hits);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + hits);
  }
}
const pct = (h) => `${((100 * h) / total).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled${busy ? ' while busy' : ''}`);
console.log('--- self');
for (const [k, h] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(h)}  ${k}`);
console.log('--- inclusive');
for (const [k, h] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(h)}  ${k}`);

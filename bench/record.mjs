// Appends results saved by earlier runs (bench/results/*.json) to BENCHMARKS.md as one section:
//   node bench/record.mjs bench/results/<a>.json bench/results/<b>.json …
// (for a suite run scenario by scenario; `pnpm bench --record` does this for a single run).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/deps.mjs';
import { markdownSection } from './lib/report.mjs';

const runs = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
if (runs.length === 0) throw new Error('usage: node bench/record.mjs bench/results/<run>.json …');
const first = runs[0].machine;
const machine = {
  ...first,
  command: runs.map((r) => r.machine.command).join(' ; '),
  load: runs.map((r) => r.machine.load.split(' ')[0]).join(', '),
};
fs.appendFileSync(path.join(ROOT, 'BENCHMARKS.md'), markdownSection(machine, runs.flatMap((r) => r.rows)));
process.stdout.write(`appended ${runs.length} run(s) to BENCHMARKS.md\n`);

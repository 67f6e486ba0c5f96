// Formats result rows: Truceline, baseline, ratio (each a median with min–max) and the target.
import { summary } from './stats.mjs';

function num(x) {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  return x.toFixed(3);
}

function cell(values) {
  if (!values) return '—';
  const s = summary(values);
  return `${num(s.median)} (${num(s.min)}–${num(s.max)})`;
}

/** Ratio per repetition pair (Truceline ÷ baseline), so min/max show their spread too. */
function ratios(row) {
  if (!row.b) return undefined;
  return row.t.map((t, i) => t / row.b[i]);
}

export function verdict(row) {
  const target = row.target;
  if (!target) return '';
  const r = summary(ratios(row) ?? []).median;
  const v = summary(row.t).median;
  let ok;
  let text;
  if (target.ratioMax !== undefined) {
    ok = r <= target.ratioMax;
    text = `≤ ${target.ratioMax}×`;
  } else if (target.ratioMin !== undefined) {
    ok = r >= target.ratioMin;
    text = `≥ ${target.ratioMin}×`;
  } else if (target.min !== undefined) {
    ok = v >= target.min;
    text = `≥ ${target.min} ${row.unit}`;
  } else if (target.max !== undefined) {
    ok = v < target.max;
    text = `< ${target.max} ${row.unit}`;
  }
  if (row.pass === false) ok = false;
  return `${text} ${ok ? 'met' : 'MISSED'}`;
}

const HEAD = ['scenario', 'metric', 'Truceline', 'baseline', 'ratio', 'target'];

function cells(row) {
  return [row.scenario, `${row.metric} (${row.unit})`, cell(row.t), cell(row.b), row.b ? `${cell(ratios(row))}×` : '—', verdict(row)];
}

export function formatTable(rows) {
  const lines = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const out = lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  '));
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const notes = rows.filter((r) => r.note).map((r) => `* ${r.scenario} / ${r.metric}: ${r.note}`);
  return [...out, ...notes].join('\n');
}

export function markdownSection(machine, rows) {
  const table = [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ].join('\n');
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.scenario} / ${r.metric}: ${r.note}`);
  return `
### ${machine.date} — \`${machine.command}\`

Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}; server and
load generator ${machine.pinned ? 'pinned to separate cores with taskset' : 'NOT pinned'}; load average (1 min) at the end of each run: ${machine.load}.
Each cell: median of ${machine.reps} repetitions (min–max). Ratio = Truceline ÷ baseline per repetition.

${table}
${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}

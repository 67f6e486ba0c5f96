#!/usr/bin/env node
// `pnpm soak [--rounds N] [--seed S]`: the crash harness (tests/crash/) for as many rounds as
// asked, on a fresh build, ending with its one summary line. Exits non-zero on any loss.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = option('rounds') ?? '20';
const seed = option('seed') ?? String(Math.floor(Math.random() * 2 ** 31));
if (!/^[1-9]\d*$/.test(rounds) || !/^\d+$/.test(seed)) {
  process.stderr.write('usage: pnpm soak [--rounds N] [--seed S]\n');
  process.exit(2);
}

const build = spawnSync('pnpm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(1);
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', '--project', 'websocket', 'tests/crash/crash.test.ts'], {
  cwd: root,
  env: { ...process.env, SOAK_ROUNDS: rounds, SOAK_SEED: seed },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const line = /^soak: .*$/m.exec(run.stdout ?? '')?.[0];
if (run.status !== 0) process.stdout.write(`${run.stdout}${run.stderr}`);
process.stdout.write(`${line ?? `soak: no summary (vitest exited ${run.status ?? run.signal}) seed=${seed}`}\n`);
process.exit(run.status === 0 ? 0 : 1);

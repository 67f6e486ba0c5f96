#!/usr/bin/env node
// `pnpm bench` — Truceline's benchmark suite. Every scenario starts the real server (production
// build, real SQLite file) pinned to one core and drives it from a separate load-generator
// process pinned to another, and measures a raw baseline in the same run with the same load
// generator. Figures: median of the repetitions, with min and max, for Truceline, the baseline
// and their ratio. Options:
//   --quick            reduced sizes, windows and repetitions (about two minutes once the caches exist)
//   --only=a,b         scenarios: fanout, ingest, history, grouping, map, summary, lighthouse
//   --fanout=WxR,…     fan-out configurations only these (e.g. 1000x2); default all four
//   --reps=N           repetitions (default 5, quick 3; at least 5 for published figures)
//   --profile          write CPU profiles of the server processes to bench/profiles/
//   --record           append the results to BENCHMARKS.md
//   --no-build         skip building shared + server
//   --engines=a,b      sqlite, pg1 (one process on PostgreSQL + Redis), pg3 (three processes on one
//                      PostgreSQL database and one Redis); default all three when DATABASE_URL and
//                      REDIS_URL are set, else sqlite (fan-out, ingest and history run per engine)
//   --fanout-views=a,b pinned (the suite's own view), outsider (monitor accounts only, per-item
//                      events, nothing pinned); default both
//   --history=N        the history scenario's size (default 1,000,000; quick 20,000); pg engines use
//                      --pg-history=N (default 100,000; quick 20,000)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeAccounts } from './lib/accounts.mjs';
import { PG_ACCOUNTS_DIR, createDatabase, databaseExists, dropDatabase, isPg, pickEngines, urlOf } from './lib/engines.mjs';
import { ROOT } from './lib/deps.mjs';
import { startLoadgen } from './lib/loadgen-client.mjs';
import { killAll, stop, tasksetAvailable } from './lib/proc.mjs';
import { formatTable, markdownSection } from './lib/report.mjs';
import { LOAD_CORE, SERVER_CORE, serverNodeArgs } from './lib/servers.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
if (!['items', 'commit'].includes(option('live') ?? 'commit')) throw new Error('--live must be items or commit');
// Published figures take at least 5 repetitions; --quick is a smoke run with 3.
const reps = Number(option('reps') ?? (quick ? 3 : 5));
const only = new Set((option('only') ?? 'fanout,ingest,history,grouping,map,summary,lighthouse').split(','));

/** Bump when the generated data or the accounts change, so caches under /tmp are rebuilt (v2: seeded reports and incidents carry their places). */
export const DATA_VERSION = 'v2';
const CACHE = path.join(os.tmpdir(), 'truceline-bench', DATA_VERSION);
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-bench-run-'));

const log = (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function accountsTemplate() {
  const dir = path.join(CACHE, 'accounts');
  const stamp = path.join(dir, 'bench-accounts.json');
  // Sessions expire after 14 idle days; the template's are never used, so renew it weekly.
  if (fs.existsSync(stamp) && Date.now() - fs.statSync(stamp).mtimeMs < 7 * 86_400_000) return dir;
  log('creating bench accounts (220 monitors, 4 coordinators; scrypt takes a while, cached afterwards)');
  await makeAccounts(dir, { monitors: 220, coordinators: 4 });
  return dir;
}

/** The accounts in a PostgreSQL template database (made once through the server's own code), copied per deployment. */
async function pgAccountsTemplate() {
  const dir = PG_ACCOUNTS_DIR(CACHE);
  const name = `truceline_bench_accounts_${DATA_VERSION}`;
  const stamp = path.join(dir, 'bench-accounts.json');
  if (fs.existsSync(stamp) && Date.now() - fs.statSync(stamp).mtimeMs < 7 * 86_400_000 && (await databaseExists(name))) return { dir, template: name };
  log(`creating bench accounts in PostgreSQL (template database ${name}; cached afterwards)`);
  await dropDatabase(name);
  await createDatabase(name);
  await makeAccounts(dir, { monitors: 220, coordinators: 4 }, { DATABASE_URL: urlOf(name) });
  return { dir, template: name };
}

async function main() {
  if (!tasksetAvailable()) log('warning: taskset (util-linux) not found: server and load generator are NOT pinned to separate cores');
  if (os.cpus().length < 2) log('warning: fewer than 2 cores: server and load generator share one');
  if (!flag('no-build')) {
    log('building the production build');
    // The web client only for the scenarios that load it (its build takes a while).
    const packages = ['@truceline/shared', '@truceline/server', ...(only.has('map') || only.has('lighthouse') ? ['@truceline/client'] : [])];
    for (const pkg of packages) {
      const r = spawnSync('pnpm', ['--filter', pkg, 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`build of ${pkg} failed`);
    }
  }
  // The scenarios use the production build of `shared` (the seeded generator): loaded only once
  // it is built, so that `pnpm bench` works in a fresh clone.
  const { fanout } = await import('./scenarios/fanout.mjs');
  const { grouping } = await import('./scenarios/grouping.mjs');
  const { history } = await import('./scenarios/history.mjs');
  const { ingest } = await import('./scenarios/ingest.mjs');
  const { lighthouseScenario } = await import('./scenarios/lighthouse.mjs');
  const { map } = await import('./scenarios/map.mjs');
  const { summary } = await import('./scenarios/summary.mjs');
  if (flag('profile')) {
    const dir = path.join(ROOT, 'bench', 'profiles');
    fs.mkdirSync(dir, { recursive: true });
    serverNodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    log(`CPU profiles of server processes go to ${dir}`);
  }
  const started = new Date();
  const rows = [];
  const engines = pickEngines(option('engines'), log);
  const fanoutViews = (option('fanout-views') ?? 'pinned,outsider').split(',');
  for (const v of fanoutViews) if (!['pinned', 'outsider'].includes(v)) throw new Error('--fanout-views takes pinned, outsider');
  let freeLoadgen;
  const ctx = {
    quick,
    reps,
    profile: flag('profile'),
    // The live format Truceline's sockets ask for (the web client asks for `commit`).
    live: option('live') ?? 'commit',
    runDir,
    cacheDir: CACHE,
    accountsDir: await accountsTemplate(),
    lg: await startLoadgen(LOAD_CORE),
    /** A second load generator, not pinned (the outsider's fan-out), started on first use. */
    freeLoadgen: async () => (freeLoadgen ??= await startLoadgen(undefined)),
    pgAccounts: engines.some(isPg) ? await pgAccountsTemplate() : undefined,
    log,
    record: (row) => rows.push(row),
  };
  log(`server core ${SERVER_CORE}, load generator core ${LOAD_CORE}; ${reps} repetitions${quick ? ' (quick)' : ''}; engines ${engines.join(', ')}`);
  try {
    if (only.has('fanout')) {
      const all = quick ? [[500, 10]] : [[1000, 10], [1000, 2], [5000, 10], [5000, 2]];
      const picked = option('fanout')?.split(',').map((c) => c.split('x').map(Number));
      if (picked?.some((c) => c.length !== 2 || !c.every((n) => Number.isInteger(n) && n > 0))) throw new Error('--fanout takes WATCHERSxRATE,… (e.g. 1000x2)');
      const configs = picked ?? all;
      for (const engine of engines) {
        for (const [watchers, rate] of configs) for (const view of fanoutViews) await fanout(ctx, { watchers, rate, engine, outsider: view === 'outsider' });
      }
    }
    if (only.has('ingest')) for (const engine of engines) await ingest(ctx, { monitors: 200, watchers: 10, engine });
    // One seeded history serves all four: the grouping sizes and the map's points are copies
    // taken while seeding it (every caller asks for every checkpoint, so none reseeds it).
    const total = Number(option('history') ?? (quick ? 20_000 : 1_000_000));
    const sizes = quick ? [10_000, 20_000] : [10_000, 100_000, 1_000_000];
    const mapPoints = quick ? 2_000 : 100_000;
    const checkpoints = [...new Set([...sizes, mapPoints])].filter((s) => s !== total);
    if (only.has('history')) {
      for (const engine of engines) {
        if (isPg(engine)) await history(ctx, { reports: Number(option('pg-history') ?? (quick ? 20_000 : 100_000)), checkpoints: [], engine });
        else await history(ctx, { reports: total, checkpoints, engine });
      }
    }
    if (only.has('grouping')) await grouping(ctx, { total, sizes, checkpoints });
    if (only.has('map')) await map(ctx, { total, points: mapPoints, checkpoints });
    if (only.has('summary')) await summary(ctx, { reports: total, checkpoints });
    if (only.has('lighthouse')) await lighthouseScenario(ctx);
  } finally {
    await stop(ctx.lg.child);
    if (freeLoadgen) await stop(freeLoadgen.child);
  }
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    date: started.toISOString().replace(/\.\d+Z$/, 'Z'),
    command: `pnpm bench ${args.join(' ')}`.trim(),
    reps,
    pinned: tasksetAvailable(),
    engines,
  };
  process.stdout.write(`\n${formatTable(rows)}\n`);
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = machine.date.replace(/[:]/g, '-');
  fs.writeFileSync(path.join(outDir, `${stamp}.json`), JSON.stringify({ machine, rows }, null, 2));
  if (flag('record')) {
    fs.appendFileSync(path.join(ROOT, 'BENCHMARKS.md'), markdownSection(machine, rows));
    log('appended the results to BENCHMARKS.md');
  }
}

let failed = false;
const onSignal = () => {
  killAll();
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  await main();
} catch (error) {
  failed = true;
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
} finally {
  killAll();
  fs.rmSync(runDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

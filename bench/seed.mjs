// Seeds a database with `--reports=N` reports through the server's own code: the shared
// schema's parse (defaults applied), `normaliseReport`, the incident index via `BatchPlan`, and
// the area rows computed above the store as the commit queue does (`areaReads` → the store's
// current rows → `areaWrites`), and the store's `commit` in batches of 5,000 — so every row is
// exactly what the server would have stored. Copies of the database at `--checkpoints=a,b`
// reports are written beside it (the grouping scenario starts from them). With
// `--database=<url>` the reports go to that PostgreSQL database through `PostgresStore` instead
// (no checkpoints; `--out` then only receives the metadata). Run by run.mjs; caches live under /tmp.
import fs from 'node:fs';
import path from 'node:path';
import { copyDataDir, readAccounts } from './lib/accounts.mjs';
import { ingestModules, serverDist, serverRequire } from './lib/deps.mjs';
import { eventReports, historyStart } from './lib/history-data.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const total = Number(arg('reports'));
const checkpoints = (arg('checkpoints') ?? '').split(',').filter(Boolean).map(Number);
const from = arg('accounts');
const out = arg('out');
const database = arg('database');
const BATCH = 5000;

const { uuidv7, ReportInput, SqliteStore, normaliseReport, loadIncidentIndex, BatchPlan, DEFAULT_GROUPING } = await ingestModules();
const { areaReads, areaWrites } = await serverDist('ingest/area-counts.js');
const { PostgresStore } = await serverDist('storage/postgres/postgres-store.js');
const { withIncidentPlaces } = await serverDist('ingest/incident-place.js');
const { Places } = await serverDist('places/places.js');
const { DEFAULTS } = await serverDist('config.js');
const { pino } = serverRequire('pino');
// Places as the server gives them (report and incident), so a start finds nothing to backfill.
const places = Places.start(from, DEFAULTS.placeMinPopulation, pino({ level: 'silent' }));
await places.ready;
const openStore = (dir) => (database ? PostgresStore.open(database) : SqliteStore.open(dir));
if (database && checkpoints.length > 0) throw new Error('checkpoints are SQLite copies: not with --database');

const work = `${out}.partial`;
copyDataDir(from, work);
const accounts = readAccounts(from);
const endMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
// Events have 1–3 reports (2 on average): count how many events `total` reports take, so the
// last one ends at `endMs` rather than in the future (which the schema's parse refuses) or short of it.
let events = 0;
for (let n = 0; n < total; events++) n += eventReports(events, 0, () => '').length;
const startMs = historyStart(events * 2, endMs);
let store = await openStore(work);
const index = await loadIncidentIndex(store, DEFAULT_GROUPING);
let stored = 0;
let k = 0;
let pending = [];
const t0 = performance.now();

function meta(reports, nextEvent) {
  return { reports, nextEvent, startMs, endMs, seededAt: new Date().toISOString() };
}

async function flush() {
  // The database starts empty, so the index holds everything and needs no loads (`prepare`);
  // seeding never reads back from the store.
  const plan = new BatchPlan(index);
  for (const item of pending) plan.addNew(item);
  const reads = areaReads(plan.areaChanges);
  const [current, latest] = await Promise.all([
    store.areaCounts(reads.areaIds),
    reads.removals.areaIds.length > 0 ? store.latestObservedInAreas(reads.removals.areaIds, reads.removals.reportIds) : new Map(),
  ]);
  await store.commit(withIncidentPlaces(plan.toCommitBatch(areaWrites(plan.areaChanges, current, latest)), places.placeOf));
  stored += pending.length;
  pending = [];
}

while (stored + pending.length < total) {
  for (const { input, reporter, receivedAtMs } of eventReports(k, startMs, (msecs) => uuidv7({ msecs }))) {
    const parsed = ReportInput.parse(input);
    pending.push(normaliseReport(parsed, accounts.monitors[reporter].id, receivedAtMs, places.placeOf));
  }
  k++;
  const next = stored + pending.length;
  const checkpoint = checkpoints.find((c) => c > stored && c <= next);
  if (pending.length >= BATCH || checkpoint !== undefined || next >= total) {
    await flush();
    if (checkpoint !== undefined) {
      // Closing checkpoints the WAL into the file, so the copy is the whole database.
      await store.close();
      const dir = `${out}-at-${checkpoint}`;
      copyDataDir(work, dir);
      fs.writeFileSync(path.join(dir, 'bench-history.json'), JSON.stringify(meta(stored, k)));
      store = await openStore(work);
    }
    if (stored % 100_000 < BATCH) {
      process.stdout.write(`seeded ${stored} reports, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    }
  }
}
await store.close();
fs.writeFileSync(path.join(work, 'bench-history.json'), JSON.stringify(meta(stored, k)));
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(work, out);
process.stdout.write(`seeded ${stored} reports in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

// Scenario 4's measuring process (pinned to the server core by run.mjs): opens a copy of a
// seeded database of N reports, loads the incident index the way the server does at start
// (the default window: the last 30 days of observations and their incidents), then adds the
// next reports of the same stream (same density) in group commits of 100 and times, per
// report: the incident + area grouping (`prepare` loading whatever the batch can link to that is
// not held yet, `BatchPlan.addNew` → `IncidentIndex.add`, area changes, incident summaries) and
// the store commit that writes it (area counts are updated in SQL there, with
// synchronous=FULL). Prints one JSON line.
import { readAccounts } from './lib/accounts.mjs';
import { ingestModules, serverDist } from './lib/deps.mjs';
import { eventReports } from './lib/history-data.mjs';
import { readMeta } from './lib/history-cache.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const dir = arg('dir');
const reps = Number(arg('reps') ?? 5);
const perRep = Number(arg('per-rep') ?? 1000);
const COMMIT = 100;
const SHIFT_MS = 30 * 86_400_000;

const { uuidv7, ReportInput, SqliteStore, normaliseReport, loadIncidentIndex, BatchPlan, DEFAULT_GROUPING } = await ingestModules();
const { areaReads, areaWrites } = await serverDist('ingest/area-counts.js');

const meta = readMeta(dir);
const accounts = readAccounts(dir);
const store = SqliteStore.open(dir);
let t = performance.now();
const index = await loadIncidentIndex(store, DEFAULT_GROUPING);
const loadMs = performance.now() - t;
const heapMB = process.memoryUsage().heapUsed / 1e6;

let k = meta.nextEvent;
function nextReports(n) {
  const out = [];
  while (out.length < n) {
    for (const { input, reporter, receivedAtMs } of eventReports(k, meta.startMs, (msecs) => uuidv7({ msecs }))) {
      // The stream continues past the end of the history, which may be in the future of a
      // cached seed: parse (for the defaults) a copy moved into the past, then put the times back.
      const shift = (iso) => iso && new Date(Date.parse(iso) - SHIFT_MS).toISOString();
      const parsed = ReportInput.parse({ ...input, observedAt: shift(input.observedAt), ...(input.observedUntil ? { observedUntil: shift(input.observedUntil) } : {}) });
      parsed.observedAt = new Date(Date.parse(input.observedAt)).toISOString();
      if (input.observedUntil) parsed.observedUntil = new Date(Date.parse(input.observedUntil)).toISOString();
      out.push(normaliseReport(parsed, accounts.monitors[reporter].id, receivedAtMs));
    }
    k++;
  }
  return out.slice(0, n);
}

const results = [];
for (let rep = 0; rep < reps; rep++) {
  const items = nextReports(perRep);
  let groupMs = 0;
  let commitMs = 0;
  for (let i = 0; i < items.length; i += COMMIT) {
    t = performance.now();
    const group = items.slice(i, i + COMMIT);
    await index.prepare({ windows: group.map(({ startMs, endMs }) => ({ startMs, endMs })), incidentIds: [] });
    const plan = new BatchPlan(index);
    for (const item of group) plan.addNew(item);
    groupMs += performance.now() - t;
    t = performance.now();
    // The area rows are computed above the store from its current rows (as the commit queue
    // does): those reads count as the commit's.
    const reads = areaReads(plan.areaChanges);
    const current = await store.areaCounts(reads.areaIds);
    const latest = reads.removals.areaIds.length > 0 ? await store.latestObservedInAreas(reads.removals.areaIds, reads.removals.reportIds) : new Map();
    await store.commit(plan.toCommitBatch(areaWrites(plan.areaChanges, current, latest)));
    commitMs += performance.now() - t;
  }
  results.push({ groupUs: (groupMs * 1000) / items.length, commitUs: (commitMs * 1000) / items.length });
}
await store.close();
process.stdout.write(`${JSON.stringify({ members: index.size, incidents: index.index.incidentCount, loadMs, heapMB, results })}\n`);

import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IncidentState, type Place, type Report, ReportInput, toUtcIso } from '@truceline/shared';
import type { AuditDraft } from '../audit/draft.js';
import { verifyAuditEntries } from '../audit/verify.js';
import { areaReads, areaWrites } from '../ingest/area-counts.js';
import { type NormalisedReport, normaliseReport } from '../ingest/normalise.js';
import { withIndexBounds } from './report-filter.js';
import { batchOf } from './test-batches.js';
import { type CommitBatch, type CommitResult, ReplayRaceError, type Store, UsernameTakenError } from './store.js';

/**
 * What every storage engine must do, as one suite: each engine's test file calls
 * `describeStoreContract` with a way to open an empty store of its kind. Engine-neutral: it
 * speaks only the `Store` interfaces (and the pure layer above them where a caller would).
 */
export interface OpenedStore {
  store: Store;
  cleanup: () => Promise<void>;
  /**
   * Engines that several processes share: a second, independent handle on the same database (its
   * own connections, as another process would have). Leave it out for an engine one process owns.
   */
  openAnother?: () => Promise<Store>;
}

/**
 * @param options.shared the engine is one several processes share: `open` must then give
 *   `openAnother`, and the suite also checks the write lock and replay races across handles.
 */
export function describeStoreContract(name: string, open: () => Promise<OpenedStore>, options: { shared?: boolean } = {}): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let openAnother: (() => Promise<Store>) | undefined;
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      ({ store, cleanup, openAnother } = await open());
      alice = uuidv7();
      bob = uuidv7();
      await store.createUser({ id: alice, username: 'alice', passwordHash: 'h-a', role: 'monitor', createdAtMs: T });
      await store.createUser({ id: bob, username: 'bob', passwordHash: 'h-b', role: 'coordinator', createdAtMs: T });
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    /** Stores `items` as one commit, all in one new incident (as the commit queue would plan it, areas included). */
    const storeNew = async (items: NormalisedReport[], extra: Partial<CommitBatch> = {}): Promise<CommitResult> => {
      const incidentId = uuidv7();
      const changes = items.map((item) => ({
        areaId: item.report.areaId,
        reportId: item.report.id,
        center: item.areaCenter,
        category: item.report.category,
        delta: 1 as const,
        observedAtMs: item.startMs,
      }));
      const current = await store.areaCounts(areaReads(changes).areaIds);
      return store.commit(
        batchOf({
          newReports: items.map((item) => ({ ...item, report: { ...item.report, incidentId } })),
          incidents: [incidentState(incidentId, items)],
          areas: areaWrites(changes, current, new Map()),
          ...extra,
        }),
      );
    };

    describe('reports', () => {
      it('commits new reports with ascending seqs in the order given, readable by id with what idempotency needs', async () => {
        const items = [item(alice), item(alice, { category: 'explosion' }), item(bob)];
        const result = await storeNew(items);
        expect(result.newReports.map((r) => r.id)).toEqual(items.map((i) => i.report.id));
        const seqs = result.newReports.map((r) => r.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(3);
        expect(result.lastSeq).toBeGreaterThanOrEqual(Math.max(...seqs));
        expect(result.incidents).toHaveLength(1);
        expect(result.areas).toHaveLength(1);

        const found = await store.findReports([items[0]!.report.id, items[2]!.report.id, uuidv7()]);
        expect(found.size).toBe(2);
        expect(found.get(items[0]!.report.id)).toMatchObject({ reporterId: alice, canonicalInput: items[0]!.canonicalInput });
        expect(found.get(items[2]!.report.id)?.report).toEqual(result.newReports[2]);
        const got = await store.getReport(items[1]!.report.id);
        expect(got).toEqual(result.newReports[1]);
        expect(got).toMatchObject({ category: 'explosion', status: 'pending', incidentId: result.incidents[0]!.id, reporter: { id: alice, username: 'alice' } });
        expect(await store.getReport(uuidv7())).toBeUndefined();
      });

      it('keeps lastSeq at the highest committed seq after every write, and a failed write moves nothing', async () => {
        expect(await store.lastSeq()).toBe(0);
        const first = await storeNew([item(alice)]);
        expect(await store.lastSeq()).toBe(first.lastSeq);
        const second = await storeNew([item(alice)]);
        expect(second.newReports[0]!.seq).toBeGreaterThan(first.lastSeq);
        expect(await store.lastSeq()).toBe(second.lastSeq);
        const reviewed = await store.commit(
          batchOf({
            statusChanges: [{ reportId: first.newReports[0]!.id, status: 'verified', incidentId: first.incidents[0]!.id, reviewerId: bob, note: 'seen', atMs: T }],
          }),
        );
        expect(reviewed.updatedReports[0]!.seq).toBeGreaterThan(second.lastSeq);
        expect(await store.lastSeq()).toBe(reviewed.lastSeq);
        // Every change up to the watermark is visible: nothing with a larger seq, none missing below.
        const all = await store.reportsAfterSeq(0, 100);
        expect(Math.max(...all.map((r) => r.seq))).toBeLessThanOrEqual(reviewed.lastSeq);
        const head = await store.lastSeq();
        const copy = item(alice);
        await expect(store.commit(batchOf({ newReports: [{ ...copy, report: { ...copy.report, id: first.newReports[0]!.id, incidentId: null } }] }))).rejects.toBeInstanceOf(
          ReplayRaceError,
        );
        expect(await store.lastSeq()).toBe(head);
      });

      it('gives commits that race without the lock distinct seqs, and a watermark that covers both once they are done', async () => {
        // The commit queue always holds the lock; a caller that forgot must still not commit seqs out of order.
        const [x, y] = await Promise.all([storeNew([item(alice), item(alice)]), storeNew([item(bob)])]);
        const seqs = [...x.newReports, ...y.newReports].map((r) => r.seq);
        expect(new Set(seqs).size).toBe(3);
        expect(await store.lastSeq()).toBe(Math.max(x.lastSeq, y.lastSeq));
        const [earlier, later] = x.lastSeq < y.lastSeq ? [x, y] : [y, x];
        // Whatever committed second has only seqs above the first's: a reader that saw the first is not skipped past the second.
        for (const r of later.newReports) expect(r.seq).toBeGreaterThan(earlier.lastSeq);
        expect((await store.reportsAfterSeq(earlier.lastSeq, 10)).map((r) => r.id)).toEqual(later.newReports.map((r) => r.id));
      });

      it('refuses a batch holding an id stored meanwhile with ReplayRaceError naming it, and stores nothing of that batch', async () => {
        const stored = item(alice);
        await storeNew([stored]);
        const head = await store.lastSeq();
        const fresh = item(alice);
        const again = { ...item(alice), report: { ...item(alice).report, id: stored.report.id } };
        const error = await storeNew([fresh, again], { audit: [draft('report.review', fresh.report.id)] }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ReplayRaceError);
        expect((error as ReplayRaceError).ids).toEqual([stored.report.id]);
        expect(await store.getReport(fresh.report.id)).toBeUndefined();
        expect((await store.findReports([stored.report.id])).get(stored.report.id)?.canonicalInput).toBe(stored.canonicalInput);
        expect(await store.lastSeq()).toBe(head);
        expect(await store.auditHead()).toBeNull();
        expect((await store.listAreas({})).reduce((n, a) => n + a.count, 0)).toBe(1);
        expect(await store.listIncidents({})).toHaveLength(1);
      });

      it('applies reviews, incident moves, supersessions and tombstones, each changed report with a new seq', async () => {
        const [a, b, c] = [item(alice), item(alice), item(alice)];
        const first = await storeNew([a, b]);
        const second = await storeNew([c]);
        const [i1, i2] = [first.incidents[0]!.id, second.incidents[0]!.id];
        const correction = item(alice, { supersedes: a.report.id });
        const result = await store.commit(
          batchOf({
            newReports: [{ ...correction, report: { ...correction.report, incidentId: i1 } }],
            statusChanges: [{ reportId: b.report.id, status: 'rejected', incidentId: null, reviewerId: bob, note: 'a door slamming', atMs: T + 1000 }],
            incidentMoves: [{ reportId: c.report.id, incidentId: i1 }],
            supersessions: [{ reportId: a.report.id, supersededBy: correction.report.id }],
            incidents: [incidentState(i1, [correction, c])],
            tombstones: [{ id: i2, mergedInto: i1 }],
            audit: [draft('report.review', b.report.id)],
          }),
        );
        const byId = new Map(result.updatedReports.map((r) => [r.id, r]));
        expect(byId.get(b.report.id)).toMatchObject({ status: 'rejected', incidentId: null, review: { at: toUtcIso(T + 1000), note: 'a door slamming' } });
        expect(byId.get(c.report.id)).toMatchObject({ incidentId: i1 });
        expect(byId.get(a.report.id)).toMatchObject({ supersededBy: correction.report.id, incidentId: null });
        const seqs = result.updatedReports.map((r) => r.seq);
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        for (const seq of seqs) expect(seq).toBeGreaterThan(second.lastSeq);
        expect(result.incidents).toEqual(expect.arrayContaining([expect.objectContaining({ id: i2, mergedInto: i1 }), expect.objectContaining({ id: i1, reportCount: 2 })]));
        expect(await store.getReport(a.report.id)).toEqual(byId.get(a.report.id));
        expect((await store.auditEntries({ afterSeq: 0, limit: 10 })).map((e) => e.target.id)).toEqual([b.report.id]);
      });

      it('lists by observation, newest first, in pages by cursor, and by every filter', async () => {
        const at = (minutesAgo: number, fields: Record<string, unknown> = {}, reporter = alice) =>
          item(reporter, { observedAt: iso(T - minutesAgo * 60_000), ...fields });
        const old = at(48 * 60);
        const long = at(28 * 60, { observedUntil: iso(T - 5 * 60 * 60_000) });
        const recent = at(10, { category: 'explosion' });
        const east = at(20, { location: { lon: 179.5, lat: 10, accuracyM: 50 } });
        const west = at(30, { location: { lon: -179.5, lat: 10, accuracyM: 50 } });
        const bobs = at(40, {}, bob);
        await storeNew([old, long, recent, east, west, bobs]);
        await store.commit(batchOf({ statusChanges: [{ reportId: bobs.report.id, status: 'verified', incidentId: null, reviewerId: bob, note: undefined, atMs: T }] }));
        const ids = async (filter: Parameters<Store['listReports']>[0]) =>
          (await store.listReports(withIndexBounds(filter), { limit: 100 })).map((r) => r.id);

        const newestFirst = [recent, east, west, bobs, long, old].map((i) => i.report.id);
        expect(await ids({})).toEqual(newestFirst);
        const pageOne = await store.listReports({}, { limit: 4 });
        const lastOne = pageOne.at(-1)!;
        const pageTwo = await store.listReports({}, { limit: 4, after: { observedAtMs: Date.parse(lastOne.observedAt), id: lastOne.id } });
        expect([...pageOne, ...pageTwo].map((r) => r.id)).toEqual(newestFirst);

        // Since: windows that end at or after it (the long one started 28 h ago and ended 5 h ago).
        expect(await ids({ sinceMs: T - 6 * 60 * 60_000 })).toEqual([recent, east, west, bobs, long].map((i) => i.report.id));
        expect(await ids({ sinceMs: T - 60 * 60_000 })).toEqual([recent, east, west, bobs].map((i) => i.report.id));
        // Until: windows that start before it.
        expect(await ids({ untilMs: T - 30 * 60_000 })).toEqual([bobs, long, old].map((i) => i.report.id));
        expect(await ids({ sinceMs: T - 60 * 60_000, untilMs: T - 15 * 60_000 })).toEqual([east, west, bobs].map((i) => i.report.id));
        expect(await ids({ categories: ['explosion'] })).toEqual([recent.report.id]);
        expect(await ids({ categories: ['explosion', 'shelling'] })).toEqual(newestFirst);
        expect(await ids({ statuses: ['verified'] })).toEqual([bobs.report.id]);
        expect(await ids({ statuses: ['pending', 'rejected'] })).toEqual(newestFirst.filter((id) => id !== bobs.report.id));
        expect(await ids({ reporterId: bob })).toEqual([bobs.report.id]);
        // A box across the antimeridian (minLon > maxLon) holds both sides of it, and nothing between.
        expect(await ids({ bbox: { minLon: 179, minLat: 9, maxLon: -179, maxLat: 11 } })).toEqual([east, west].map((i) => i.report.id));
        expect(await ids({ bbox: { minLon: 179, minLat: 9, maxLon: 180, maxLat: 11 } })).toEqual([east.report.id]);
        expect(await ids({ bbox: { minLon: 37, minLat: 48, maxLon: 38, maxLat: 49 } })).toEqual([recent, bobs, long, old].map((i) => i.report.id));
        expect(await ids({ bbox: { minLon: 37, minLat: 48, maxLon: 38, maxLat: 49 }, reporterId: alice, categories: ['shelling'] })).toEqual(
          [long, old].map((i) => i.report.id),
        );
      });

      it('hands out changes by seq, ascending, in pages, also as JSON text of the full report', async () => {
        const first = await storeNew([item(alice), item(bob)]);
        const second = await storeNew([item(alice)]);
        await store.commit(batchOf({ statusChanges: [{ reportId: first.newReports[0]!.id, status: 'verified', incidentId: first.incidents[0]!.id, reviewerId: bob, note: undefined, atMs: T }] }));
        const all = await store.reportsAfterSeq(0, 100);
        expect(all.map((r) => r.id)).toEqual([first.newReports[1]!.id, second.newReports[0]!.id, first.newReports[0]!.id]);
        expect(all.map((r) => r.seq)).toEqual([...all.map((r) => r.seq)].sort((a, b) => a - b));
        expect(await store.reportsAfterSeq(all[0]!.seq, 1)).toEqual([all[1]]);
        const json = await store.reportsAfterSeqJson(0, 100);
        expect(json.map((j) => j.seq)).toEqual(all.map((r) => r.seq));
        expect(json.map((j) => JSON.parse(j.json) as Report)).toEqual(all);
        expect(await store.reportsAfterSeq(await store.lastSeq(), 10)).toEqual([]);
      });

      it('streams every match in list order from one snapshot: what commits after the first chunk is not seen', async () => {
        const items = Array.from({ length: 7 }, (_, i) => item(alice, { observedAt: iso(T - i * 60_000) }));
        await storeNew(items);
        const chunks: string[][] = [];
        let late: NormalisedReport | undefined;
        for await (const chunk of store.streamReports({ categories: ['shelling'] }, 3)) {
          chunks.push(chunk.map((r) => r.id));
          if (!late) {
            late = item(alice, { observedAt: iso(T - 3 * 60_000 - 30_000) });
            await storeNew([late]);
          }
        }
        expect(chunks.map((c) => c.length)).toEqual([3, 3, 1]);
        expect(chunks.flat()).toEqual(items.map((i) => i.report.id));
        expect(await store.getReport(late!.report.id)).toBeDefined();
      });

      it('lists incidents and areas, unfiltered from their rows and filtered from the matching counted reports', async () => {
        const here = item(alice, { observedAt: iso(T - 60_000) });
        const there = item(alice, { observedAt: iso(T - 10 * 60 * 60_000), category: 'explosion', location: { lon: 30.5, lat: 50.45, accuracyM: 50 } });
        const one = await storeNew([here]);
        const two = await storeNew([there]);
        const incidents = await store.listIncidents({});
        expect(incidents.map((i) => i.id)).toEqual([one.incidents[0]!.id, two.incidents[0]!.id]);
        expect(incidents[0]).toEqual(one.incidents[0]);
        expect((await store.listIncidents(withIndexBounds({ sinceMs: T - 60 * 60_000 }))).map((i) => i.id)).toEqual([one.incidents[0]!.id]);
        expect((await store.listIncidents({ categories: ['explosion'] })).map((i) => i.id)).toEqual([two.incidents[0]!.id]);

        const areas = await store.listAreas({});
        expect(areas.map((a) => a.id)).toEqual([here.report.areaId, there.report.areaId]);
        expect(areas[0]).toMatchObject({ count: 1, byCategory: { shelling: 1 }, lastObservedAt: here.report.observedAt, center: here.areaCenter });
        const filtered = await store.listAreas({ categories: ['explosion'] });
        expect(filtered).toMatchObject([{ id: there.report.areaId, count: 1, byCategory: { explosion: 1 } }]);
        // A rejected report leaves the filtered counts too.
        await store.commit(batchOf({ statusChanges: [{ reportId: there.report.id, status: 'rejected', incidentId: null, reviewerId: bob, note: undefined, atMs: T }] }));
        expect(await store.listAreas({ categories: ['explosion'] })).toEqual([]);
        expect(await store.listIncidents({ categories: ['explosion'] })).toEqual([]);
      });

      it('tallies the counted reports of each incident with a matching report', async () => {
        const a = item(alice, { count: 3, casualties: { killed: 1, injured: 2 }, weapon: 'artillery', assessment: 'impact' });
        const b = item(bob, { category: 'explosion', count: 5, countUnit: 'explosions' });
        const rejected = item(alice, { count: 99 });
        const result = await storeNew([a, b, rejected]);
        await store.commit(batchOf({ statusChanges: [{ reportId: rejected.report.id, status: 'rejected', incidentId: null, reviewerId: bob, note: undefined, atMs: T }] }));
        const tallies = await store.incidentTallies({});
        expect(tallies).toHaveLength(1);
        expect(tallies[0]).toMatchObject({
          incidentId: result.incidents[0]!.id,
          firstObservedMs: a.startMs,
          maxCount: 5,
          maxExplosions: 5,
          maxKilled: 1,
          maxInjured: 2,
          reports: 2,
        });
        expect([...tallies[0]!.categories].sort()).toEqual(['explosion', 'shelling']);
        expect(tallies[0]!.weapons).toEqual(['artillery']);
        expect(tallies[0]!.assessments).toEqual(['impact']);
        expect(await store.incidentTallies({ reporterId: uuidv7() })).toEqual([]);
      });

      it('reads area rows and the latest counted observation in areas, ignoring the reports given', async () => {
        const early = item(alice, { observedAt: iso(T - 60 * 60_000) });
        const late = item(alice, { observedAt: iso(T - 60_000) });
        const rejected = item(alice, { observedAt: iso(T) });
        await storeNew([early, late, rejected]);
        await store.commit(batchOf({ statusChanges: [{ reportId: rejected.report.id, status: 'rejected', incidentId: null, reviewerId: bob, note: undefined, atMs: T }] }));
        const area = early.report.areaId;
        const rows = await store.areaCounts([area, 'no-such-area']);
        expect([...rows.keys()]).toEqual([area]);
        expect(rows.get(area)).toEqual({ areaId: area, center: early.areaCenter, count: 3, byCategory: { shelling: 3 }, lastObservedAtMs: rejected.startMs });
        expect(await store.latestObservedInAreas([area, 'no-such-area'], [])).toEqual(new Map([[area, late.startMs], ['no-such-area', null]]));
        expect(await store.latestObservedInAreas([area], [late.report.id])).toEqual(new Map([[area, early.startMs]]));
        expect(await store.latestObservedInAreas([area], [late.report.id, early.report.id])).toEqual(new Map([[area, null]]));
      });

      it('stores the area rows it is given, each with a new seq', async () => {
        const first = await storeNew([item(alice)]);
        const areaId = first.areas[0]!.id;
        const result = await store.commit(
          batchOf({ areas: [{ areaId, center: first.areas[0]!.center, count: 7, byCategory: { shelling: 4, explosion: 3 }, lastObservedAtMs: null }] }),
        );
        expect(result.areas[0]!.seq).toBeGreaterThan(first.lastSeq);
        expect((await store.areaCounts([areaId])).get(areaId)).toMatchObject({ count: 7, byCategory: { shelling: 4, explosion: 3 }, lastObservedAtMs: null });
      });
    });

    describe('grouping source', () => {
      it('loads the grouping members (not rejected, not superseded) whole, by start range and by incident, with wedges', async () => {
        const direct = item(alice, { observedAt: iso(T - 60 * 60_000), observedUntil: iso(T - 30 * 60_000) });
        const bearing = item(alice, {
          location: undefined,
          observer: { lon: 37.7, lat: 48.1, accuracyM: 10 },
          bearing: { fromDeg: 80, toDeg: 100, reference: 'true' },
          distanceM: { min: 2000, max: 4000 },
        });
        const rejected = item(bob);
        const superseded = item(alice, { observedAt: iso(T - 2 * 60 * 60_000) });
        expect(await store.newestObservedAtMs()).toBeUndefined();
        const result = await storeNew([direct, bearing, rejected, superseded]);
        const incidentId = result.incidents[0]!.id;
        const correction = item(alice, { supersedes: superseded.report.id, observedAt: iso(T - 2 * 60 * 60_000) });
        await store.commit(
          batchOf({
            newReports: [{ ...correction, report: { ...correction.report, incidentId } }],
            supersessions: [{ reportId: superseded.report.id, supersededBy: correction.report.id }],
            statusChanges: [{ reportId: rejected.report.id, status: 'rejected', incidentId: null, reviewerId: bob, note: undefined, atMs: T }],
          }),
        );
        expect(await store.newestObservedAtMs()).toBe(T - 60_000);

        const all: string[] = [];
        for await (const chunk of store.groupingMembers()) all.push(...chunk.map((row) => row.id));
        expect(all.sort()).toEqual([direct.report.id, bearing.report.id, correction.report.id].sort());
        const rows = await store.groupingMembersStartingBetween(T - 90 * 60_000, T);
        const byId = new Map(rows.map((row) => [row.id, row]));
        expect([...byId.keys()].sort()).toEqual([direct.report.id, bearing.report.id].sort());
        expect(byId.get(direct.report.id)).toEqual({
          id: direct.report.id,
          category: 'shelling',
          startMs: direct.startMs,
          endMs: direct.endMs,
          lon: direct.report.location.lon,
          lat: direct.report.location.lat,
          radiusM: direct.report.uncertaintyM,
          reporterId: alice,
          incidentId,
        });
        expect(byId.get(bearing.report.id)?.wedge).toEqual({ observerLon: 37.7, observerLat: 48.1, accuracyM: 10, fromDeg: 80, toDeg: 100, minM: 2000, maxM: 4000 });
        expect((await store.groupingMembersStartingBetween(T - 90 * 60_000, T - 61 * 60_000)).map((r) => r.id)).toEqual([]);
        // Infinite bounds are allowed.
        expect(await store.groupingMembersStartingBetween(-Infinity, Infinity)).toHaveLength(3);
        expect((await store.groupingMembersOfIncidents([incidentId, uuidv7()])).map((r) => r.id).sort()).toEqual(
          [direct.report.id, bearing.report.id, correction.report.id].sort(),
        );
        expect(await store.groupingMembersOfIncidents([])).toEqual([]);
      });

      it('lists the reports written between two seqs, in seq order, with their incident while they take part in grouping', async () => {
        const a = item(alice);
        const b = item(bob, { observedAt: iso(T - 5 * 60_000) });
        const before = await store.lastSeq();
        const first = await storeNew([a, b]);
        const incidentId = first.incidents[0]!.id;
        const afterFirst = await store.lastSeq();
        expect(await store.groupingChangesBetween(before, afterFirst, 10)).toEqual([
          { id: a.report.id, startMs: a.startMs, incidentId },
          { id: b.report.id, startMs: b.startMs, incidentId },
        ]);
        const moved = uuidv7();
        await store.commit(
          batchOf({
            statusChanges: [{ reportId: b.report.id, status: 'rejected', incidentId: null, reviewerId: bob, note: undefined, atMs: T }],
            incidentMoves: [{ reportId: a.report.id, incidentId: moved }],
          }),
        );
        const head = await store.lastSeq();
        // A report is listed once, at the seq of its latest change.
        expect(await store.groupingChangesBetween(before, afterFirst, 10)).toEqual([]);
        // The review comes before the move in a commit's seqs; a rejected report has left grouping.
        expect(await store.groupingChangesBetween(afterFirst, head, 10)).toEqual([
          { id: b.report.id, startMs: b.startMs, incidentId: null },
          { id: a.report.id, startMs: a.startMs, incidentId: moved },
        ]);
        expect(await store.groupingChangesBetween(before, head, 1)).toEqual([{ id: b.report.id, startMs: b.startMs, incidentId: null }]);
        expect(await store.groupingChangesBetween(head, head, 10)).toEqual([]);
      });
    });

    describe('places', () => {
      it('lists what has no place yet, by id, and stores places with new seqs that catch-up carries', async () => {
        const items = [item(alice), item(alice), item(alice)].sort((a, b) => (a.report.id < b.report.id ? -1 : 1));
        const stored = await storeNew(items);
        const missing = await store.withoutPlace('report', '', 2);
        expect(missing.map((m) => m.id)).toEqual(items.slice(0, 2).map((i) => i.report.id));
        expect(missing[0]).toEqual({ id: items[0]!.report.id, lon: items[0]!.report.location.lon, lat: items[0]!.report.location.lat });
        expect((await store.withoutPlace('report', items[1]!.report.id, 10)).map((m) => m.id)).toEqual([items[2]!.report.id]);
        expect((await store.withoutPlace('incident', '', 10)).map((m) => m.id)).toEqual([stored.incidents[0]!.id]);

        const head = await store.lastSeq();
        await store.withWriteLock(() => store.setPlaces('report', [{ id: items[0]!.report.id, place: PLACE }]));
        await store.withWriteLock(() => store.setPlaces('incident', [{ id: stored.incidents[0]!.id, place: PLACE }]));
        expect(await store.lastSeq()).toBeGreaterThan(head);
        const caughtUp = await store.reportsAfterSeq(head, 10);
        expect(caughtUp).toMatchObject([{ id: items[0]!.report.id, place: PLACE }]);
        expect(caughtUp[0]!.seq).toBeLessThanOrEqual(await store.lastSeq());
        expect((await store.withoutPlace('report', '', 10)).map((m) => m.id)).toEqual(items.slice(1).map((i) => i.report.id));
        expect(await store.withoutPlace('incident', '', 10)).toEqual([]);
        const [incident] = await store.listIncidents({});
        expect(incident).toMatchObject({ place: PLACE });
        expect(incident!.seq).toBeGreaterThan(head);
      });
    });

    describe('write lock', () => {
      it('runs one holder at a time, in order, and passes on results and failures', async () => {
        const trace: string[] = [];
        const hold = (name: string, ms: number) =>
          store.withWriteLock(async () => {
            trace.push(`${name}+`);
            await new Promise((resolve) => setTimeout(resolve, ms));
            trace.push(`${name}-`);
            return name;
          });
        const results = await Promise.allSettled([hold('a', 30), store.withWriteLock(() => Promise.reject(new Error('boom'))), hold('b', 1), hold('c', 10)]);
        expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'boom', 'b', 'c']);
        expect(trace).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
      });
    });

    // Registered only for shared engines: an engine one process owns has no second handle to race.
    if (options.shared === true) describe('several handles on one database', () => {
      const another = (): Promise<Store> => {
        if (!openAnother) throw new Error('a shared engine must give openAnother');
        return openAnother();
      };

      it('serialises write-lock holders across handles, and a commit without the lock waits for the holder: seqs in commit order', async () => {
        const other = await another();
        try {
          await other.lastSeq();
          let release: () => void = () => undefined;
          const held = new Promise<void>((resolve) => (release = resolve));
          let holding: () => void = () => undefined;
          const holds = new Promise<void>((resolve) => (holding = resolve));
          let committed: CommitResult | undefined;
          const first = store.withWriteLock(async () => {
            committed = await storeNew([item(alice)]);
            holding();
            await held;
            return committed;
          });
          await holds;
          let secondDone = false;
          // Another process's commit that forgot the lock, and one that takes it.
          const unlocked = other.commit(batchOf({ newReports: [withoutIncident(item(bob))] })).finally(() => (secondDone = true));
          const locked = other.withWriteLock(() => other.commit(batchOf({ newReports: [withoutIncident(item(bob))] })));
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(secondDone).toBe(false);
          // The holder's commit (not the holder: it waits for `release`) is committed and
          // visible to every handle while the lock is still held.
          const a = committed as CommitResult;
          expect(await other.lastSeq()).toBe(a.lastSeq);
          release();
          await first;
          const [b, c] = await Promise.all([unlocked, locked]);
          expect(b.newReports[0]!.seq).toBeGreaterThan(a.lastSeq);
          expect(c.newReports[0]!.seq).toBeGreaterThan(a.lastSeq);
          expect(await store.lastSeq()).toBe(Math.max(b.lastSeq, c.lastSeq));
          expect((await store.reportsAfterSeq(a.lastSeq, 10)).map((r) => r.reporter?.id)).toEqual([bob, bob]);
        } finally {
          await other.close();
        }
      });

      it('stores a report raced in through two handles once: the loser gets ReplayRaceError and stores nothing', async () => {
        const other = await another();
        try {
          const copy = item(alice);
          const results = await Promise.allSettled([
            store.commit(batchOf({ newReports: [withoutIncident(copy), withoutIncident(item(alice))] })),
            other.commit(batchOf({ newReports: [withoutIncident(copy)] })),
          ]);
          const refused = results.filter((r) => r.status === 'rejected');
          expect(refused).toHaveLength(1);
          expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(ReplayRaceError);
          expect(await store.reportsAfterSeq(0, 10)).toHaveLength(results[0].status === 'fulfilled' ? 2 : 1);
        } finally {
          await other.close();
        }
      });
    });

    describe('accounts', () => {
      it('creates users, refusing a name taken in any letter case, and finds them by name in any case', async () => {
        await expect(store.createUser({ id: uuidv7(), username: 'ALICE', passwordHash: 'x', role: 'monitor', createdAtMs: T })).rejects.toBeInstanceOf(
          UsernameTakenError,
        );
        const user = await store.createUser(
          { id: uuidv7(), username: 'Carol', passwordHash: 'h-c', role: 'admin', createdAtMs: T + 1 },
          [draft('user.create', 'carol')],
        );
        expect(user).toMatchObject({ username: 'Carol', role: 'admin', disabled: false });
        expect(await store.findUserByName('carol')).toMatchObject({ id: user.id, passwordHash: 'h-c' });
        expect(await store.findUserByName('nobody')).toBeUndefined();
        expect(await store.getUser(user.id)).toEqual(user);
        expect((await store.listUsers()).map((u) => u.username)).toEqual(['alice', 'bob', 'Carol']);
        expect(await store.countAdmins()).toBe(1);
        expect((await store.auditEntries({ afterSeq: 0, limit: 10 })).map((e) => e.action)).toEqual(['user.create']);
      });

      it('updates role and disabled, and replaces password hashes', async () => {
        expect(await store.updateUser(alice, { role: 'admin' })).toMatchObject({ role: 'admin', disabled: false });
        expect(await store.countAdmins()).toBe(1);
        expect(await store.updateUser(alice, { disabled: true }, [draft('user.disable', alice)])).toMatchObject({ role: 'admin', disabled: true });
        expect(await store.countAdmins()).toBe(0);
        expect(await store.updateUser(uuidv7(), { role: 'admin' })).toBeUndefined();
        expect(await store.setPasswordHash(alice, 'new', [draft('user.password.change', alice)])).toBe(true);
        expect((await store.findUserByName('alice'))?.passwordHash).toBe('new');
        expect(await store.setPasswordHash(uuidv7(), 'x', [draft('user.password.change', 'nobody')])).toBe(false);
        // The entry of a change that did not happen is not appended.
        expect((await store.auditEntries({ afterSeq: 0, limit: 10 })).map((e) => e.action)).toEqual(['user.disable', 'user.password.change']);
      });

      it('finds live sessions by token hash, not idle, revoked or of an unknown token, and reports their states', async () => {
        const s1 = uuidv7();
        const s2 = uuidv7();
        const s3 = uuidv7();
        await store.createSession({ id: s1, tokenHash: 't1', userId: alice, createdAtMs: T });
        await store.createSession({ id: s2, tokenHash: 't2', userId: alice, createdAtMs: T });
        await store.createSession({ id: s3, tokenHash: 't3', userId: bob, createdAtMs: T });
        expect(await store.findSession('t1', T)).toMatchObject({ sessionId: s1, createdAtMs: T, lastUsedMs: T, user: { id: alice, username: 'alice' } });
        expect(await store.findSession('t1', T + 1)).toBeUndefined();
        expect(await store.findSession('nope', 0)).toBeUndefined();
        await store.touchSession(s1, T + 5000);
        // Never backwards.
        await store.touchSession(s1, T + 1000);
        expect((await store.findSession('t1', T + 1))?.lastUsedMs).toBe(T + 5000);

        await store.revokeSession(s2, T + 10, [draft('session.revoke', s2)]);
        // Revoking again changes nothing and appends nothing.
        await store.revokeSession(s2, T + 20, [draft('session.revoke', s2)]);
        expect(await store.findSession('t2', 0)).toBeUndefined();
        await store.updateUser(bob, { disabled: true });
        const states = await store.sessionStates([s1, s2, s3, uuidv7()]);
        expect(states).toEqual(
          new Map([
            [s1, { createdAtMs: T, lastUsedMs: T + 5000, revoked: false, userDisabled: false }],
            [s2, { createdAtMs: T, lastUsedMs: T, revoked: true, userDisabled: false }],
            [s3, { createdAtMs: T, lastUsedMs: T, revoked: false, userDisabled: true }],
          ]),
        );
        expect(await store.sessionStates([])).toEqual(new Map());
        expect((await store.auditEntries({ afterSeq: 0, limit: 10 })).map((e) => e.target.id)).toEqual([s2]);
      });

      it("revokes a user's live sessions but one, recording how many in one entry only when any was revoked", async () => {
        const [keep, a, b] = [uuidv7(), uuidv7(), uuidv7()];
        for (const [id, hash] of [[keep, 'k'], [a, 'a'], [b, 'b']] as const) await store.createSession({ id, tokenHash: hash, userId: alice, createdAtMs: T });
        await store.createSession({ id: uuidv7(), tokenHash: 'other', userId: bob, createdAtMs: T });
        const revoked = await store.revokeUserSessions(alice, T + 1, keep, draft('session.revoke', alice));
        expect(revoked.sort()).toEqual([a, b].sort());
        expect(await store.findSession('k', 0)).toBeDefined();
        expect(await store.findSession('other', 0)).toBeDefined();
        expect(await store.revokeUserSessions(alice, T + 2, keep, draft('session.revoke', alice))).toEqual([]);
        expect(await store.revokeUserSessions(alice, T + 3)).toEqual([keep]);
        const entries = await store.auditEntries({ afterSeq: 0, limit: 10 });
        expect(entries).toHaveLength(1);
        expect(entries[0]!.after).toMatchObject({ sessions: 2 });
      });
    });

    describe('audit log', () => {
      it('appends one hash chain, reads it back by seq, action and target, and names its head', async () => {
        expect(await store.auditHead()).toBeNull();
        const appended = await store.appendAudit([draft('auth.login', alice), draft('export', bob)]);
        expect(appended.map((e) => e.seq)).toEqual([1, 2]);
        await store.createUser({ id: uuidv7(), username: 'dave', passwordHash: 'x', role: 'monitor', createdAtMs: T }, [draft('user.create', 'dave')]);
        const review = item(alice);
        await storeNew([review], { audit: [draft('report.review', review.report.id)] });
        await store.appendAudit([draft('auth.login', bob)]);
        // Concurrent appends still make one chain.
        await Promise.all([store.appendAudit([draft('auth.login', alice)]), store.appendAudit([draft('auth.login', bob)]), store.updateUser(alice, { role: 'coordinator' }, [draft('user.role', alice)])]);

        const entries = await store.auditEntries({ afterSeq: 0, limit: 100 });
        expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(verifyAuditEntries(entries)).toMatchObject({ ok: true, entries: 8 });
        expect(await store.auditHead()).toEqual({ seq: 8, hash: entries[7]!.hash });
        expect(entries[0]).toMatchObject({ action: 'auth.login', actor: { id: alice, username: 'alice' }, target: { type: 'user', id: alice }, at: toUtcIso(T) });

        expect((await store.auditEntries({ afterSeq: 2, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
        const logins = await store.auditEntries({ afterSeq: 0, limit: 100, actions: ['auth.login'] });
        expect(logins).toEqual(entries.filter((e) => e.action === 'auth.login'));
        expect(logins).toHaveLength(4);
        expect((await store.auditEntries({ afterSeq: 0, limit: 100, actions: ['export', 'report.review'] })).map((e) => e.action)).toEqual(['export', 'report.review']);
        expect((await store.auditEntries({ afterSeq: 0, limit: 100, targetId: review.report.id })).map((e) => e.action)).toEqual(['report.review']);
        expect(await store.auditEntries({ afterSeq: 0, limit: 100, actions: ['auth.login'], targetId: review.report.id })).toEqual([]);
      });
    });
  });
}

const T = Date.UTC(2026, 5, 1, 12);
const PLACE: Place = { name: 'Avdiivka', admin1: 'Donetsk Oblast', countryCode: 'UA', distanceM: 3200, bearingDeg: 45, text: '3.2 km NE of Avdiivka (Donetsk Oblast)' };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A normalised report near Avdiivka observed a minute before T; `location: undefined` for a bearing report. */
function item(reporterId: string, fields: Record<string, unknown> = {}): NormalisedReport {
  const input: Record<string, unknown> = {
    id: uuidv7(),
    category: 'shelling',
    observedAt: iso(T - 60_000),
    method: 'heard',
    location: { lon: 37.75, lat: 48.14, accuracyM: 50 },
    ...fields,
  };
  if (input.location === undefined) delete input.location;
  return normaliseReport(ReportInput.parse(input), reporterId, T);
}

function incidentState(id: string, items: NormalisedReport[]): Omit<IncidentState, 'seq'> {
  const first = items[0] as NormalisedReport;
  return {
    id,
    location: { lon: first.report.location.lon, lat: first.report.location.lat },
    uncertaintyM: first.report.uncertaintyM,
    locationMethod: 'centroid',
    reportCount: items.length,
    monitorCount: new Set(items.map((i) => i.reporterId)).size,
    reportIds: items.map((i) => i.report.id),
    categories: [...new Set(items.map((i) => i.report.category))],
    firstObservedAt: toUtcIso(Math.min(...items.map((i) => i.startMs))),
    lastObservedAt: toUtcIso(Math.max(...items.map((i) => i.endMs))),
  };
}

function withoutIncident(item: NormalisedReport): NormalisedReport {
  return { ...item, report: { ...item.report, incidentId: null } };
}

function draft(action: AuditDraft['action'], targetId: string): AuditDraft {
  return { atMs: T, actor: { id: targetId, username: 'alice' }, action, target: { type: 'user', id: targetId } };
}

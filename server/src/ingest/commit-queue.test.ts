import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GROUPING } from '../grouping/index.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { CommitEvents } from './broadcast.js';
import { COMMIT_RETRY, CommitQueue, REPLAY_RACE_TRIES } from './commit-queue.js';
import { type CommitBatch, ReplayRaceError } from '../storage/store.js';
import { loadIncidentIndex } from './load-index.js';
import { TEST_REPORTER_ID, batchOf, normalisedReport } from '../storage/test-batches.js';

const USER = TEST_REPORTER_ID;
const report = normalisedReport;

describe('CommitQueue', () => {
  let dir: string;
  let store: SqliteStore;
  let commits: number;
  let events: CommitEvents[];
  let queue: CommitQueue;
  let clock: number;
  let rebuilds: number;

  beforeEach(async () => {
    clock = Date.UTC(2026, 5, 1, 12);
    rebuilds = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-queue-'));
    store = SqliteStore.open(dir);
    await store.createUser({ id: USER, username: 'alice', passwordHash: 'x', role: 'monitor', createdAtMs: 0 });
    commits = 0;
    const commit = store.commit.bind(store);
    store.commit = (batch) => {
      commits++;
      return commit(batch);
    };
    events = [];
    queue = new CommitQueue(
      store,
      loadIncidentIndex(store, DEFAULT_GROUPING),
      () => {
        rebuilds++;
        return loadIncidentIndex(store, DEFAULT_GROUPING);
      },
      { committed: (e) => events.push(e) },
      pino({ level: 'silent' }),
      1000,
      () => clock,
    );
  });
  afterEach(async () => {
    await queue.drain();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits everything that arrives together in one transaction and broadcasts it once, in seq order', async () => {
    const items = Array.from({ length: 50 }, () => report());
    const outcomes = await Promise.all(items.map((item) => queue.submit(item)));
    // Acknowledged first, broadcast right after (drain waits for it).
    expect(events).toHaveLength(0);
    await queue.drain();
    expect(commits).toBe(1);
    expect(events).toHaveLength(1);
    const seqs = events[0]!.newReports.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(events[0]!.newReports.map((r) => r.id)).toEqual(items.map((i) => i.report.id));
    expect(outcomes.every((o) => !o.duplicate)).toBe(true);
    // All 50 are one event 100 m apart at most: one incident, one area.
    expect(new Set(outcomes.map((o) => o.report.incidentId)).size).toBe(1);
    expect(events[0]!.areas).toHaveLength(1);
    expect(events[0]!.areas[0]!.count).toBe(50);
  });

  it('stores one copy of an id sent twice in one batch, and refuses different content under it', async () => {
    const first = report();
    const same = { ...first };
    const other = report({ id: first.report.id, category: 'explosion' });
    const [a, b, c] = await Promise.allSettled([queue.submit(first), queue.submit(same), queue.submit(other)]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
    expect(b).toMatchObject({ status: 'fulfilled', value: { duplicate: true } });
    expect(c).toMatchObject({ status: 'rejected', reason: { code: 'conflict' } });
    await queue.drain();
    expect(events.flatMap((e) => e.newReports)).toHaveLength(1);
  });

  it('acknowledges nobody when the commit fails, and recovers for the retry', async () => {
    const failing = store.commit.bind(store);
    store.commit = () => Promise.reject(new Error('disk full'));
    const item = report();
    await expect(queue.submit(item)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await store.getReport(item.report.id)).toBeUndefined();
    await queue.drain();
    expect(events).toHaveLength(0);
    store.commit = failing;
    clock += COMMIT_RETRY.firstMs;
    // The index was rebuilt without the failed report: the retry founds a fresh incident.
    const retried = await queue.submit(item);
    expect(retried.duplicate).toBe(false);
    expect((await store.getReport(item.report.id))?.incidentId).toBe(retried.report.incidentId);
  });

  it('after a failed commit, refuses batches without trying until the back-off has passed, doubling it per failed try', async () => {
    const commit = store.commit.bind(store);
    let full = true;
    let tried = 0;
    store.commit = (batch) => {
      tried++;
      return full ? Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })) : commit(batch);
    };

    await expect(queue.submit(report())).rejects.toMatchObject({ code: 'unavailable' });
    expect([tried, rebuilds]).toEqual([1, 1]);
    expect(queue.failing?.reason).toMatch(/SQLITE_FULL.*1 try.*refusing submissions for 1 s more/);
    const since = queue.failing?.sinceMs;
    for (let i = 0; i < 5; i++) await expect(queue.submit(report())).rejects.toMatchObject({ code: 'unavailable' });
    expect([tried, rebuilds]).toEqual([1, 1]);

    clock += COMMIT_RETRY.firstMs;
    await expect(queue.submit(report())).rejects.toMatchObject({ code: 'unavailable' });
    expect([tried, rebuilds]).toEqual([2, 2]);
    expect(queue.failing).toMatchObject({ sinceMs: since, reason: expect.stringMatching(/2 tries.*refusing submissions for 2 s more/) });
    clock += COMMIT_RETRY.firstMs;
    await expect(queue.submit(report())).rejects.toMatchObject({ code: 'unavailable' });
    expect(tried).toBe(2);
    // The back-off over and nothing tried yet: not failing any more, ready to try.
    clock += COMMIT_RETRY.firstMs;
    expect(queue.failing).toBeUndefined();

    full = false;
    expect((await queue.submit(report())).duplicate).toBe(false);
    expect(queue.failing).toBeUndefined();
    expect([tried, rebuilds]).toEqual([3, 2]);
  });

  it('takes a rejected report out of its incident and area, and back in when reinstated', async () => {
    const a = await queue.submit(report());
    const b = await queue.submit(report({ location: { lon: 37.76, lat: 48.14, accuracyM: 100 } }));
    expect(b.report.incidentId).toBe(a.report.incidentId);
    const review = (status: 'rejected' | 'pending') =>
      queue.review({ reportId: b.report.id, status, note: undefined, expectedSeq: undefined, reviewerId: USER, atMs: 1 });
    const rejected = await review('rejected');
    expect(rejected.report.incidentId).toBeNull();
    await queue.drain();
    const incident = events.at(-1)!.incidents.find((i) => i.id === a.report.incidentId);
    expect(incident).toMatchObject({ reportCount: 1 });
    expect(events.at(-1)!.areas.find((x) => x.id === b.report.areaId)?.count).toBe(
      b.report.areaId === a.report.areaId ? 1 : 0,
    );
    const back = await review('pending');
    expect(back.report.incidentId).toBe(a.report.incidentId);
    expect(await review('pending')).toMatchObject({ changed: false });
  });
});

describe('CommitQueue when planning fails', () => {
  it('refuses the batch, rebuilds the index and commits the next one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-queue-'));
    const store = SqliteStore.open(dir);
    await store.createUser({ id: USER, username: 'alice', passwordHash: 'x', role: 'monitor', createdAtMs: 0 });
    let clock = 0;
    const queue = new CommitQueue(
      store,
      loadIncidentIndex(store, DEFAULT_GROUPING),
      () => loadIncidentIndex(store, DEFAULT_GROUPING),
      { committed: () => undefined },
      pino({ level: 'silent' }),
      1000,
      () => clock,
    );
    try {
      // A member the index refuses (a window that ends before it starts) stands for any planning bug.
      const broken = report();
      const bad = { ...broken, report: { ...broken.report, observedUntil: '2026-06-01T10:00:00.000Z' } };
      await expect(queue.submit(bad)).rejects.toMatchObject({ code: 'unavailable' });
      expect(await store.getReport(broken.report.id)).toBeUndefined();
      clock += COMMIT_RETRY.firstMs;
      expect((await queue.submit(report())).duplicate).toBe(false);
      await queue.drain();
    } finally {
      await store.close();
    }
  });
});

/** A batch that stores `items` as another process would: the same ids, no incident, no areas. */
function foreignBatch(items: ReturnType<typeof report>[]): CommitBatch {
  return batchOf({ newReports: items.map((item) => ({ report: { ...item.report, incidentId: null }, reporterId: item.reporterId, canonicalInput: item.canonicalInput })) });
}

describe('CommitQueue when another writer shares the database', () => {
  let dir: string;
  let store: SqliteStore;
  let clock: number;
  let rebuilds: number;
  const open = (): CommitQueue =>
    new CommitQueue(
      store,
      loadIncidentIndex(store, DEFAULT_GROUPING),
      () => {
        rebuilds++;
        return loadIncidentIndex(store, DEFAULT_GROUPING);
      },
      { committed: () => undefined },
      pino({ level: 'silent' }),
      1000,
      () => clock,
    );

  beforeEach(async () => {
    clock = Date.UTC(2026, 5, 1, 12);
    rebuilds = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-queue-'));
    store = SqliteStore.open(dir);
    await store.createUser({ id: USER, username: 'alice', passwordHash: 'x', role: 'monitor', createdAtMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The first commit finds (some of) its new ids stored meanwhile, as when another process
   * stored the same report between this one's `findReports` and its `commit`: the real store
   * answers the insert with ReplayRaceError and rolls back.
   */
  const raceOnce = (copies: ReturnType<typeof report>[]): { commits: () => number } => {
    const commit = store.commit.bind(store);
    let calls = 0;
    store.commit = async (batch) => {
      if (calls++ === 0) await commit(foreignBatch(copies));
      return commit(batch);
    };
    return { commits: () => calls };
  };

  it('answers duplicate for a report another writer stored meanwhile, stores the rest of the batch once, and is not failing', async () => {
    const queue = open();
    const raced = report();
    const other = report();
    const race = raceOnce([raced]);
    const [a, b] = await Promise.all([queue.submit(raced), queue.submit(other)]);
    await queue.drain();
    expect(race.commits()).toBe(2);
    expect(a.duplicate).toBe(true);
    expect(a.report.id).toBe(raced.report.id);
    expect(b.duplicate).toBe(false);
    expect(queue.failing).toBeUndefined();
    expect(rebuilds).toBe(0);
    // One copy of each, with the rest of the first try's batch not stored twice.
    expect((await store.reportsAfterSeq(0, 100)).map((r) => r.id).sort()).toEqual([raced.report.id, other.report.id].sort());
    // The area counts only what this queue committed: the foreign copy brought no area row.
    expect((await store.listAreas({})).reduce((n, area) => n + area.count, 0)).toBe(1);
  });

  it('answers conflict when the copy stored meanwhile has other content', async () => {
    const queue = open();
    const mine = report();
    const theirs = report({ id: mine.report.id, category: 'explosion' });
    raceOnce([theirs]);
    await expect(queue.submit(mine)).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.getReport(mine.report.id))?.category).toBe('explosion');
  });

  it('gives up after a bounded number of tries, as for any failed commit', async () => {
    const queue = open();
    const item = report();
    let tries = 0;
    // A store that keeps refusing, as if the race went on (it cannot with a real one: the
    // stored copy is found on the next try).
    store.commit = (batch) => {
      tries++;
      return Promise.reject(new ReplayRaceError(batch.newReports.map((n) => n.report.id)));
    };
    await expect(queue.submit(item)).rejects.toMatchObject({ code: 'unavailable' });
    expect(tries).toBe(REPLAY_RACE_TRIES);
    expect(queue.failing).toBeDefined();
  });

  it('sees what the other writer committed before planning: a report near theirs joins their incident', async () => {
    const oneIndex = loadIncidentIndex(store, DEFAULT_GROUPING, { watermark: () => store.lastSeq() });
    const one = new CommitQueue(store, oneIndex, () => loadIncidentIndex(store, DEFAULT_GROUPING), { committed: () => undefined }, pino({ level: 'silent' }), 1000, () => clock);
    const two = open();
    // A on one; B, 5 km away (its own incident), on two; then C beside B on one. One's index
    // holds the stretch of time around A but not B: without catching up, C would found a third incident.
    const a = await one.submit(report());
    const b = await two.submit(report({ location: { lon: 37.82, lat: 48.14, accuracyM: 100 } }));
    expect(b.report.incidentId).not.toBe(a.report.incidentId);
    const c = await one.submit(report({ location: { lon: 37.821, lat: 48.14, accuracyM: 100 } }));
    expect(c.report.incidentId).toBe(b.report.incidentId);
    // One caught up with two's commit (B's incident read back), rather than starting over.
    const held = await oneIndex;
    expect(held.stats.catchUps).toBe(1);
    expect(held.index.incidentOf(a.report.id)).toBe(a.report.incidentId);
    expect(held.index.membersOf(b.report.incidentId as string)?.sort()).toEqual([b.report.id, c.report.id].sort());
    expect(rebuilds).toBe(0);
    const incidents = await store.listIncidents({});
    expect(incidents.find((i) => i.id === b.report.incidentId)).toMatchObject({ reportCount: 2 });
    await Promise.all([one.drain(), two.drain()]);
  });

  it('triangulates from two bearing reports of one event sent to two queues at once', async () => {
    const one = open();
    const two = open();
    const bearing = (lon: number, deg: number) =>
      report({
        location: undefined,
        observer: { lon, lat: 48.1, accuracyM: 10 },
        bearing: { fromDeg: deg, toDeg: deg, reference: 'true' },
        distanceM: { min: 3000, max: 7000 },
      });
    const [a, b] = await Promise.all([one.submit(bearing(37.7, 45)), two.submit(bearing(37.8, 315))]);
    expect(a.report.incidentId).toBe(b.report.incidentId);
    const [incident] = await store.listIncidents({});
    expect(incident).toMatchObject({ locationMethod: 'triangulated', triangulation: { reportIds: expect.arrayContaining([a.report.id, b.report.id]) } });
    await Promise.all([one.drain(), two.drain()]);
  });

  it('groups two reports of one event submitted to two queues at once into one incident, with exact area counts', async () => {
    const one = open();
    const two = open();
    const [a, b] = await Promise.all([
      one.submit(report()),
      two.submit(report({ location: { lon: 37.7501, lat: 48.1401, accuracyM: 100 } })),
    ]);
    expect(a.report.incidentId).toBe(b.report.incidentId);
    expect(await store.listAreas({})).toMatchObject([{ count: 2 }]);
    // The seqs are one ordered run, and the watermark is its end.
    const seqs = (await store.reportsAfterSeq(0, 10)).map((r) => r.seq);
    expect(await store.lastSeq()).toBeGreaterThanOrEqual(Math.max(...seqs));
    await Promise.all([one.drain(), two.drain()]);
  });
});

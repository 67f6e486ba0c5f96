import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReportInput, destinationPoint, initialBearingDeg } from '@truceline/shared';
import { DEFAULT_GROUPING } from '../grouping/index.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { CommitQueue } from './commit-queue.js';
import { EVICT_EVERY_MS, type WindowedIncidentIndex, loadIncidentIndex } from './load-index.js';
import { normaliseReport } from './normalise.js';

const USER = '01a22100-0000-7000-8000-000000000001';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 5, 30, 12);
/**
 * Without the incident limits: the scenarios chain day-long windows over weeks, the longest
 * incidents the loader must hold whole when a deployment turns the limits up.
 */
const { maxSpanMs: _unbounded, maxExtentM: _unlimited, ...GROUPING } = DEFAULT_GROUPING;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function report(startMs: number, fields: Record<string, unknown> = {}) {
  const input = ReportInput.parse({
    id: uuidv7(),
    category: 'shelling',
    observedAt: iso(startMs),
    method: 'heard',
    location: { lon: 37.75, lat: 48.14, accuracyM: 100 },
    ...fields,
  });
  return normaliseReport(input, USER, NOW);
}

describe('the windowed incident index on SQLite', () => {
  let dir: string;
  let store: SqliteStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-window-'));
    store = SqliteStore.open(dir);
    await store.createUser({ id: USER, username: 'alice', passwordHash: 'x', role: 'monitor', createdAtMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const queueOf = (windowDays: number) =>
    new CommitQueue(
      store,
      loadIncidentIndex(store, GROUPING, { windowDays, nowMs: NOW }),
      () => loadIncidentIndex(store, GROUPING, { windowDays, nowMs: NOW }),
      { committed: () => undefined },
      pino({ level: 'silent' }),
    );

  it('reads grouping rows by observation start and by incident, without rejected reports', async () => {
    const queue = queueOf(30);
    const old = await queue.submit(report(NOW - 100 * DAY));
    const oldTwin = await queue.submit(report(NOW - 100 * DAY + 5 * MIN));
    const gone = await queue.submit(report(NOW - 100 * DAY + 10 * MIN));
    await queue.review({ reportId: gone.report.id, status: 'rejected', note: undefined, expectedSeq: undefined, reviewerId: USER, reviewerUsername: 'reviewer', atMs: NOW });
    const recent = await queue.submit(report(NOW - HOUR, { location: { lon: 36, lat: 49 } }));
    await queue.drain();

    expect(await store.newestObservedAtMs()).toBe(NOW - HOUR);
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
    expect(ids(await store.groupingMembersStartingBetween(NOW - 100 * DAY, NOW - 100 * DAY + 10 * MIN))).toEqual(
      [old.report.id, oldTwin.report.id].sort(),
    );
    // Both ends inclusive; infinite ends allowed.
    expect(ids(await store.groupingMembersStartingBetween(NOW - HOUR, NOW - HOUR))).toEqual([recent.report.id]);
    expect(await store.groupingMembersStartingBetween(-Infinity, Infinity)).toHaveLength(3);
    const incident = old.report.incidentId as string;
    const fakes = Array.from({ length: 600 }, () => uuidv7());
    const members = await store.groupingMembersOfIncidents([...fakes, incident]);
    expect(ids(members)).toEqual([old.report.id, oldTwin.report.id].sort());
    expect(members.find((m) => m.id === old.report.id)).toEqual({
      id: old.report.id,
      category: 'shelling',
      startMs: NOW - 100 * DAY,
      endMs: NOW - 100 * DAY,
      lon: 37.75,
      lat: 48.14,
      radiusM: 100,
      reporterId: USER,
      incidentId: incident,
    });
  });

  it('loads the recent window with whole incidents at start, and older stretches on demand', async () => {
    const full = queueOf(0);
    // An incident that starts 40 days ago and, through 24-hour windows, reaches into the last 30 days.
    let t = NOW - 40 * DAY;
    const chain = [];
    while (t < NOW - 25 * DAY) {
      chain.push(await full.submit(report(t, { observedUntil: iso(t + DAY - MIN) })));
      t += DAY;
    }
    expect(new Set(chain.map((c) => c.report.incidentId)).size).toBe(1);
    const lonely = await full.submit(report(NOW - 200 * DAY));
    await full.drain();

    const windowed = await loadIncidentIndex(store, GROUPING, { windowDays: 30, nowMs: NOW });
    // The chain is held whole (its members from 40 days ago too); the 200-day-old report is not.
    expect(windowed.size).toBe(chain.length);
    expect(windowed.index.membersOf(chain[0]?.report.incidentId as string)).toHaveLength(chain.length);
    expect(windowed.index.incidentOf(lonely.report.id)).toBeUndefined();
    expect(windowed.readyFor(NOW - 200 * DAY, NOW - 200 * DAY)).toBe(false);
    const before = windowed.stats.loads;
    await windowed.prepare({ windows: [{ startMs: NOW - 200 * DAY, endMs: NOW - 200 * DAY }], incidentIds: [] });
    expect(windowed.index.incidentOf(lonely.report.id)).toBe(lonely.report.incidentId);
    expect(windowed.readyFor(NOW - 200 * DAY, NOW - 200 * DAY)).toBe(true);
    // Loaded stretches are not read again.
    await windowed.prepare({ windows: [{ startMs: NOW - 200 * DAY, endMs: NOW - 200 * DAY }], incidentIds: [] });
    expect(windowed.stats.loads).toBe(before + 1);

    // A queue with the window links an old late arrival to the stored old report.
    const queue = queueOf(30);
    const late = await queue.submit(report(NOW - 200 * DAY + 10 * MIN));
    expect(late.report.incidentId).toBe(lonely.report.incidentId);
    // And rejecting a report of an incident not loaded (after a rebuild) works on the whole incident.
    const again = queueOf(30);
    const rejected = await again.review({
      reportId: lonely.report.id,
      status: 'rejected',
      note: undefined,
      expectedSeq: undefined,
      reviewerId: USER,
      reviewerUsername: 'reviewer',
      atMs: NOW,
    });
    expect(rejected.report.incidentId).toBeNull();
    expect((await store.getReport(late.report.id))?.incidentId).toBe(lonely.report.incidentId);
    await again.drain();
  });

  it('brings bearing reports back with their line of sight, so a triangulated incident stays triangulated after a restart', async () => {
    const queue = queueOf(30);
    const truth = { lon: 37.75, lat: 48.14 };
    // Two observers 3 km apart whose bearings cross at 90° over the truth; one without an accuracy.
    const looks = [
      { at: destinationPoint(truth, 2121, 225), accuracyM: 15 },
      { at: destinationPoint(truth, 2121, 135), accuracyM: undefined },
    ];
    const stored = [];
    for (const { at, accuracyM } of looks) {
      const deg = Math.round(initialBearingDeg(at, truth) * 100) / 100;
      stored.push(
        await queue.submit(
          report(NOW - HOUR, {
            location: undefined,
            observer: { lon: at.lon, lat: at.lat, ...(accuracyM !== undefined && { accuracyM }) },
            bearing: { fromDeg: deg, toDeg: deg, reference: 'true' },
            distanceM: { min: 1500, max: 3000 },
          }),
        ),
      );
    }
    await queue.drain();
    const incidentId = stored[0]?.report.incidentId as string;
    expect(stored[1]?.report.incidentId).toBe(incidentId);
    const [before] = (await store.listIncidents({})).filter((i) => i.id === incidentId);
    expect(before).toMatchObject({ locationMethod: 'triangulated', triangulation: { reportIds: stored.map((s) => s.report.id) } });

    const rows = await store.groupingMembersOfIncidents([incidentId]);
    expect(rows.find((r) => r.id === stored[0]?.report.id)?.wedge).toEqual({
      observerLon: looks[0]?.at.lon,
      observerLat: looks[0]?.at.lat,
      accuracyM: 15,
      fromDeg: stored[0]?.report.bearingTrue?.fromDeg,
      toDeg: stored[0]?.report.bearingTrue?.toDeg,
      minM: 1500,
      maxM: 3000,
    });
    expect(rows.find((r) => r.id === stored[1]?.report.id)?.wedge).toMatchObject({ accuracyM: 0 });
    const reloaded = await loadIncidentIndex(store, DEFAULT_GROUPING, { windowDays: 30, nowMs: NOW });
    const { seq: _seq, ...state } = before as Exclude<typeof before, undefined>;
    expect(reloaded.index.summary(incidentId)).toEqual(state);
  });

  it('an empty store holds everything from the start', async () => {
    const windowed = await loadIncidentIndex(store, GROUPING, { windowDays: 30, nowMs: NOW });
    expect(windowed.loadedIntervals).toEqual([[-Infinity, Infinity]]);
    expect(windowed.stats.loadedMembers).toBe(0);
  });

  it('stays bounded while reports stream in over simulated months, and reloads an evicted stretch for a late arrival', async () => {
    const windowDays = 7;
    const perDay = 8;
    const days = 150;
    const start = NOW - days * DAY;
    // The queue's clock: the simulated day, so eviction (at most once a minute) runs each day.
    let clock = start;
    const index = loadIncidentIndex(store, GROUPING, { windowDays, nowMs: start });
    const queue = new CommitQueue(store, index, () => loadIncidentIndex(store, GROUPING, { windowDays, nowMs: clock }), { committed: () => undefined }, pino({ level: 'silent' }), 1000, () => clock);
    const windowed = (await queue.ready()) as WindowedIncidentIndex;
    let largest = 0;
    let first: Awaited<ReturnType<CommitQueue['submit']>> | undefined;
    for (let day = 0; day < days; day++) {
      clock = start + day * DAY + 23 * HOUR;
      // A day's reports, three hours apart at one spot: one incident each, one group commit.
      const stored = await Promise.all(Array.from({ length: perDay }, (_, i) => queue.submit(report(start + day * DAY + i * 3 * HOUR))));
      first ??= stored[0];
      largest = Math.max(largest, windowed.size);
    }
    await queue.drain();
    expect(await queue.ready()).toBe(windowed); // never rebuilt
    // The window (7 days before the newest) and the day in progress: never the whole history.
    expect(largest).toBeLessThanOrEqual((windowDays + 2) * perDay);
    expect(largest).toBeGreaterThanOrEqual(windowDays * perDay);
    expect(windowed.index.incidentOf(first?.report.id as string)).toBeUndefined();
    expect(windowed.loadedIntervals[0]?.[0]).toBeGreaterThan(NOW - (windowDays + 2) * DAY);

    // A late arrival from the first day joins the stored report it belongs with.
    clock += EVICT_EVERY_MS / 2;
    const late = await queue.submit(report(start + 10 * MIN));
    expect(late.report.incidentId).toBe(first?.report.incidentId);
    expect(windowed.index.membersOf(late.report.incidentId as string)).toEqual([first?.report.id, late.report.id]);
    // And is let go of again at the next eviction.
    clock += EVICT_EVERY_MS;
    await queue.submit(report(NOW - HOUR));
    expect(windowed.index.incidentOf(late.report.id)).toBeUndefined();
    expect(windowed.size).toBeLessThanOrEqual((windowDays + 2) * perDay);
  });
});

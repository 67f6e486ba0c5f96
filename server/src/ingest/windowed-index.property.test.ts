import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '@truceline/shared';
import { chainWalk } from '../grouping/testing/chain-walk.js';
import { DEFAULT_GROUPING, EARTH_RADIUS_M, IncidentIndex, type Member } from '../grouping/index.js';
import { seededRandom } from '@truceline/shared';
import type { GroupingChange, GroupingRow } from '../storage/store.js';
import { type GroupingSource, MAX_OBSERVATION_WINDOW_MS, type WindowedIncidentIndex, loadIncidentIndex } from './load-index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * An in-memory stand-in for the store's grouping rows: what the commit queue persists after each
 * batch (incident ids of added and moved members, rejections), read back by the loader.
 */
class MemorySource implements GroupingSource {
  readonly rows = new Map<string, { member: Member; incidentId: string | null; rejected: boolean; seq: number }>();
  reads = 0;
  /** The watermark: each write of a row gives it the next seq, as a commit does. */
  seq = 0;

  write(id: string, row: { member: Member; incidentId: string | null; rejected: boolean }): void {
    this.rows.set(id, { ...row, seq: ++this.seq });
  }

  private row(id: string): GroupingRow {
    const r = this.rows.get(id);
    if (!r || r.incidentId === null) throw new Error(`no grouping row ${id}`);
    return { ...r.member, incidentId: r.incidentId };
  }

  private live(): string[] {
    return [...this.rows].filter(([, r]) => !r.rejected).map(([id]) => id);
  }

  async *groupingMembers(): AsyncIterable<GroupingRow[]> {
    this.reads++;
    await Promise.resolve();
    yield this.live().map((id) => this.row(id));
  }

  groupingMembersStartingBetween(fromMs: number, toMs: number): Promise<GroupingRow[]> {
    this.reads++;
    return Promise.resolve(
      this.live()
        .map((id) => this.row(id))
        .filter((r) => r.startMs >= fromMs && r.startMs <= toMs),
    );
  }

  groupingMembersOfIncidents(ids: readonly string[]): Promise<GroupingRow[]> {
    this.reads++;
    const wanted = new Set(ids);
    return Promise.resolve(
      this.live()
        .map((id) => this.row(id))
        .filter((r) => wanted.has(r.incidentId)),
    );
  }

  groupingChangesBetween(afterSeq: number, throughSeq: number, limit: number): Promise<GroupingChange[]> {
    this.reads++;
    const changed = [...this.rows].filter(([, r]) => r.seq > afterSeq && r.seq <= throughSeq).sort((a, b) => a[1].seq - b[1].seq);
    return Promise.resolve(
      changed.slice(0, limit).map(([id, r]) => ({ id, startMs: r.member.startMs, incidentId: r.rejected ? null : r.incidentId })),
    );
  }

  newestObservedAtMs(): Promise<number | undefined> {
    let newest: number | undefined;
    for (const { member } of this.rows.values()) newest = Math.max(newest ?? -Infinity, member.startMs);
    return Promise.resolve(newest);
  }
}

type Op = { kind: 'add'; member: Member } | { kind: 'reject'; id: string } | { kind: 'unreject'; id: string };

const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);

/**
 * A history of `days` days at a few hot spots (so incidents chain over hours and, with long
 * windows, across days), arriving mostly in order but with late arrivals from weeks back
 * (outboxes flushed after long offline stretches), rejections and un-rejections of old and new
 * reports.
 */
function stream(seed: number, days: number, chains = 0): Op[] {
  const r = seededRandom(seed);
  const t0 = Date.UTC(2024, 0, 1);
  const spots = Array.from({ length: 4 }, () => ({ lon: 37 + r() * 0.1, lat: 48 + r() * 0.1 }));
  const n = 250 + Math.floor(r() * 150);
  const members: Member[] = [];
  for (let i = 0; i < n; i++) {
    const startMs = t0 + Math.floor(r() * days * DAY);
    const d = r();
    const dur = d < 0.6 ? r() * 10 * MIN : d < 0.9 ? r() * 3 * HOUR : d < 0.97 ? r() * MAX_OBSERVATION_WINDOW_MS : MAX_OBSERVATION_WINDOW_MS;
    const spot = spots[Math.floor(r() * spots.length)] as { lon: number; lat: number };
    members.push({
      id: `m${String(i).padStart(4, '0')}`,
      category: CATEGORIES[Math.floor(r() * 4)] as Member['category'],
      startMs,
      endMs: startMs + Math.floor(dur),
      lat: spot.lat + deg((r() - 0.5) * 6_000),
      lon: spot.lon + deg((r() - 0.5) * 6_000) / Math.cos((48 * Math.PI) / 180),
      radiusM: r() < 0.5 ? 0 : r() * 1_500,
      reporterId: `rep-${Math.floor(r() * 5)}`,
    });
  }
  // Chains: walks of a report every few minutes a few hundred metres on, running past the
  // incident limits, so that the index cuts them and must hold what the cuts depend on.
  for (let c = 0; c < chains; c++) {
    const spot = spots[Math.floor(r() * spots.length)] as { lon: number; lat: number };
    const start = { ...spot, startMs: t0 + Math.floor(r() * days * DAY) };
    const steps = 40 + Math.floor(r() * 50);
    const at = members.length;
    members.push(...chainWalk(r, start, steps, (i) => ({ id: `m${String(at + i).padStart(4, '0')}`, category: 'shelling', reporterId: `rep-${Math.floor(r() * 5)}` })));
  }
  // Arrival order: by start, except ~15 % that arrive much later than they were observed.
  const arrival = members.map((m) => ({ m, at: m.startMs + (r() < 0.15 ? r() * days * DAY : r() * HOUR) }));
  arrival.sort((a, b) => a.at - b.at);
  const ops: Op[] = [];
  const added: string[] = [];
  const rejected: string[] = [];
  for (const { m } of arrival) {
    ops.push({ kind: 'add', member: m });
    added.push(m.id);
    const q = r();
    if (q < 0.1) {
      const id = added[Math.floor(r() * added.length)] as string;
      ops.push({ kind: 'reject', id });
      rejected.push(id);
    } else if (q < 0.14 && rejected.length > 0) {
      ops.push({ kind: 'unreject', id: rejected[Math.floor(r() * rejected.length)] as string });
    }
  }
  return ops;
}

function idMinter(): () => string {
  let n = 0;
  return () => `inc-${String(++n).padStart(6, '0')}`;
}

/**
 * Now and then between batches, besides restarts: `clear` the windowed index, or evict a random
 * stretch of its past. `processes`: that many windowed indexes over one store, as processes on
 * one database; each batch is planned by one of them at random, which first catches up with what
 * the others committed since its own last commit.
 */
interface Churn {
  clears?: boolean;
  evictions?: boolean;
  processes?: number;
}

/** Invariants 1 and 2 of `WindowedIncidentIndex`, checked against the store and the full index. */
function expectInvariants(seed: number, windowed: WindowedIncidentIndex, full: IncidentIndex, source: MemorySource): void {
  const loaded = windowed.loadedIntervals;
  const checked = new Set<string>();
  for (const [id, row] of source.rows) {
    if (row.rejected) continue;
    const held = windowed.index.incidentOf(id);
    if (held === undefined) {
      if (loaded.some(([a, b]) => row.member.startMs >= a && row.member.startMs <= b)) {
        expect.fail(`seed ${seed}: ${id} starts in a loaded stretch but is not held`);
      }
      continue;
    }
    if (checked.has(held)) continue;
    checked.add(held);
    expect(windowed.index.membersOf(held)).toEqual(full.membersOf(held));
  }
}

/** Runs `ops` against a full index and a windowed one fed from `source`, batch by batch, restarting the windowed one now and then. */
async function run(
  seed: number,
  windowDays: number,
  chains = 0,
  churn: Churn = {},
): Promise<{ restarts: number; smallest: number; total: number; loads: number; clears: number; evicted: number; catchUps: number }> {
  const r = seededRandom(seed * 7919);
  const ops = stream(seed, 60, chains);
  const full = new IncidentIndex(DEFAULT_GROUPING, idMinter());
  const source = new MemorySource();
  const mintW = idMinter();
  let nowMs = Date.UTC(2024, 0, 1);
  const open = (): Promise<WindowedIncidentIndex> =>
    loadIncidentIndex(source, DEFAULT_GROUPING, { windowDays, nowMs, newIncidentId: mintW, watermark: () => Promise.resolve(source.seq) });
  const processes = await Promise.all(Array.from({ length: churn.processes ?? 1 }, open));
  /** The watermark each process's index last matched. */
  const synced = processes.map(() => source.seq);
  let catchUps = 0;
  let windowed = processes[0] as WindowedIncidentIndex;
  const status = new Map<string, boolean>(); // id → rejected
  let restarts = 0;
  let smallest = Infinity;
  let loads = 0;
  let clears = 0;
  let evicted = 0;
  const updated = new Set<string>();

  for (let i = 0; i < ops.length; ) {
    const batch = ops.slice(i, i + 1 + Math.floor(r() * 5));
    i += batch.length;
    const p = processes.length > 1 ? Math.floor(r() * processes.length) : 0;
    windowed = processes[p] as WindowedIncidentIndex;
    if ((synced[p] as number) !== source.seq) {
      const before = windowed.stats.catchUps;
      await windowed.catchUp(await source.groupingChangesBetween(synced[p] as number, source.seq, Infinity));
      catchUps += windowed.stats.catchUps - before;
      expectInvariants(seed, windowed, full, source);
    }
    // The commit queue's needs: windows of what may join, incidents of what may leave.
    const windows: { startMs: number; endMs: number }[] = [];
    const incidentIds: string[] = [];
    for (const op of batch) {
      const member = op.kind === 'add' ? op.member : source.rows.get(op.id)?.member;
      if (!member) continue;
      if (op.kind !== 'reject' || !status.get(member.id)) windows.push(member);
      if (op.kind === 'reject') {
        const stored = source.rows.get(op.id)?.incidentId;
        if (stored) incidentIds.push(stored);
      }
    }
    await windowed.prepare({ windows, incidentIds });
    const touched = new Set<string>();
    updated.clear();
    for (const op of batch) {
      if (op.kind === 'add') {
        nowMs = Math.max(nowMs, op.member.startMs);
        const a = full.add(op.member);
        expect(windowed.readyFor(op.member.startMs, op.member.endMs)).toBe(true);
        const b = windowed.index.add(op.member);
        expect(b).toEqual(a);
        source.write(op.member.id, { member: op.member, incidentId: null, rejected: false });
        status.set(op.member.id, false);
        touched.add(op.member.id);
        for (const { memberId } of b.moved) touched.add(memberId);
        for (const id of b.updated) updated.add(id);
      } else if (op.kind === 'reject') {
        if (status.get(op.id)) continue;
        expect(windowed.index.incidentOf(op.id)).toBe(full.incidentOf(op.id));
        const a = full.remove(op.id);
        const b = windowed.index.remove(op.id);
        expect(b).toEqual(a);
        status.set(op.id, true);
        touched.add(op.id);
        for (const { memberId } of b.moved) touched.add(memberId);
        for (const id of b.updated) updated.add(id);
      } else {
        if (!status.get(op.id)) continue;
        const member = source.rows.get(op.id)?.member as Member;
        expect(windowed.readyFor(member.startMs, member.endMs)).toBe(true);
        const a = full.add(member);
        const b = windowed.index.add(member);
        expect(b).toEqual(a);
        status.set(op.id, false);
        touched.add(op.id);
        for (const { memberId } of b.moved) touched.add(memberId);
        for (const id of b.updated) updated.add(id);
      }
    }
    // Commit: persist what the batch changed, as BatchPlan + SqliteStore.commit do.
    const touchedIncidents = new Set<string>(updated);
    for (const id of touched) {
      const now = windowed.index.incidentOf(id);
      if (now !== undefined) touchedIncidents.add(now);
      const row = source.rows.get(id);
      if (!row) throw new Error('lost row');
      const rejected = status.get(id) === true;
      source.write(id, { member: row.member, rejected, incidentId: rejected ? null : (windowed.index.incidentOf(id) ?? null) });
    }
    synced[p] = source.seq;
    // The store (every member) and the windowed index (what it holds) agree with the full index.
    const checked = new Set<string>();
    for (const [id, row] of source.rows) {
      if (row.incidentId !== (row.rejected ? null : full.incidentOf(id))) {
        expect.fail(`seed ${seed}: stored incident of ${id} is ${row.incidentId}, full index says ${full.incidentOf(id)}`);
      }
      const held = windowed.index.incidentOf(id);
      if (held === undefined) continue;
      if (held !== full.incidentOf(id)) expect.fail(`seed ${seed}: ${id} held in ${held}, full index says ${full.incidentOf(id)}`);
      if (checked.has(held) || !touchedIncidents.has(held)) continue;
      checked.add(held);
      // Held whole, with the same summary.
      expect(windowed.index.membersOf(held)).toEqual(full.membersOf(held));
      expect(windowed.index.summary(held)).toEqual(full.summary(held));
    }
    smallest = Math.min(smallest, windowed.size / Math.max(1, full.size));
    const c = r();
    if (churn.clears && c < 0.03) {
      // Another process committed: everything held is dropped and refilled on demand.
      windowed.clear();
      expect(windowed.size).toBe(0);
      expect(windowed.loadedIntervals).toEqual([]);
      clears++;
    } else if (churn.evictions && c < 0.15) {
      const before = windowed.size;
      const dropped = windowed.evictBefore(nowMs - Math.floor(r() * (windowDays + 3) * DAY));
      expect(windowed.size).toBe(before - dropped);
      evicted += dropped;
      expectInvariants(seed, windowed, full, source);
    }
    if (r() < 0.04) {
      // Restart: a fresh windowed index from the store, with the id minter continuing.
      loads += windowed.stats.loads;
      processes[p] = windowed = await open();
      synced[p] = source.seq;
      restarts++;
    }
  }
  for (const index of processes) loads += index.stats.loads;
  return { restarts, smallest, total: full.size, loads, clears, evicted, catchUps };
}

describe('windowed incident index fed lazily from the store', () => {
  it('decides exactly what the full index decides (ids, memberships, summaries), across restarts, late arrivals and rejections', async () => {
    let windowedAtSomePoint = 0;
    let restarts = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const result = await run(seed, 1 + (seed % 5));
      restarts += result.restarts;
      if (result.smallest < 0.5) windowedAtSomePoint++;
    }
    // The runs really exercised the window: restarts happened and the index held a part only.
    expect(restarts).toBeGreaterThan(15);
    expect(windowedAtSomePoint).toBeGreaterThan(20);
  }, 120_000);

  it('decides exactly what the full index decides when chains run past the incident limits', async () => {
    let restarts = 0;
    for (let seed = 31; seed <= 44; seed++) restarts += (await run(seed, 1 + (seed % 3), 6)).restarts;
    expect(restarts).toBeGreaterThan(10);
  }, 120_000);

  it('still decides exactly what the full index decides when it is cleared and evicted now and then', async () => {
    let clears = 0;
    let evicted = 0;
    for (let seed = 101; seed <= 124; seed++) {
      const result = await run(seed, 1 + (seed % 5), seed % 3 === 0 ? 4 : 0, { clears: true, evictions: true });
      clears += result.clears;
      evicted += result.evicted;
    }
    // The churn really happened: indexes were emptied and many members let go of and reloaded.
    expect(clears).toBeGreaterThan(20);
    expect(evicted).toBeGreaterThan(2000);
  }, 180_000);

  it('decides exactly what the full index decides with three processes, each catching up with the others before its batch', async () => {
    let catchUps = 0;
    for (let seed = 201; seed <= 224; seed++) {
      const result = await run(seed, 1 + (seed % 5), seed % 3 === 0 ? 4 : 0, { evictions: seed % 2 === 0, processes: 3 });
      catchUps += result.catchUps;
    }
    // Most batches followed another process's: the catch-ups really reloaded incidents.
    expect(catchUps).toBeGreaterThan(1000);
  }, 180_000);

  it('windowDays 0 loads everything at start', async () => {
    const source = new MemorySource();
    const m: Member = { id: 'a', category: 'shelling', startMs: 0, endMs: 0, lon: 37, lat: 48, radiusM: 0, reporterId: 'x' };
    source.write('a', { member: m, incidentId: 'i1', rejected: false });
    source.write('b', { member: { ...m, id: 'b', startMs: 400 * DAY, endMs: 400 * DAY }, incidentId: 'i2', rejected: false });
    const all = await loadIncidentIndex(source, DEFAULT_GROUPING, { windowDays: 0, nowMs: 400 * DAY });
    expect(all.size).toBe(2);
    expect(all.readyFor(-1e15, 1e15)).toBe(true);
    const recent = await loadIncidentIndex(source, DEFAULT_GROUPING, { windowDays: 30, nowMs: 400 * DAY });
    expect(recent.size).toBe(1);
    expect(recent.readyFor(0, 0)).toBe(false);
    expect(recent.readyFor(399 * DAY, 400 * DAY)).toBe(true);
  });
});

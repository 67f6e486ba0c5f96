import { describe, expect, it } from 'vitest';
import { seededRandom, shuffled } from '@truceline/shared';
import { chainWalk } from './testing/chain-walk.js';
import { IncidentIndex } from './incident-index.js';
import { tileKey, withinLimits } from './limits.js';
import { DEFAULT_GROUPING, EARTH_RADIUS_M, type GroupingConfig, linked } from './link.js';
import { CATEGORIES, locateFromBearing } from '@truceline/shared';
import type { Category } from './taxonomy-import.js';
import { type GroupingChange, type IncidentSummary, type Member, compareMembers } from './types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Every category, from the taxonomy itself. */
const ALL: readonly Category[] = CATEGORIES;
/** Weighted towards the big artillery family so that components of many sizes occur. */
const WEIGHTED: readonly Category[] = [...ALL, 'shelling', 'shelling', 'explosion', 'explosion', 'shelling', 'small_arms_fire'];

const rng = seededRandom;

function pick<T>(r: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('empty');
  return x;
}


/** 60–200 members in ~15 km × 15 km and 4 h, with radii 0–15 km and windows 0–6 h; 30 % are bearing reports. */
function generate(seed: number): Member[] {
  const r = rng(seed);
  const n = 60 + Math.floor(r() * 141);
  const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);
  const t0 = Date.UTC(2025, 2, 1);
  const members: Member[] = [];
  for (let i = 0; i < n; i++) {
    const startMs = t0 + Math.floor(r() * 4 * HOUR);
    const d = r();
    const dur = d < 0.7 ? r() * 10 * MIN : d < 0.95 ? r() * HOUR : r() * 6 * HOUR;
    const q = r();
    const radiusM = q < 0.3 ? 0 : q < 0.8 ? r() * 1_500 : q < 0.95 ? r() * 5_000 : r() * 15_000;
    const lat = 48 + deg(r() * 15_000);
    const lon = 37 + deg(r() * 15_000) / Math.cos((48 * Math.PI) / 180);
    const base = { id: `m${seed}-${i}`, category: pick(r, WEIGHTED), startMs, endMs: startMs + Math.floor(dur), reporterId: `rep-${Math.floor(r() * 12)}` };
    if (r() < 0.3) {
      // A bearing report: a wedge (a third of them a single bearing) seen from (lon, lat).
      const fromDeg = r() * 360;
      const width = r() < 0.33 ? 0 : r() * 60;
      const minM = 200 + r() * 3_000;
      const wedge = { observerLon: lon, observerLat: lat, accuracyM: r() * 100, fromDeg, toDeg: (fromDeg + width) % 360, minM, maxM: minM + r() * 6_000 };
      const at = locateFromBearing({ lon, lat, accuracyM: wedge.accuracyM }, { fromDeg, toDeg: wedge.toDeg }, { min: wedge.minM, max: wedge.maxM });
      members.push({ ...base, ...at.location, radiusM: at.uncertaintyM, wedge });
    } else {
      members.push({ ...base, lat, lon, radiusM });
    }
  }
  return members;
}

/** Union-find over all pairs that `related` holds for. */
function bruteGroups(members: readonly Member[], related: (a: Member, b: Member) => boolean): Member[][] {
  const parent = members.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    return root;
  };
  members.forEach((a, i) => {
    for (let j = i + 1; j < members.length; j++) {
      const b = members[j] as Member;
      if (related(a, b)) parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Member[]>();
  members.forEach((m, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), m]);
  });
  return [...groups.values()];
}

/**
 * Reference, by brute force from the definition: the connected components of `linked`; a
 * component over the incident limits falls into the components of its links within one tile.
 */
function bruteComponents(members: readonly Member[], cfg: GroupingConfig): string[][] {
  const incidents: Member[][] = [];
  for (const component of bruteGroups(members, (a, b) => linked(a, b, cfg))) {
    if (withinLimits(component, cfg)) incidents.push(component);
    else incidents.push(...bruteGroups(component, (a, b) => tileKey(a, cfg) === tileKey(b, cfg) && linked(a, b, cfg)));
  }
  return canonical(incidents.map((g) => g.map((m) => m.id)));
}

/** A partition as a sorted list of sorted id lists, so that set-of-sets equality is `toEqual`. */
function canonical(groups: string[][]): string[][] {
  return groups.map((g) => [...g].sort()).sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));
}

function partitionOf(idx: IncidentIndex, members: readonly Member[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const m of members) {
    const inc = idx.incidentOf(m.id);
    if (inc === undefined) throw new Error(`${m.id} not indexed`);
    groups.set(inc, [...(groups.get(inc) ?? []), m.id]);
  }
  return canonical([...groups.values()]);
}

/**
 * Drives an index while keeping a shadow memberId → incidentId map updated ONLY from the
 * returned changes; any change the index forgets to report makes the shadow diverge.
 */
class Harness {
  readonly shadow = new Map<string, string>();
  readonly held = new Map<string, Member>();
  readonly idx: IncidentIndex;
  constructor(prefix: string) {
    let n = 0;
    this.idx = new IncidentIndex(DEFAULT_GROUPING, () => `${prefix}${++n}`);
  }
  add(m: Member): void {
    const change = this.idx.add(m);
    const into = change.incidentId;
    if (into === undefined || change.moved.some((x) => x.memberId === m.id)) {
      throw new Error(`bad change for added ${m.id}`);
    }
    if (change.merged.length > 0) {
      // Survivor: smallest (firstObservedAt, id) among the merged incidents, as they were before.
      const involved = [into, ...change.merged.map((x) => x.id)].map((id) => ({ id, first: this.firstStart(id) }));
      involved.sort((a, b) => a.first - b.first || (a.id < b.id ? -1 : 1));
      expect(involved[0]?.id).toBe(into);
      expect(change.merged.every((x) => x.into === into)).toBe(true);
    }
    this.apply(change);
    this.shadow.set(m.id, into);
    this.held.set(m.id, m);
    this.check(change);
  }
  remove(id: string): void {
    const from = this.shadow.get(id);
    const usedBefore = new Set(this.shadow.values());
    const formerPeers = [...this.shadow]
      .filter(([memberId, inc]) => inc === from && memberId !== id)
      .map(([memberId]) => this.held.get(memberId))
      .filter((m): m is Member => m !== undefined);
    const change = this.idx.remove(id);
    if (change.incidentId !== undefined) throw new Error('remove must not name an incident');
    this.shadow.delete(id);
    this.held.delete(id);
    this.apply(change);
    this.check(change);
    // A piece of an over-limit component may give members to parts the removal brings back within
    // the limits; otherwise the split rule holds: the earliest remaining former member keeps the
    // id, the other parts get fresh ids.
    if (change.merged.length > 0 || change.moved.some((mv) => mv.from !== from || usedBefore.has(mv.to))) return;
    const earliest = formerPeers.sort(compareMembers)[0];
    if (earliest) expect(this.shadow.get(earliest.id)).toBe(from);
    else expect(change.dissolved).toEqual([from]);
    for (const mv of change.moved) {
      expect(mv.from).toBe(from);
      expect(usedBefore.has(mv.to)).toBe(false);
    }
  }
  /** Earliest startMs of an incident according to the shadow (i.e. before the pending change). */
  private firstStart(incidentId: string): number {
    let first = Number.POSITIVE_INFINITY;
    for (const [memberId, inc] of this.shadow) {
      const m = this.held.get(memberId);
      if (inc === incidentId && m) first = Math.min(first, m.startMs);
    }
    return first;
  }
  private apply(change: GroupingChange): void {
    for (const mv of change.moved) {
      if (this.shadow.get(mv.memberId) !== mv.from) throw new Error(`moved ${mv.memberId} from the wrong incident`);
      this.shadow.set(mv.memberId, mv.to);
    }
  }
  /** Collects every inconsistency and asserts once (an `expect` per member per step is slow). */
  private check(change: GroupingChange): void {
    const problems: string[] = [];
    if (new Set(change.updated).size !== change.updated.length) problems.push('updated has duplicates');
    for (const id of change.updated) if (!this.idx.summary(id)) problems.push(`updated ${id} does not exist`);
    for (const { id, into } of change.merged) {
      if (this.idx.summary(id)) problems.push(`merged ${id} still exists`);
      if (!this.idx.summary(into)) problems.push(`merge target ${into} missing`);
    }
    for (const id of change.dissolved) if (this.idx.summary(id)) problems.push(`dissolved ${id} still exists`);
    const counts = new Map<string, number>();
    for (const [memberId, inc] of this.shadow) {
      if (this.idx.incidentOf(memberId) !== inc) problems.push(`${memberId}: shadow ${inc}, index ${String(this.idx.incidentOf(memberId))}`);
      counts.set(inc, (counts.get(inc) ?? 0) + 1);
    }
    for (const [inc, count] of counts) {
      if (this.idx.summary(inc)?.reportCount !== count) problems.push(`${inc} count`);
    }
    if (this.idx.incidentCount !== counts.size) problems.push('incident count');
    expect(problems).toEqual([]);
  }
}

/** Summaries keyed by member set, ids stripped: must not depend on insertion order. */
function summariesByMembers(idx: IncidentIndex, partition: string[][]): Map<string, Omit<IncidentSummary, 'id'>> {
  const out = new Map<string, Omit<IncidentSummary, 'id'>>();
  for (const group of partition) {
    const inc = idx.incidentOf(group[0] ?? '');
    const s = inc === undefined ? undefined : idx.summary(inc);
    if (!s) throw new Error('missing summary');
    const { id: _id, ...rest } = s;
    out.set(group.join(','), rest);
  }
  return out;
}

/** Two orders give the reference partition and equal summaries; rejections one by one keep it. */
function checkOrders(members: readonly Member[], seed: number): void {
    const expected = bruteComponents(members, DEFAULT_GROUPING);
  const r = rng(seed * 7919);
  const first = new Harness('a');
  const second = new Harness('b');
  for (const m of shuffled(r, members)) first.add(m);
  for (const m of shuffled(r, members)) second.add(m);
  expect(partitionOf(first.idx, members)).toEqual(expected);
  expect(partitionOf(second.idx, members)).toEqual(expected);
  expect(summariesByMembers(first.idx, expected)).toEqual(summariesByMembers(second.idx, expected));

  // Reject ~40 % one at a time: the rest must still be exactly the components.
  let remaining = [...members];
  const rejected = shuffled(r, members).slice(0, Math.floor(members.length * 0.4));
  rejected.forEach((m, i) => {
    first.remove(m.id);
    remaining = remaining.filter((x) => x.id !== m.id);
    if (i % 8 === 0 || i === rejected.length - 1) {
      expect(partitionOf(first.idx, remaining)).toEqual(bruteComponents(remaining, DEFAULT_GROUPING));
    }
  });
  expect(first.idx.size).toBe(remaining.length);
  }

describe('grouping property: partition = connected components, whatever the order', () => {
  const seeds = Array.from({ length: 30 }, (_, i) => i + 1);

  it.each(seeds)('seed %i', (seed) => checkOrders(generate(seed), seed));

  it('the generator produces a mix of singletons and large incidents', () => {
    const sizes = seeds.flatMap((s) => bruteComponents(generate(s), DEFAULT_GROUPING).map((g) => g.length));
    expect(sizes.filter((x) => x === 1).length).toBeGreaterThan(100);
    expect(sizes.filter((x) => x >= 2 && x <= 5).length).toBeGreaterThan(50);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(20);
  });
});

/** Chains: four walks of short, close reports near each other (see `chainWalk`). */
const CHAIN_CATEGORIES: readonly Category[] = ['shelling', 'explosion', 'shelling', 'small_arms_fire'];

function generateChains(seed: number): Member[] {
  const r = rng(seed);
  const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);
  const members: Member[] = [];
  for (let w = 0; w < 4; w++) {
    const start = { lat: 48 + deg(r() * 8_000), lon: 37 + deg(r() * 8_000) / Math.cos((48 * Math.PI) / 180), startMs: Date.UTC(2025, 2, 1, 21) + Math.floor(r() * 3 * HOUR) };
    const walk = chainWalk(r, start, 20 + Math.floor(r() * 50), (i) => ({ id: `w${seed}-${w}-${i}`, category: pick(r, CHAIN_CATEGORIES), reporterId: `rep-${Math.floor(r() * 6)}` }));
    members.push(...walk);
  }
  return members;
}

describe('grouping property: chains cut to the incident limits, whatever the order', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => i + 101);
  it.each(seeds)('seed %i', (seed) => checkOrders(generateChains(seed), seed));

  it('the chains do run over the limits', () => {
    const cut = seeds.filter((seed) => {
      const members = generateChains(seed);
      const components = bruteGroups(members, (a, b) => linked(a, b, DEFAULT_GROUPING));
      return components.some((c) => !withinLimits(c, DEFAULT_GROUPING));
    });
    expect(cut.length).toBeGreaterThan(10);
  });
});
